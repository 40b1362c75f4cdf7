import { github } from 'projen';
import { pinnedUses } from './pinned-actions';

type JobStep = github.workflows.JobStep;

/** Runner label of every generated job. */
export const RUNNER = ['ubuntu-latest'];

/** `true` unless the run is a pull request from a fork (whose token cannot write code scanning). */
export const NOT_A_FORK_PR = "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository";

/** Checks out the commit without leaving the token in `.git/config`. */
export function checkout(): JobStep {
  return {
    name: 'Checkout',
    uses: pinnedUses('actions/checkout'),
    with: { 'persist-credentials': false },
  };
}

/** `GITHUB_VARIABLES` entry as a workflow expression. */
export function repoVariable(name: string): string {
  return `\${{ vars.${name} }}`;
}

/**
 * Fails early, with the fix, when a repository variable the job needs is unset.
 */
export function requireVariables(...names: string[]): JobStep {
  const env: Record<string, string> = {};
  const checks: string[] = [];
  for (const name of names) {
    env[name] = repoVariable(name);
    checks.push(`if [ -z "\${${name}}" ]; then missing+=("${name}"); fi`);
  }
  return {
    name: 'Check repository variables',
    env,
    run: [
      'missing=()',
      ...checks,
      'if [ "${#missing[@]}" -gt 0 ]; then',
      '  echo "::error::Repository variable(s) ${missing[*]} not set. Run \\"npx aidlc github setup\\" or set them in the repository settings (Settings > Secrets and variables > Actions > Variables)."',
      '  exit 1',
      'fi',
    ].join('\n'),
  };
}

/** Short-lived AWS credentials for `roleVariable`'s role, through GitHub OIDC. */
export function awsCredentials(roleVariable: string, region: string, options: { if?: string } = {}): JobStep {
  return {
    name: 'AWS credentials (OIDC)',
    ...(options.if ? { if: options.if } : {}),
    uses: pinnedUses('aws-actions/configure-aws-credentials'),
    with: {
      'role-to-assume': repoVariable(roleVariable),
      'aws-region': region,
      'role-session-name': 'aidlc-${{ github.job }}-${{ github.run_id }}',
    },
  };
}

/** Uploads a SARIF file to code scanning under `category`, also after a failed scan. */
export function uploadSarif(sarifFile: string, category: string): JobStep {
  return {
    name: `Upload ${category} to code scanning`,
    if: `\${{ !cancelled() && (${NOT_A_FORK_PR}) && hashFiles('${sarifFile}') != '' }}`,
    uses: pinnedUses('github/codeql-action/upload-sarif'),
    with: { sarif_file: sarifFile, category },
  };
}
