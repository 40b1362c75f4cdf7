import { StatusState } from './events';
import { InvalidValuesError } from '../../../src/core/problem';
import { githubRetryPolicy, httpStatus, Octokit } from '../../shared/octokit';
import { describeError, retrying, RetryPolicy } from '../../shared/retry';

/** A status as GitHub shows it on a commit. */
export interface CommitStatus {
  readonly context: string;
  readonly state: StatusState;
  readonly description: string;
  readonly targetUrl: string;
}

/** GitHub refused the request (token, repository or commit): retrying will not help. */
export class GithubRefusal extends Error {
  constructor(message: string, public readonly status: number) {
    super(message);
    this.name = 'GithubRefusal';
  }
}

/** Commit statuses of one repository. */
export class CommitStatuses {
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly github: Octokit, repository: string, private readonly retry: RetryPolicy = githubRetryPolicy()) {
    const [owner, repo] = repository.split('/');
    if (!owner || !repo) {
      throw new InvalidValuesError('CommitStatuses', [{ path: 'repository', value: repository, message: 'is not owner/name', fix: 'give the GitHub repository as owner/name, e.g. acme/churn' }]);
    }
    this.owner = owner;
    this.repo = repo;
  }

  /** The latest status of a context on a commit, if any. */
  public async latest(sha: string, context: string): Promise<CommitStatus | undefined> {
    const res = await this.call('read the combined status', () =>
      this.github.rest.repos.getCombinedStatusForRef({ owner: this.owner, repo: this.repo, ref: sha, per_page: 100 }));
    const found = res.data.statuses.find((s) => s.context === context);
    return found && { context: found.context, state: found.state as StatusState, description: found.description ?? '', targetUrl: found.target_url ?? '' };
  }

  /** Sets a status on a commit. */
  public async set(sha: string, status: CommitStatus): Promise<void> {
    await this.call(`set ${status.context}`, () => this.github.rest.repos.createCommitStatus({
      owner: this.owner,
      repo: this.repo,
      sha,
      state: status.state,
      context: status.context,
      description: status.description,
      target_url: status.targetUrl,
    }));
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await retrying(`GitHub: ${what}`, this.retry, request);
    } catch (e) {
      const status = httpStatus(e);
      if (status === 401 || status === 403 || status === 404) {
        throw new GithubRefusal(`GitHub refused to ${what} on ${this.owner}/${this.repo} (HTTP ${status}): the token needs "Commit statuses: read and write" on this repository. ${describeError(e)}`, status);
      }
      if (status === 422) {
        throw new GithubRefusal(`GitHub refused to ${what} on ${this.owner}/${this.repo} (HTTP 422): ${describeError(e)}`, status);
      }
      throw e;
    }
  }
}
