/** Issuer host of GitHub Actions OIDC tokens; IAM condition keys are prefixed with it. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience `aws-actions/configure-aws-credentials` requests. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** Where a GitHub Actions job runs, as the `sub` claim names it. */
export interface GithubSubjectContext {
  /** `ref:refs/heads/main` or `environment:prod`. */
  readonly claim: string;
}

/** A branch context: the job runs on a push (or dispatch) of that branch, with no environment. */
export function branchContext(branch: string): GithubSubjectContext {
  return { claim: `ref:refs/heads/${branch}` };
}

/** An environment context: the job names a GitHub Environment, which replaces the ref in `sub`. */
export function environmentContext(environment: string): GithubSubjectContext {
  return { claim: `environment:${environment}` };
}

/** Identity of the repository for the `sub` claim. */
export interface GithubRepositoryIdentity {
  readonly owner: string;
  readonly name: string;
  /** Numeric id of the owner, when known: pins the immutable form. */
  readonly ownerId?: string;
  /** Numeric id of the repository, when known: pins the immutable form. */
  readonly repositoryId?: string;
}

/**
 * The `sub` values GitHub may send for these contexts, as IAM `StringLike` patterns.
 *
 * GitHub sends one of two forms:
 * - the name form, `repo:OWNER/REPO:CONTEXT`, for repositories that predate immutable subjects;
 * - the immutable form, `repo:OWNER@OWNER_ID/REPO@REPO_ID:CONTEXT`, the default for repositories
 *   created, renamed or transferred on or after 15 July 2026 on github.com, and for older ones
 *   whose admins opted in (GitHub changelog 2026-04-23 "Immutable subject claims for GitHub
 *   Actions OIDC tokens"; GitHub docs, OpenID Connect reference, "Immutable subject claims").
 *
 * When the ids are unknown, the immutable form matches any id (`@*`); the owner and repository
 * names stay pinned, so it trusts exactly what the name form trusts. {@link subjectGuard} keeps
 * the wildcard from spanning into another claim.
 */
export function githubSubjects(repo: GithubRepositoryIdentity, contexts: GithubSubjectContext[]): string[] {
  const ownerId = repo.ownerId ?? '*';
  const repositoryId = repo.repositoryId ?? '*';
  const subjects: string[] = [];
  for (const context of contexts) {
    subjects.push(`repo:${repo.owner}/${repo.name}:${context.claim}`);
    subjects.push(`repo:${repo.owner}@${ownerId}/${repo.name}@${repositoryId}:${context.claim}`);
  }
  return [...new Set(subjects)];
}

/**
 * A `StringNotLike` pattern that refuses any `sub` with more than three `:` separators. Both
 * accepted forms have exactly three (`repo:`, before the context kind, after it), so a wildcard
 * id can only ever match digits of the one repository, never a longer subject that happens to
 * embed `/REPO@...:ref:...` inside an environment or branch name.
 */
export const SUBJECT_GUARD = '*:*:*:*:*';
