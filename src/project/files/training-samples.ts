import { Component, Project, SampleFile } from 'projen';
import { packageFile } from '../package-info';

/** The training code copied into a new repository, written once and then owned by the user. */
export const TRAINING_SAMPLES = ['train.py', 'split.py', 'evaluate.py', 'run_local.py', 'requirements.txt'] as const;

/**
 * `training/*.py` from this package's `training/` folder, as `SampleFile`s: the user changes the
 * model there; `npx projen` never overwrites them.
 */
export class TrainingSamples extends Component {
  constructor(project: Project) {
    super(project);
    for (const file of TRAINING_SAMPLES) {
      new SampleFile(project, `training/${file}`, { contents: packageFile('training', file) });
    }
  }
}
