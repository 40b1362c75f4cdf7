import { Testing } from 'projen';
import * as YAML from 'yaml';
import { tempDir } from './temp-dirs';
import { Workflow } from './workflow-steps';
import { AidlcPipelineProject, AidlcPipelineProjectOptions } from '../../src';
import { ResolvedConfig } from '../../src/config';

/** Options of a minimal valid project; tests override what they exercise. */
export function projectOptions(overrides: Partial<AidlcPipelineProjectOptions> = {}): AidlcPipelineProjectOptions {
  return {
    name: 'churn',
    modelName: 'churn',
    githubRepository: 'acme/churn',
    cdkVersion: '2.257.0',
    defaultReleaseBranch: 'main',
    // projen must never touch the working directory in tests.
    outdir: tempDir('aidlc-project-'),
    ...overrides,
  };
}

/** Synthesizes a project into a fresh temp dir and returns its files. */
export function synthProject(overrides: Partial<AidlcPipelineProjectOptions> = {}): { project: AidlcPipelineProject; files: Record<string, any> } {
  const project = new AidlcPipelineProject(projectOptions(overrides));
  return { project, files: Testing.synth(project) };
}

/**
 * Synthesizes into a temporary directory and leaves the files there (Testing.synth removes them),
 * without installing dependencies; returns the directory.
 */
export function synthToDisk(overrides: Partial<AidlcPipelineProjectOptions> = {}): string {
  const project = new AidlcPipelineProject(projectOptions(overrides));
  const before = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = before;
  }
  return project.outdir;
}

/** A generated repository: its config, its files and its workflows. */
export interface SynthesizedRepo {
  readonly config: ResolvedConfig;
  readonly outdir: string;
  /** Every generated file, by path. */
  readonly files: Record<string, any>;
  /** `.github/workflows/<name>` text, by file name. */
  readonly workflowText: Record<string, string>;
  /** The same, parsed. */
  readonly workflows: Record<string, Workflow>;
}

/** A generated repository's files, as Testing.synth reads them back, with its workflows parsed. */
export function synthRepo(overrides: Partial<AidlcPipelineProjectOptions> = {}): SynthesizedRepo {
  const { project, files } = synthProject(overrides);
  const workflowText: Record<string, string> = {};
  const workflows: Record<string, Workflow> = {};
  for (const [file, content] of Object.entries(files)) {
    const match = /^\.github\/workflows\/(.+\.ya?ml)$/.exec(file);
    if (!match) continue;
    workflowText[match[1]] = content as string;
    workflows[match[1]] = YAML.parse(content as string);
  }
  return { config: project.config, outdir: project.outdir, files, workflowText, workflows };
}
