import { CommitStatuses, GithubRefusal } from './commit-statuses';
import { CodePipelineEvent, executionUrl, fitDescription, StatusUpdate, statusUpdateOf } from './events';
import { PipelineExecutions } from './executions';
import { describeError } from '../../shared/retry';

/** What the handler works with; built from the environment in `index.ts`, from fakes in tests. */
export interface ReporterDeps {
  /** Prefix of the status contexts. */
  readonly contextPrefix: string;
  readonly executions: PipelineExecutions;
  /** The GitHub token, or undefined while the secret holds none. */
  readonly token: () => Promise<string | undefined>;
  /** Forget a token GitHub refused. */
  readonly forgetToken: () => void;
  /** Commit statuses of the repository, authenticated with the token. */
  readonly statuses: (token: string) => Promise<CommitStatuses>;
  readonly log: (message: string) => void;
}

/** What the handler did with an event (returned for logs and tests). */
export type Outcome = 'ignored' | 'no-token' | 'no-revision' | 'stale' | 'refused' | 'set';

/**
 * Sets the commit status an event calls for. Transient failures (CodePipeline, GitHub 5xx or rate
 * limits after retries, network) are thrown so EventBridge retries and, in the end, dead-letters
 * the event; refusals that a retry cannot fix (bad token, unknown commit) are logged and dropped.
 */
export function createHandler(deps: ReporterDeps): (event: CodePipelineEvent) => Promise<Outcome> {
  return async (event) => {
    const update = statusUpdateOf(event, deps.contextPrefix);
    if (!update) return 'ignored';
    const { pipeline, 'execution-id': executionId } = event.detail;

    const token = await deps.token();
    if (!token) {
      deps.log(`No GitHub token in the secret yet: put one there to get commit statuses (${update.context} ${update.state} not reported)`);
      return 'no-token';
    }
    const sha = await deps.executions.sourceRevision(pipeline, executionId);
    if (!sha) {
      deps.log(`Execution ${executionId} of ${pipeline} has no Git source revision; nothing to report on`);
      return 'no-revision';
    }

    const targetUrl = executionUrl(event.region, pipeline, executionId);
    const statuses = await deps.statuses(token);
    try {
      if (update.mayBeStale && await supersededLocally(statuses, sha, update, executionId)) {
        deps.log(`${update.context} on ${sha}: a later status of execution ${executionId} is already set; ${event.detail.state} arrived late`);
        return 'stale';
      }
      const description = await describe(deps, update, pipeline, executionId);
      await statuses.set(sha, { context: update.context, state: update.state, description: fitDescription(description), targetUrl });
      deps.log(`${update.context} on ${sha}: ${update.state} (${description})`);
      return 'set';
    } catch (e) {
      if (e instanceof GithubRefusal) {
        if (e.status === 401) deps.forgetToken();
        deps.log(describeError(e));
        return 'refused';
      }
      throw e;
    }
  };
}

/** Whether this execution already put a terminal status on the context (the STARTED event came late). */
async function supersededLocally(statuses: CommitStatuses, sha: string, update: StatusUpdate, executionId: string): Promise<boolean> {
  const latest = await statuses.latest(sha, update.context);
  return latest !== undefined && latest.state !== 'pending' && latest.targetUrl.includes(`/executions/${encodeURIComponent(executionId)}/`);
}

async function describe(deps: ReporterDeps, update: StatusUpdate, pipeline: string, executionId: string): Promise<string> {
  if (!update.explainFailure || !update.stage) return update.description;
  const failed = await deps.executions.failedAction(pipeline, executionId, update.stage, update.action);
  if (!failed) return update.description;
  return failed.message ? `${failed.action} failed: ${failed.message}` : `${failed.action} failed`;
}
