/**
 * One GitHub Action pinned by full commit SHA.
 */
export interface PinnedAction {
  /** What a workflow step names, without a ref: `owner/repo` or `owner/repo/path`. */
  readonly action: string;
  /** The release the SHA is the commit of (the tag's peeled commit for annotated tags). */
  readonly version: string;
  /** Full 40-hex commit SHA. */
  readonly sha: string;
  /** Where the SHA was cross-checked. */
  readonly verifiedIn: string;
}

/**
 * Every action the generated workflows use, and every action projen's own workflows use
 * (build, and the upgrade and pull-request-lint workflows when a project turns them on).
 *
 * Tags are mutable (`aquasecurity/trivy-action` tags were force-pushed to credential-stealing
 * commits in March 2026), so each workflow names a commit. To move a pin, resolve the new tag to
 * its commit (for an annotated tag the peeled `^{}` commit, not the tag object), check its release
 * notes, and update the row.
 */
export const PINNED_ACTIONS: readonly PinnedAction[] = [
  {
    action: 'actions/checkout',
    version: 'v7.0.1',
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    verifiedIn: 'projen 0.103.25 ActionRefs.ACTIONS_CHECKOUT; a Dependabot bump compare link '
      + '9c091bb2...3d3c42e5 for checkout 7.0.1; several public pin tables resolving v7.0.1 with git ls-remote',
  },
  {
    action: 'actions/setup-node',
    version: 'v7.1.0',
    sha: '949feb2413d6458794dcd2491c4babbbce0c15c1',
    verifiedIn: 'public workflows pinning `actions/setup-node@949feb24... # v7.1.0` and pin tables linking '
      + 'github.com/actions/setup-node/commit/949feb24... as v7.1.0 (projen 0.103.25 still names the v7.0.0 tag)',
  },
  {
    action: 'actions/upload-artifact',
    version: 'v7.0.2',
    sha: 'cf430e030ddbb5b0abf93d22962f4752f3646cd9',
    verifiedIn: 'pin tables linking github.com/actions/upload-artifact/blob/cf430e03.../action.yml for '
      + 'release v7.0.2; workflows pinning `cf430e03... # v7.0.2` (projen 0.103.25 pins v7.0.1, 043fb46d)',
  },
  {
    action: 'actions/download-artifact',
    version: 'v8.0.2',
    sha: '9000827ccba6bdab643e8b6fd33ac0654aef8333',
    verifiedIn: 'pin tables linking github.com/actions/download-artifact/blob/9000827c.../action.yml for '
      + 'release v8.0.2; workflows pinning `9000827c... # v8.0.2` (projen 0.103.25 pins v8.0.1, 3e5f45b2)',
  },
  {
    action: 'github/codeql-action/upload-sarif',
    version: 'v4.38.3',
    sha: '24c54180a607b1449ed407dd24f251e4e9147c8d',
    verifiedIn: 'git ls-remote listings showing refs/tags/v4.38.3 as tag object cee97f86... and '
      + 'refs/tags/v4.38.3^{} as commit 24c54180...; Dependabot PRs moving init/analyze/upload-sarif '
      + 'from 2892aa5e (v4.38.2) to 24c54180',
  },
  {
    action: 'aws-actions/configure-aws-credentials',
    version: 'v6.3.0',
    sha: 'e1253824e5c10ff9df46874f81ed3ec929e19cfd',
    verifiedIn: 'workflows and pin tables pinning `e1253824... # v6.3.0` (resolved with git ls-remote); '
      + 'projen 0.103.25 still names the v6.2.3 tag',
  },
  {
    action: 'amannn/action-semantic-pull-request',
    version: 'v6.1.1',
    sha: '48f256284bd46cdaab1048c3721360e808335d50',
    verifiedIn: 'projen 0.103.25 ActionRefs.AMANNN_ACTION_SEMANTIC_PULL_REQUEST; public pin tables for v6.1.1',
  },
  {
    action: 'peter-evans/create-pull-request',
    version: 'v8.1.1',
    sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1',
    verifiedIn: 'a pin-evidence table resolving the v8.1.1 release tag upstream to 5f6978fa...; workflows '
      + 'pinning `5f6978fa... # v8.1.1` (projen 0.103.25 names the v8.1.1 tag)',
  },
];

/** `owner/repo[/path]@<sha>` of a pinned action; throws for an action that has no pin. */
export function pinnedUses(action: string): string {
  const pin = PINNED_ACTIONS.find((p) => p.action === action);
  if (!pin) {
    throw new Error(`No pinned commit for GitHub Action "${action}". Add it to PINNED_ACTIONS in src/github/pinned-actions.ts.`);
  }
  return `${pin.action}@${pin.sha}`;
}

/** The pin a `uses:` value names (`owner/repo[/path]@<sha>`), if it is one of the table's. */
export function findPin(uses: string): PinnedAction | undefined {
  const at = uses.lastIndexOf('@');
  if (at < 0) return undefined;
  const action = uses.slice(0, at);
  const ref = uses.slice(at + 1);
  return PINNED_ACTIONS.find((p) => p.action === action && p.sha === ref);
}
