import { BranchProtection, RepositorySettings, Reviewer } from './repository-settings';

/** One line of the plan: what changes (or that nothing does), and how to make it so. */
export interface Change {
  /** `+` create, `~` update, `=` already so. */
  readonly mark: '+' | '~' | '=';
  readonly summary: string;
  readonly apply?: () => Promise<void>;
}

/** What the repository should look like. */
export interface DesiredSetup {
  readonly branch: string;
  readonly stages: { name: string; requireApproval: boolean }[];
  /** Required reviewers of the stages that need approval. */
  readonly reviewers: Reviewer[];
  /** Status checks the branch requires (job names of the build and security workflows). */
  readonly requiredChecks: string[];
  readonly variables: { name: string; value: string }[];
}

const key = (r: { type: string; id: number }) => `${r.type}:${r.id}`;

/**
 * An environment per stage. Deployments come only from the chain's branch; stages that need
 * approval get the reviewers (added to any already there, never removed); other settings of an
 * existing environment (wait timer, self-review) are kept.
 */
export async function planEnvironments(gh: RepositorySettings, want: DesiredSetup): Promise<Change[]> {
  const changes: Change[] = [];
  for (const stage of want.stages) {
    const current = await gh.environment(stage.name);
    const have = current?.reviewers ?? [];
    const add = stage.requireApproval ? want.reviewers.filter((r) => !have.some((h) => key(h) === key(r))) : [];
    const reviewers = [...have, ...add.map((r) => ({ type: r.type, id: r.id }))];
    const who = stage.requireApproval ? `required reviewers ${want.reviewers.map((r) => r.name).join(', ')}` : 'no required reviewers';
    const put = () => gh.putEnvironment(stage.name, { reviewers, waitTimer: current?.waitTimer, preventSelfReview: current?.preventSelfReview });

    if (!current) {
      changes.push({
        mark: '+',
        summary: `environment ${stage.name}: create, ${who}, deployments from ${want.branch} only`,
        apply: async () => {
          await put();
          await gh.addBranchPolicy(stage.name, want.branch);
        },
      });
      continue;
    }
    const fixes: string[] = [];
    if (add.length) fixes.push(`add required reviewers ${add.map((r) => r.name).join(', ')}`);
    if (!current.customBranchPolicies || current.protectedBranchesOnly) fixes.push(`deployments from ${want.branch} only`);
    const policies = current.customBranchPolicies ? await gh.branchPolicies(stage.name) : [];
    const needsPolicy = !policies.includes(want.branch);
    if (needsPolicy && !fixes.some((f) => f.startsWith('deployments'))) fixes.push(`allow deployments from ${want.branch}`);
    if (fixes.length === 0) {
      changes.push({ mark: '=', summary: `environment ${stage.name}: ${who}, deployments from ${want.branch}` });
      continue;
    }
    const needsPut = add.length > 0 || !current.customBranchPolicies || current.protectedBranchesOnly;
    changes.push({
      mark: '~',
      summary: `environment ${stage.name}: ${fixes.join('; ')}`,
      apply: async () => {
        if (needsPut) await put();
        if (needsPolicy) await gh.addBranchPolicy(stage.name, want.branch);
      },
    });
  }
  return changes;
}

/**
 * Protection of the chain's branch requiring the checks. An unprotected branch gets a protection
 * with only that; a protected one keeps everything it has and gains the missing checks.
 */
export async function planProtection(gh: RepositorySettings, want: DesiredSetup): Promise<Change[]> {
  const current = await gh.protection(want.branch);
  const checks = want.requiredChecks;
  if (!current) {
    return [{
      mark: '+',
      summary: `branch ${want.branch}: protect, requiring checks ${checks.join(', ')} (branches up to date before merging)`,
      apply: () => gh.putProtection(want.branch, {
        required_status_checks: { strict: true, contexts: checks },
        enforce_admins: false,
        required_pull_request_reviews: null,
        restrictions: null,
      }),
    }];
  }
  if (!current.checks) {
    return [{
      mark: '~',
      summary: `branch ${want.branch}: require checks ${checks.join(', ')} (its other protection rules are kept)`,
      apply: () => gh.putProtection(want.branch, rebuiltProtection(current, checks)),
    }];
  }
  const have = current.checks;
  const missing = checks.filter((c) => !have.contexts.includes(c));
  if (missing.length === 0) return [{ mark: '=', summary: `branch ${want.branch}: requires checks ${checks.join(', ')}` }];
  return [{
    mark: '~',
    summary: `branch ${want.branch}: also require checks ${missing.join(', ')}${have.contexts.length ? ` (keeps ${have.contexts.join(', ')})` : ''}`,
    apply: () => gh.setRequiredChecks(want.branch, have.strict, [...have.contexts, ...missing]),
  }];
}

/** The PUT body that keeps an existing protection's rules and adds required status checks. */
export function rebuiltProtection(current: BranchProtection, checks: string[]): Record<string, unknown> {
  const raw = current.raw;
  const enabled = (name: string) => raw[name]?.enabled === true;
  const reviews = raw.required_pull_request_reviews;
  const restrictions = raw.restrictions;
  return {
    required_status_checks: { strict: true, contexts: checks },
    enforce_admins: enabled('enforce_admins'),
    required_pull_request_reviews: reviews ? {
      dismiss_stale_reviews: reviews.dismiss_stale_reviews === true,
      require_code_owner_reviews: reviews.require_code_owner_reviews === true,
      required_approving_review_count: reviews.required_approving_review_count ?? 1,
      require_last_push_approval: reviews.require_last_push_approval === true,
    } : null,
    restrictions: restrictions ? {
      users: (restrictions.users ?? []).map((u: { login: string }) => u.login),
      teams: (restrictions.teams ?? []).map((t: { slug: string }) => t.slug),
      apps: (restrictions.apps ?? []).map((a: { slug: string }) => a.slug),
    } : null,
    required_linear_history: enabled('required_linear_history'),
    allow_force_pushes: enabled('allow_force_pushes'),
    allow_deletions: enabled('allow_deletions'),
    required_conversation_resolution: enabled('required_conversation_resolution'),
    block_creations: enabled('block_creations'),
    lock_branch: enabled('lock_branch'),
  };
}

/** Actions variables: created when missing, updated when different. */
export async function planVariables(gh: RepositorySettings, want: DesiredSetup): Promise<Change[]> {
  const changes: Change[] = [];
  for (const { name, value } of want.variables) {
    const current = await gh.variable(name);
    if (current === undefined) changes.push({ mark: '+', summary: `variable ${name} = ${value}`, apply: () => gh.createVariable(name, value) });
    else if (current !== value) changes.push({ mark: '~', summary: `variable ${name}: ${current} -> ${value}`, apply: () => gh.updateVariable(name, value) });
    else changes.push({ mark: '=', summary: `variable ${name} = ${value}` });
  }
  return changes;
}

/** The whole plan, in the order it is applied. */
export async function planSetup(gh: RepositorySettings, want: DesiredSetup): Promise<Change[]> {
  return [
    ...await planEnvironments(gh, want),
    ...await planProtection(gh, want),
    ...await planVariables(gh, want),
  ];
}
