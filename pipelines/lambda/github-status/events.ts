/** The three CodePipeline state-change events the rule forwards. */
export const PIPELINE_EVENT = 'CodePipeline Pipeline Execution State Change';
export const STAGE_EVENT = 'CodePipeline Stage Execution State Change';
export const ACTION_EVENT = 'CodePipeline Action Execution State Change';

/** The part of a CodePipeline event the reporter reads. */
export interface CodePipelineEvent {
  readonly 'detail-type': string;
  readonly 'region': string;
  readonly 'time'?: string;
  readonly 'detail': {
    readonly 'pipeline': string;
    readonly 'execution-id': string;
    readonly 'state': string;
    readonly 'stage'?: string;
    readonly 'action'?: string;
    readonly 'type'?: { readonly category?: string };
    readonly 'execution-result'?: {
      readonly 'external-execution-summary'?: string;
      readonly 'external-execution-url'?: string;
      readonly 'error-code'?: string;
    };
  };
}

/** A commit status state GitHub accepts. */
export type StatusState = 'pending' | 'success' | 'failure' | 'error';

/** What one event says about one status context. */
export interface StatusUpdate {
  readonly context: string;
  readonly state: StatusState;
  readonly description: string;
  /** The stage, for stage and action events. */
  readonly stage?: string;
  /** The action, for action events. */
  readonly action?: string;
  /** A STARTED event: may arrive after the terminal event it preceded, so it must not overwrite it. */
  readonly mayBeStale: boolean;
  /** Failed stage whose failing action should be named. */
  readonly explainFailure: boolean;
}

const TERMINAL: Record<string, { state: StatusState; description: string }> = {
  SUCCEEDED: { state: 'success', description: 'Succeeded' },
  FAILED: { state: 'failure', description: 'Failed' },
  STOPPED: { state: 'error', description: 'Stopped' },
  CANCELED: { state: 'error', description: 'Canceled (the pipeline was updated)' },
  SUPERSEDED: { state: 'error', description: 'Superseded by a newer execution' },
};

/**
 * The status an event sets, or undefined when the event changes nothing a reader of the commit
 * needs (a successful action inside a stage, an abandoned action).
 */
export function statusUpdateOf(event: CodePipelineEvent, prefix: string): StatusUpdate | undefined {
  const d = event.detail;
  const kind = event['detail-type'];
  if (kind === PIPELINE_EVENT) {
    return byState(`${prefix}/pipeline`, d.state, 'Pipeline', undefined, undefined, false);
  }
  if (kind === STAGE_EVENT && d.stage) {
    return byState(`${prefix}/${d.stage}`, d.state, d.stage, d.stage, undefined, d.state === 'FAILED');
  }
  if (kind === ACTION_EVENT && d.stage && d.action) {
    const context = `${prefix}/${d.stage}`;
    const approval = d.type?.category === 'Approval';
    if (d.state === 'STARTED') {
      return {
        context,
        stage: d.stage,
        action: d.action,
        state: 'pending',
        mayBeStale: true,
        explainFailure: false,
        description: approval ? `Waiting for approval: ${d.action}` : `Running ${d.action}`,
      };
    }
    if (d.state === 'FAILED') {
      const summary = d['execution-result']?.['external-execution-summary'];
      const what = approval ? `${d.action} rejected` : `${d.action} failed`;
      return {
        context,
        stage: d.stage,
        action: d.action,
        state: 'failure',
        mayBeStale: false,
        explainFailure: !summary,
        description: summary ? `${what}: ${summary}` : what,
      };
    }
  }
  return undefined;
}

function byState(
  context: string,
  state: string,
  label: string,
  stage: string | undefined,
  action: string | undefined,
  explainFailure: boolean,
): StatusUpdate | undefined {
  const terminal = TERMINAL[state];
  if (terminal) {
    return { context, stage, action, state: terminal.state, description: `${label}: ${terminal.description}`, mayBeStale: false, explainFailure };
  }
  if (state === 'STARTED' || state === 'RESUMED') {
    return { context, stage, action, state: 'pending', description: `${label}: ${state === 'RESUMED' ? 'Retrying' : 'Running'}`, mayBeStale: state === 'STARTED', explainFailure: false };
  }
  if (state === 'STOPPING') {
    return { context, stage, action, state: 'pending', description: `${label}: Stopping`, mayBeStale: false, explainFailure: false };
  }
  return undefined;
}

/** GitHub caps a status description at 140 characters. */
export function fitDescription(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= 140 ? oneLine : `${oneLine.slice(0, 139)}…`;
}

/** The CodePipeline console page of an execution. */
export function executionUrl(region: string, pipeline: string, executionId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
}
