import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import { AidlcPipelineProject, AidlcPipelineProjectOptions } from '../../src';

/** Options of a minimal valid project; tests override what they exercise. */
export function projectOptions(overrides: Partial<AidlcPipelineProjectOptions> = {}): AidlcPipelineProjectOptions {
  return {
    name: 'churn',
    modelName: 'churn',
    githubRepository: 'acme/churn',
    cdkVersion: '2.257.0',
    defaultReleaseBranch: 'main',
    // projen must never touch the working directory in tests.
    outdir: mkdtempSync(join(tmpdir(), 'aidlc-project-')),
    ...overrides,
  };
}

/** Synthesizes a project into a fresh temp dir and returns its files. */
export function synthProject(overrides: Partial<AidlcPipelineProjectOptions> = {}): { project: AidlcPipelineProject; files: Record<string, any> } {
  const project = new AidlcPipelineProject(projectOptions(overrides));
  return { project, files: Testing.synth(project) };
}
