/* eslint-disable @typescript-eslint/no-explicit-any */
/** A parsed GitHub Actions workflow, job and step. */
export type Workflow = any;
export type Job = any;
export type Step = any;

/** Every step of a workflow, with the job it belongs to. */
export function stepsOf(workflow: Workflow): Array<{ jobId: string; job: Job; step: Step }> {
  return Object.entries<Job>(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).map((step: Step) => ({ jobId, job, step })));
}

/** The steps of one job that use `action` (`owner/repo[/path]`). */
export function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter((s: Step) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
}
