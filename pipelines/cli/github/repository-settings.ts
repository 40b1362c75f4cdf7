import { httpStatus, Octokit } from '../../shared/octokit';
import { retrying, RetryPolicy } from '../../shared/retry';

/** A required reviewer of an environment. */
export interface Reviewer {
  readonly type: 'User' | 'Team';
  readonly id: number;
  /** Login or `org/team`, for messages. */
  readonly name: string;
}

/** What the setup reads of an environment. */
export interface EnvironmentSettings {
  readonly reviewers: { type: 'User' | 'Team'; id: number }[];
  readonly waitTimer?: number;
  readonly preventSelfReview?: boolean;
  /** Deployments only from branches matching custom policies. */
  readonly customBranchPolicies: boolean;
  readonly protectedBranchesOnly: boolean;
}

/** What the setup reads of a branch's protection. */
export interface BranchProtection {
  /** Required status checks; undefined when the protection requires none. */
  readonly checks?: { strict: boolean; contexts: string[] };
  /** The protection as GitHub returned it (to rebuild it when status checks must be added). */
  readonly raw: Record<string, any>;
}

/** The repository settings the setup manages, through Octokit, each call retried on rate limits. */
export class RepositorySettings {
  constructor(private readonly github: Octokit, public readonly owner: string, public readonly repo: string, private readonly retry: RetryPolicy) {}

  private get where() {
    return { owner: this.owner, repo: this.repo };
  }

  public async checkAccess(): Promise<void> {
    await this.call('read the repository', () => this.github.rest.repos.get(this.where));
  }

  public async reviewer(name: string): Promise<Reviewer> {
    if (name.includes('/')) {
      const [org, team] = name.split('/', 2);
      const res = await this.call(`find team ${name}`, () => this.github.rest.teams.getByName({ org, team_slug: team }));
      return { type: 'Team', id: res.data.id, name };
    }
    const res = await this.call(`find user ${name}`, () => this.github.rest.users.getByUsername({ username: name }));
    return { type: 'User', id: res.data.id, name };
  }

  public async authenticatedUser(): Promise<Reviewer> {
    const res = await this.call('read the token\'s user', () => this.github.rest.users.getAuthenticated());
    return { type: 'User', id: res.data.id, name: res.data.login };
  }

  public async environment(name: string): Promise<EnvironmentSettings | undefined> {
    const res = await this.optional(`read environment ${name}`, () => this.github.rest.repos.getEnvironment({ ...this.where, environment_name: name }));
    if (!res) return undefined;
    const rules = (res.data.protection_rules ?? []) as any[];
    const reviewersRule = rules.find((r) => r.type === 'required_reviewers');
    const waitRule = rules.find((r) => r.type === 'wait_timer');
    const policy = res.data.deployment_branch_policy;
    return {
      reviewers: (reviewersRule?.reviewers ?? []).map((r: any) => ({ type: r.type, id: r.reviewer?.id })).filter((r: any) => typeof r.id === 'number'),
      waitTimer: waitRule?.wait_timer,
      preventSelfReview: reviewersRule?.prevent_self_review,
      customBranchPolicies: policy?.custom_branch_policies === true,
      protectedBranchesOnly: policy?.protected_branches === true,
    };
  }

  public async putEnvironment(name: string, settings: { reviewers: { type: 'User' | 'Team'; id: number }[]; waitTimer?: number; preventSelfReview?: boolean }): Promise<void> {
    await this.call(`write environment ${name}`, () => this.github.rest.repos.createOrUpdateEnvironment({
      ...this.where,
      environment_name: name,
      reviewers: settings.reviewers,
      wait_timer: settings.waitTimer,
      prevent_self_review: settings.preventSelfReview,
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    }));
  }

  public async branchPolicies(environment: string): Promise<string[]> {
    const res = await this.call(`read the branch policies of ${environment}`, () =>
      this.github.rest.repos.listDeploymentBranchPolicies({ ...this.where, environment_name: environment, per_page: 100 }));
    return res.data.branch_policies.filter((p) => (p as { type?: string }).type !== 'tag').map((p) => p.name ?? '');
  }

  public async addBranchPolicy(environment: string, branch: string): Promise<void> {
    await this.call(`allow ${branch} to deploy to ${environment}`, () =>
      this.github.rest.repos.createDeploymentBranchPolicy({ ...this.where, environment_name: environment, name: branch, type: 'branch' }));
  }

  public async protection(branch: string): Promise<BranchProtection | undefined> {
    const res = await this.optional(`read the protection of ${branch}`, () => this.github.rest.repos.getBranchProtection({ ...this.where, branch }));
    if (!res) return undefined;
    const checks = res.data.required_status_checks;
    return {
      checks: checks ? { strict: checks.strict === true, contexts: [...(checks.contexts ?? [])] } : undefined,
      raw: res.data as Record<string, any>,
    };
  }

  public async putProtection(branch: string, body: Record<string, unknown>): Promise<void> {
    await this.call(`protect ${branch}`, () => this.github.rest.repos.updateBranchProtection({ ...this.where, branch, ...body } as any));
  }

  public async setRequiredChecks(branch: string, strict: boolean, contexts: string[]): Promise<void> {
    await this.call(`set the required checks of ${branch}`, () =>
      this.github.rest.repos.updateStatusCheckProtection({ ...this.where, branch, strict, contexts }));
  }

  public async variable(name: string): Promise<string | undefined> {
    const res = await this.optional(`read variable ${name}`, () => this.github.rest.actions.getRepoVariable({ ...this.where, name }));
    return res?.data.value;
  }

  public async createVariable(name: string, value: string): Promise<void> {
    await this.call(`create variable ${name}`, () => this.github.rest.actions.createRepoVariable({ ...this.where, name, value }));
  }

  public async updateVariable(name: string, value: string): Promise<void> {
    await this.call(`update variable ${name}`, () => this.github.rest.actions.updateRepoVariable({ ...this.where, name, value }));
  }

  private async optional<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(what, request);
    } catch (e) {
      if (e instanceof GithubSetupError && e.status === 404) return undefined;
      throw e;
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await retrying(`GitHub: ${what}`, this.retry, request);
    } catch (e) {
      const status = httpStatus(e);
      if (status !== undefined) throw new GithubSetupError(what, `${this.owner}/${this.repo}`, status, (e as Error).message);
      throw e;
    }
  }
}

/** GitHub refused a request of the setup. */
export class GithubSetupError extends Error {
  constructor(what: string, repository: string, public readonly status: number, detail: string) {
    super(`GitHub refused to ${what} on ${repository} (HTTP ${status}): ${detail}${hint(status)}`);
    this.name = 'GithubSetupError';
  }
}

function hint(status: number): string {
  if (status === 401) return '. The token is not valid: set GITHUB_TOKEN to a current token.';
  if (status === 403) return '. The token needs, on this repository: Administration (read and write), Environments (read and write), Variables (read and write).';
  return '';
}
