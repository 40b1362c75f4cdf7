import { Component, awscdk, github } from 'projen';
import { ResolvedConfig } from '../config';
import { RUNNER, awsCredentials, checkout, requireVariables, uploadSarif } from './steps';
import { TRIVY_SCRIPT } from './trivy-script';
import { GITHUB_OFF } from './workflow-hardening';
import { GITHUB_VARIABLES } from '../core/names/resource-names';
import { InvalidValuesError } from '../core/problem';

const { JobPermission } = github.workflows;

/** Code-scanning category of each scan in `security.yml`. */
export const SECURITY_CATEGORIES = {
  fs: 'trivy-fs',
  config: 'trivy-config',
  image: 'trivy-image',
} as const;

/** Weekly, so new advisories against unchanged code surface without a push. */
export const SECURITY_SCHEDULE = '23 5 * * 1';

/** `trivy-results/trivy-<scan>.sarif`, where `scripts/trivy.sh` writes the SARIF of a scan. */
export function sarifOf(scan: string): string {
  return `trivy-results/trivy-${scan}.sarif`;
}

/**
 * `.github/workflows/security.yml`: trivy through `scripts/trivy.sh` on pull requests, pushes to
 * the chain's branch and weekly. Jobs `trivy-fs` (dependencies, secrets) and `trivy-config`
 * (the synthesized `cdk.out` templates) always; `trivy-image` when `training.customImageUri` is set.
 * Each uploads its SARIF to code scanning under its own category and fails at
 * `security.failOnSeverity`.
 */
export class SecurityWorkflow extends Component {
  public readonly workflow: github.GithubWorkflow;

  constructor(project: awscdk.AwsCdkTypeScriptApp, config: ResolvedConfig) {
    super(project, 'SecurityWorkflow');
    const gh = project.github;
    if (!gh) throw new InvalidValuesError('AidlcPipelineProject', [GITHUB_OFF]);

    this.workflow = new github.GithubWorkflow(gh, 'security', {
      limitConcurrency: true,
      concurrencyOptions: {
        group: '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}',
        cancelInProgress: true,
      },
    });
    this.workflow.on({
      pullRequest: {},
      push: { branches: [config.github.branch] },
      schedule: [{ cron: SECURITY_SCHEDULE }],
      workflowDispatch: {},
    });

    const uploadsSarif = { contents: JobPermission.READ, securityEvents: JobPermission.WRITE };
    const bash = { run: { shell: 'bash' } };

    this.workflow.addJob('trivy-fs', {
      runsOn: RUNNER,
      permissions: uploadsSarif,
      timeoutMinutes: 20,
      defaults: bash,
      steps: [
        checkout(),
        { name: 'trivy fs (dependencies, secrets)', run: `${TRIVY_SCRIPT} fs` },
        uploadSarif(sarifOf('fs'), SECURITY_CATEGORIES.fs),
      ],
    });

    this.workflow.addJob('trivy-config', {
      runsOn: RUNNER,
      permissions: uploadsSarif,
      timeoutMinutes: 30,
      defaults: bash,
      steps: [
        checkout(),
        ...project.renderWorkflowSetup({ mutable: false }),
        { name: 'Synthesize (compliance packs run here)', id: 'synth', run: project.runTaskCommand(project.cdkTasks.synthSilent) },
        { name: 'trivy config (cdk.out templates)', run: `${TRIVY_SCRIPT} config cdk.out` },
        uploadSarif(sarifOf('config'), SECURITY_CATEGORIES.config),
      ],
    });

    const image = config.training.customImageUri;
    if (image) {
      this.workflow.addJob('trivy-image', {
        runsOn: RUNNER,
        // The read-only role trusts the chain's branch, so the image is scanned on its pushes and weekly.
        if: `github.ref == 'refs/heads/${config.github.branch}'`,
        permissions: { ...uploadsSarif, idToken: JobPermission.WRITE },
        timeoutMinutes: 30,
        defaults: bash,
        steps: [
          checkout(),
          requireVariables(GITHUB_VARIABLES.readRoleArn),
          awsCredentials(GITHUB_VARIABLES.readRoleArn, config.aws.region),
          {
            name: 'trivy image (training image)',
            env: { IMAGE: image },
            run: `${TRIVY_SCRIPT} image "$IMAGE"`,
          },
          uploadSarif(sarifOf('image'), SECURITY_CATEGORIES.image),
        ],
      });
    }
  }
}
