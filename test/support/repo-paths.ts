import * as path from 'path';

/** This package's checkout. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The training and evaluation scripts copied into new repositories. */
export const TRAINING_DIR = path.join(REPO_ROOT, 'training');
