import { StageDeclaration } from '@aws-sdk/client-codepipeline';
import { executionView, ExecutionView, FINAL_STATUSES } from './execution-view';
import { PipelineApi } from './pipeline-api';
import { abortable, Sleep } from '../../shared/retry';

/** How an execution is followed. */
export interface FollowOptions {
  readonly region: string;
  readonly sleep: Sleep;
  readonly now: () => Date;
  /** First interval between polls; it grows by half while nothing changes. */
  readonly pollMs: number;
  /** Longest interval between polls. */
  readonly maxPollMs: number;
  /** Give up after this long (0: never), a call under way or not. */
  readonly timeoutMs: number;
  /** A signal that aborts after that long (`AbortSignal.timeout`); without it the timeout is checked between polls only. */
  readonly deadline?: (ms: number) => AbortSignal;
  /** Told every time the execution's picture changes (stage or action status, execution status). */
  readonly onChange: (view: ExecutionView) => void;
  /** Also stop when a stage waits for a person's approval (which may take days). */
  readonly stopAtApproval?: boolean;
}

/** The execution did not finish within the timeout (or CodePipeline did not answer within it). */
export class FollowTimeout extends Error {
  constructor(
    /** The last picture of the execution; none when CodePipeline never answered. */
    public readonly view: ExecutionView | undefined,
    pipelineName: string,
    executionId: string,
    timeoutMs: number,
  ) {
    const minutes = Math.round(timeoutMs / 60000);
    super(view
      ? `${view.pipelineName} execution ${view.executionId} still ${view.status} after ${minutes} minutes`
      : `${pipelineName} execution ${executionId}: no answer from CodePipeline within ${minutes} minutes`);
    this.name = 'FollowTimeout';
  }
}

function signature(view: ExecutionView): string {
  return JSON.stringify([view.status, view.stages.map((s) => [s.status, s.actions.map((a) => a.status)])]);
}

/** One look at the execution. */
export async function lookAt(api: PipelineApi, region: string, stages: StageDeclaration[], executionId: string): Promise<ExecutionView> {
  const [execution, actions] = await Promise.all([api.execution(executionId), api.actions(executionId)]);
  return executionView(region, stages, execution, actions);
}

/**
 * Polls an execution until it ends (Succeeded, Failed, Stopped, Superseded, Cancelled) and
 * returns its last picture. Polls back off from `pollMs` to `maxPollMs` while nothing changes
 * and return to `pollMs` on a change; each call is retried on its own (throttling, network), and
 * an error that outlasts the retries ends the follow.
 */
export async function followExecution(api: PipelineApi, executionId: string, options: FollowOptions): Promise<ExecutionView> {
  // The deadline ends a call that hangs, its retries and the wait between polls alike.
  const deadline = options.timeoutMs > 0 ? options.deadline?.(options.timeoutMs) : undefined;
  const bounded = deadline ? api.bounded(deadline) : api;
  let view: ExecutionView | undefined;
  try {
    const stages = await bounded.stages();
    const started = options.now().getTime();
    let interval = options.pollMs;
    let last = '';
    for (;;) {
      view = await lookAt(bounded, options.region, stages, executionId);
      const sig = signature(view);
      if (sig !== last) {
        options.onChange(view);
        last = sig;
        interval = options.pollMs;
      } else {
        interval = Math.min(options.maxPollMs, Math.round(interval * 1.5));
      }
      if (FINAL_STATUSES.has(view.status)) return view;
      if (options.stopAtApproval && view.stages.some((s) => s.status === 'WaitingForApproval')) return view;
      if (options.timeoutMs > 0 && options.now().getTime() - started >= options.timeoutMs) {
        throw new FollowTimeout(view, api.pipelineName, executionId, options.timeoutMs);
      }
      await abortable(options.sleep(interval), deadline);
    }
  } catch (e) {
    if (deadline?.aborted && !(e instanceof FollowTimeout)) throw new FollowTimeout(view, api.pipelineName, executionId, options.timeoutMs);
    throw e;
  }
}
