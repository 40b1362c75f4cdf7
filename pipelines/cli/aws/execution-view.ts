import { ActionExecutionDetail, PipelineExecution, StageDeclaration } from '@aws-sdk/client-codepipeline';

/** Where an action or stage stands in one execution. */
export type Progress = 'NotStarted' | 'InProgress' | 'WaitingForApproval' | 'Succeeded' | 'Failed' | 'Abandoned';

export interface ActionView {
  readonly name: string;
  readonly category?: string;
  readonly status: Progress;
  readonly startTime?: Date;
  readonly lastUpdateTime?: Date;
  /** The provider's summary (e.g. a CodeBuild build's last phase). */
  readonly summary?: string;
  /** The provider's page of this run (e.g. the CodeBuild build). */
  readonly url?: string;
  /** Why it failed. */
  readonly errorMessage?: string;
}

export interface StageView {
  readonly name: string;
  readonly status: Progress;
  readonly startTime?: Date;
  /** Set once the stage is done. */
  readonly endTime?: Date;
  readonly actions: ActionView[];
}

export interface ExecutionView {
  readonly pipelineName: string;
  readonly executionId: string;
  readonly region: string;
  /** CodePipeline's status: InProgress, Stopping, Stopped, Succeeded, Superseded, Failed, Cancelled. */
  readonly status: string;
  readonly statusSummary?: string;
  readonly revision?: string;
  readonly stages: StageView[];
}

/** Statuses after which an execution does not change any more. */
export const FINAL_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped', 'Superseded', 'Cancelled']);

/**
 * One execution seen stage by stage: the pipeline's declared stages and actions, filled with
 * this execution's action executions (the latest attempt of each action).
 */
export function executionView(
  region: string,
  stages: StageDeclaration[],
  execution: PipelineExecution,
  details: ActionExecutionDetail[],
): ExecutionView {
  const latest = new Map<string, ActionExecutionDetail>();
  for (const d of details) {
    const key = `${d.stageName}/${d.actionName}`;
    const seen = latest.get(key);
    if (!seen || (d.startTime?.getTime() ?? 0) >= (seen.startTime?.getTime() ?? 0)) latest.set(key, d);
  }
  const ended = FINAL_STATUSES.has(execution.status ?? '');
  const stageViews = stages.map((stage): StageView => {
    const actions = (stage.actions ?? []).map((declared): ActionView => {
      const d = latest.get(`${stage.name}/${declared.name}`);
      const category = declared.actionTypeId?.category;
      const result = d?.output?.executionResult;
      return {
        name: declared.name ?? '?',
        category,
        status: actionProgress(d?.status, category),
        startTime: d?.startTime,
        lastUpdateTime: d?.lastUpdateTime,
        summary: result?.externalExecutionSummary,
        url: result?.externalExecutionUrl,
        errorMessage: result?.errorDetails?.message,
      };
    });
    return stageOf(stage.name ?? '?', actions, ended);
  });
  const revision = (execution.artifactRevisions ?? []).map((r) => r.revisionId).find((id) => !!id);
  return {
    pipelineName: execution.pipelineName ?? '?',
    executionId: execution.pipelineExecutionId ?? '?',
    region,
    status: execution.status ?? 'Unknown',
    statusSummary: execution.statusSummary,
    revision,
    stages: stageViews,
  };
}

function actionProgress(status: string | undefined, category: string | undefined): Progress {
  switch (status) {
    case undefined: return 'NotStarted';
    case 'InProgress': return category === 'Approval' ? 'WaitingForApproval' : 'InProgress';
    case 'Succeeded': return 'Succeeded';
    case 'Failed': return 'Failed';
    default: return 'Abandoned';
  }
}

function stageOf(name: string, actions: ActionView[], executionEnded: boolean): StageView {
  const started = actions.filter((a) => a.status !== 'NotStarted');
  const startTime = min(started.map((a) => a.startTime));
  let status: Progress;
  if (started.length === 0) status = 'NotStarted';
  else if (actions.some((a) => a.status === 'Failed')) status = 'Failed';
  else if (actions.some((a) => a.status === 'WaitingForApproval')) status = 'WaitingForApproval';
  else if (actions.some((a) => a.status === 'InProgress')) status = 'InProgress';
  else if (actions.every((a) => a.status === 'Succeeded')) status = 'Succeeded';
  else if (actions.some((a) => a.status === 'Abandoned')) status = 'Abandoned';
  else status = executionEnded ? 'Abandoned' : 'InProgress';
  const done = status === 'Succeeded' || status === 'Failed' || status === 'Abandoned';
  return { name, status, startTime, endTime: done ? max(started.map((a) => a.lastUpdateTime)) : undefined, actions };
}

function min(dates: (Date | undefined)[]): Date | undefined {
  const times = dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? new Date(Math.min(...times)) : undefined;
}

function max(dates: (Date | undefined)[]): Date | undefined {
  const times = dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? new Date(Math.max(...times)) : undefined;
}

/** The action that failed the execution, if one did. */
export function failingAction(view: ExecutionView): { stage: StageView; action: ActionView } | undefined {
  for (const stage of view.stages) {
    const action = stage.actions.find((a) => a.status === 'Failed');
    if (action) return { stage, action };
  }
  return undefined;
}

/** The CodePipeline console page of an execution. */
export function consoleUrl(region: string, pipelineName: string, executionId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipelineName)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
}
