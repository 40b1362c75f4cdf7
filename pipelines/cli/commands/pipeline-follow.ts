import { describeError, RetriesExhausted, RetryPolicy } from '../../shared/retry';
import { ExecutionView, FINAL_STATUSES } from '../aws/execution-view';
import { followExecution, FollowTimeout } from '../aws/follow';
import { awsRetryPolicy, PipelineApi } from '../aws/pipeline-api';
import { markdownSummary, outcomeMessage, progressLine } from '../aws/render';
import { EXIT } from '../command';
import { FlagKind, Flags } from '../flags';
import { CliIo } from '../io';

/** Flags that choose the pipeline. */
export const TARGET_FLAGS: { [name: string]: FlagKind } = { config: 'string', pipeline: 'string', region: 'string' };

/** Flags that tune following an execution. */
export const FOLLOW_FLAGS: { [name: string]: FlagKind } = { 'poll-seconds': 'string', 'timeout-minutes': 'string' };

/** Polling of an execution as the flags ask. */
export interface PollSettings {
  readonly pollMs: number;
  readonly maxPollMs: number;
  readonly timeoutMs: number;
}

export function pollSettings(flags: Flags): PollSettings {
  return {
    pollMs: flags.number('poll-seconds', 10, 1) * 1000,
    maxPollMs: 60_000,
    timeoutMs: flags.number('timeout-minutes', 0, 0) * 60_000,
  };
}

/** Exit code of an execution's outcome: 0 Succeeded (or still running, for a status), 1 otherwise. */
export function exitCodeOf(view: ExecutionView): number {
  return view.status === 'Succeeded' || !FINAL_STATUSES.has(view.status) ? EXIT.OK : EXIT.VERDICT;
}

/** Prints the outcome, appends the summary, and returns the exit code. */
export function report(io: CliIo, view: ExecutionView, summaryFile: string | undefined): number {
  if (summaryFile) io.append(summaryFile, markdownSummary(view, io.now()));
  const problem = outcomeMessage(view);
  if (problem) io.err(problem);
  else io.out(`${view.pipelineName} execution ${view.executionId}: ${view.status}`);
  return exitCodeOf(view);
}

/** How far `followToEnd` follows. */
export interface FollowScope {
  /** Stop, exit 0, when a stage waits for a person's approval. */
  readonly untilApproval?: boolean;
  /** At the timeout, stop following and exit 0: the run goes on (commit statuses report it). */
  readonly detach?: boolean;
}

/** Follows an execution to its end, printing a progress line at each change. */
export async function followToEnd(
  io: CliIo,
  api: PipelineApi,
  executionId: string,
  region: string,
  poll: PollSettings,
  summaryFile: string | undefined,
  scope: FollowScope = {},
): Promise<number> {
  try {
    const view = await followExecution(api, executionId, {
      region,
      sleep: io.sleep,
      deadline: io.deadline,
      now: io.now,
      ...poll,
      onChange: (v) => io.out(progressLine(v, io.now())),
      stopAtApproval: scope.untilApproval,
    });
    return report(io, view, summaryFile);
  } catch (e) {
    if (e instanceof FollowTimeout) {
      if (summaryFile && e.view) io.append(summaryFile, markdownSummary(e.view, io.now()));
      if (scope.detach) {
        io.out(`${e.message}; following stops here, the run goes on in CodePipeline and reports to the commit's statuses`);
        return EXIT.OK;
      }
      io.err(`${e.message}; it keeps running in CodePipeline`);
      return EXIT.VERDICT;
    }
    throw e;
  }
}

/** Retries that say on stderr which call failed, how, and when it is tried again. */
export function retryLogger(io: CliIo, attempts: number): NonNullable<RetryPolicy['onRetry']> {
  return (e, attempt, ms, what) => io.err(`${what}: ${describeError(e)} (attempt ${attempt} of ${attempts}); retrying in ${Math.round(ms / 1000)}s`);
}

/** CodePipeline retries that say what happened on stderr. */
export function loggedRetryPolicy(io: CliIo): RetryPolicy {
  const attempts = 6;
  return awsRetryPolicy({ sleep: io.sleep, attempts, onRetry: retryLogger(io, attempts) });
}

/** A clear message for an AWS failure that ended the command, and exit code 2. */
export function reportAwsFailure(io: CliIo, command: string, error: unknown): number {
  if (error instanceof RetriesExhausted) {
    io.err(`aidlc ${command}: lost contact with AWS: ${error.message}`);
  } else {
    const name = (error as { name?: string })?.name;
    const hint = name === 'PipelineNotFoundException' ? ' (deploy the delivery stack first, or check --pipeline and --region)'
      : name === 'PipelineExecutionNotFoundException' ? ' (check --execution)'
        : /AccessDenied|UnrecognizedClient|ExpiredToken|CredentialsProviderError/.test(name ?? '') ? ' (check the AWS credentials and the role\'s permissions)'
          : '';
    io.err(`aidlc ${command}: ${describeError(error)}${hint}`);
  }
  return EXIT.USAGE;
}
