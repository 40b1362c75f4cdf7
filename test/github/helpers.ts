import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { AidlcConfigOptions, ResolvedConfig } from '../../src/config';
import { AidlcPipelineProject } from '../../src/project';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Workflow = any;
export type Job = any;
export type Step = any;

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

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirs`. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The real project type, so the workflows are tested as generated repositories get them. */
function newProject(options: Partial<AidlcConfigOptions>): { config: ResolvedConfig; outdir: string; project: AidlcPipelineProject } {
  const outdir = tempDir('aidlc-github-');
  const project = new AidlcPipelineProject({
    name: 'churn',
    modelName: 'churn',
    githubRepository: 'acme/churn',
    cdkVersion: '2.276.0',
    defaultReleaseBranch: 'main',
    outdir,
    ...options,
  });
  return { config: project.config, outdir, project };
}

/**
 * Synthesizes into a temporary directory and leaves the files there (Testing.synth removes them),
 * without installing dependencies.
 */
export function synthToDisk(options: Partial<AidlcConfigOptions> = {}): string {
  const { outdir, project } = newProject(options);
  const before = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = before;
  }
  return outdir;
}

/** A generated repository's files, as Testing.synth reads them back. */
export function synthRepo(options: Partial<AidlcConfigOptions> = {}): SynthesizedRepo {
  const { config, outdir, project } = newProject(options);
  const files = Testing.synth(project);
  const workflowText: Record<string, string> = {};
  const workflows: Record<string, Workflow> = {};
  for (const [file, content] of Object.entries(files)) {
    const match = /^\.github\/workflows\/(.+\.ya?ml)$/.exec(file);
    if (!match) continue;
    workflowText[match[1]] = content as string;
    workflows[match[1]] = YAML.parse(content as string);
  }
  return { config, outdir, files, workflowText, workflows };
}

/** Every step of a workflow, with the job it belongs to. */
export function stepsOf(workflow: Workflow): Array<{ jobId: string; job: Job; step: Step }> {
  return Object.entries<Job>(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).map((step: Step) => ({ jobId, job, step })));
}

/** The steps of one job that use `action` (`owner/repo[/path]`). */
export function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter((s: Step) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
}
