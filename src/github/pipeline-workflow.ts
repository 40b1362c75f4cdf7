import { Component, awscdk, github } from 'projen';
import { ResolvedConfig } from '../config';
import { pinnedUses } from './pinned-actions';
import { sarifOf } from './security-workflow';
import { RUNNER, awsCredentials, checkout, repoVariable, requireVariables, uploadSarif } from './steps';
import { TRIVY_SCRIPT } from './trivy-script';
import { GITHUB_VARIABLES, ResourceNames, hasNetworkStack } from '../core/names/resource-names';

const { JobPermission } = github.workflows;

/** Every job's run steps use bash (pipefail included). */
const BASH = { run: { shell: 'bash' } };

/** Code-scanning category of each scan of the pipeline's scan job (security.yml has its own). */
export const PIPELINE_CATEGORIES = {
  fs: 'pipeline-trivy-fs',
  config: 'pipeline-trivy-config',
} as const;

/** Artifact that carries the scanned cloud assembly from the scan job to the deploy job. */
export const CLOUD_ASSEMBLY_ARTIFACT = 'cdk-out';

/**
 * The release job follows the CodePipeline execution until a person must approve, or for 50
 * minutes: its AWS session is configure-aws-credentials' default hour, the deploy role's maximum
 * session. The job limit leaves room for the start and the summary.
 */
const RELEASE_TIMEOUT_MINUTES = 60;

/** The concerns the deploy job deploys with `cdk deploy`; CodePipeline deploys serving and monitoring. */
const DEPLOYED_CONCERNS = ['data', 'training', 'delivery'];

/** The stacks the deploy job deploys: the network first, when the app has one. */
function deployedConcerns(config: ResolvedConfig): string[] {
  return hasNetworkStack(config) ? ['network', ...DEPLOYED_CONCERNS] : DEPLOYED_CONCERNS;
}

/** The GitHub Environment the deploy and release jobs run in: the first deployment stage's. */
export function deployEnvironment(config: ResolvedConfig): string {
  const first = config.deployment.stages[0];
  if (!first) throw new Error('pipeline.yml needs at least one deployment stage (deployment.stages).');
  return first.name;
}

/**
 * `.github/workflows/pipeline.yml`, run on pushes to the chain's branch and by hand:
 * `scan` (trivy fs, synth with the compliance packs, trivy config; SARIF to code scanning) →
 * `gate` (the data gate on the training dataset) → `deploy` (`cdk deploy` of the scanned cloud
 * assembly, through the deploy role, in a GitHub Environment) → `release` (CodePipeline on this
 * commit, followed to the end, with its summary).
 */
export class PipelineWorkflow extends Component {
  public readonly workflow: github.GithubWorkflow;
  /** The GitHub Environment of the deploy and release jobs. */
  public readonly environment: string;

  private readonly config: ResolvedConfig;
  private readonly names: ResourceNames;
  /** The condition of the jobs that run only on the chain's branch. */
  private readonly onBranch: string;
  /** The project's setup steps (projen's: Node.js and the dependencies, lockfile frozen). */
  private readonly setup: github.workflows.JobStep[];

  constructor(private readonly app: awscdk.AwsCdkTypeScriptApp, config: ResolvedConfig) {
    super(app, 'PipelineWorkflow');
    const gh = app.github;
    if (!gh) throw new Error('pipeline.yml needs GitHub: do not set `github: false`.');
    this.config = config;
    this.names = new ResourceNames(config);
    this.onBranch = `github.ref == 'refs/heads/${config.github.branch}'`;
    this.environment = deployEnvironment(config);

    this.workflow = new github.GithubWorkflow(gh, 'pipeline', {
      // Never cancel a deployment half-way: runs queue, and a newer push replaces a queued one.
      limitConcurrency: true,
      concurrencyOptions: { group: `aidlc-pipeline-${config.modelName}`, cancelInProgress: false },
    });
    this.workflow.on({ push: { branches: [config.github.branch] }, workflowDispatch: {} });
    this.setup = app.renderWorkflowSetup({ mutable: false });

    this.addScanJob();
    this.addGateJob();
    this.addDeployJob();
    this.addReleaseJob();
  }

  /** trivy fs, synth with the compliance packs, trivy config; SARIF to code scanning; the cloud assembly kept. */
  private addScanJob(): void {
    this.workflow.addJob('scan', {
      runsOn: RUNNER,
      if: this.onBranch,
      permissions: { contents: JobPermission.READ, securityEvents: JobPermission.WRITE },
      timeoutMinutes: 30,
      defaults: BASH,
      steps: [
        checkout(),
        { name: 'trivy fs (dependencies, secrets)', id: 'fs', run: `${TRIVY_SCRIPT} fs` },
        ...this.setup.map((step) => ({ ...step, if: '${{ !cancelled() }}' })),
        {
          name: 'Synthesize (compliance packs run here)',
          id: 'synth',
          if: '${{ !cancelled() }}',
          run: this.app.runTaskCommand(this.app.cdkTasks.synthSilent),
        },
        {
          name: 'trivy config (cdk.out templates)',
          id: 'config',
          if: "${{ !cancelled() && steps.synth.outcome == 'success' }}",
          run: `${TRIVY_SCRIPT} config cdk.out`,
        },
        uploadSarif(sarifOf('fs'), PIPELINE_CATEGORIES.fs),
        uploadSarif(sarifOf('config'), PIPELINE_CATEGORIES.config),
        {
          name: 'Keep the scanned cloud assembly',
          if: "${{ steps.synth.outcome == 'success' }}",
          uses: pinnedUses('actions/upload-artifact'),
          with: { 'name': CLOUD_ASSEMBLY_ARTIFACT, 'path': 'cdk.out', 'retention-days': 7, 'if-no-files-found': 'error' },
        },
      ],
    });
  }

  /** The data gate on the dataset of the `DATASET_URI` variable, or on the sample; its report kept. */
  private addGateJob(): void {
    this.workflow.addJob('gate', {
      runsOn: RUNNER,
      needs: ['scan'],
      permissions: { contents: JobPermission.READ, idToken: JobPermission.WRITE },
      timeoutMinutes: 60,
      defaults: BASH,
      env: { DATASET_URI: repoVariable(GITHUB_VARIABLES.datasetUri) },
      steps: [
        checkout(),
        ...this.setup,
        {
          name: 'Check repository variables',
          if: "${{ env.DATASET_URI != '' }}",
          env: { [GITHUB_VARIABLES.readRoleArn]: repoVariable(GITHUB_VARIABLES.readRoleArn) },
          run: [
            `if [ -z "\${${GITHUB_VARIABLES.readRoleArn}}" ]; then`,
            `  echo "::error::${GITHUB_VARIABLES.datasetUri} is set but ${GITHUB_VARIABLES.readRoleArn} is not: the gate cannot read the dataset. Run \\"npx aidlc github setup\\"."`,
            '  exit 1',
            'fi',
          ].join('\n'),
        },
        awsCredentials(GITHUB_VARIABLES.readRoleArn, this.config.aws.region, { if: "${{ env.DATASET_URI != '' }}" }),
        {
          name: 'Data gate (contract and drift)',
          env: { SAMPLE: this.config.data.samplePath },
          run: [
            'data=${DATASET_URI:-$SAMPLE}',
            'baseline=()',
            'if [ -f pipelines/baseline-profile.json ]; then baseline=(--baseline pipelines/baseline-profile.json); fi',
            'npx aidlc gate --contract data/contract.json --data "$data" "${baseline[@]}" \\',
            '  --report gate-report.json --summary "$GITHUB_STEP_SUMMARY"',
          ].join('\n'),
        },
        {
          name: 'Keep the gate report',
          if: "${{ !cancelled() && hashFiles('gate-report.json') != '' }}",
          uses: pinnedUses('actions/upload-artifact'),
          with: { 'name': 'gate-report', 'path': 'gate-report.json', 'retention-days': 30 },
        },
      ],
    });
  }

  /** `cdk deploy` of the scanned cloud assembly through the deploy role, in the GitHub Environment. */
  private addDeployJob(): void {
    const stacks = deployedConcerns(this.config).map((concern) => this.names.stack(concern));
    this.workflow.addJob('deploy', {
      runsOn: RUNNER,
      needs: ['scan', 'gate'],
      if: this.onBranch,
      environment: this.environment,
      permissions: { contents: JobPermission.READ, idToken: JobPermission.WRITE },
      timeoutMinutes: 60,
      defaults: BASH,
      steps: [
        checkout(),
        requireVariables(GITHUB_VARIABLES.deployRoleArn),
        ...this.setup,
        {
          name: 'The scanned cloud assembly',
          uses: pinnedUses('actions/download-artifact'),
          with: { name: CLOUD_ASSEMBLY_ARTIFACT, path: 'cdk.out' },
        },
        awsCredentials(GITHUB_VARIABLES.deployRoleArn, this.config.aws.region),
        {
          name: `Deploy ${stacks.join(', ')}`,
          run: `npx cdk deploy --app cdk.out --require-approval never --progress events ${stacks.join(' ')}`,
        },
      ],
    });
  }

  /** The delivery pipeline started on this commit and followed until approval or 50 minutes. */
  private addReleaseJob(): void {
    this.workflow.addJob('release', {
      runsOn: RUNNER,
      needs: ['deploy'],
      if: this.onBranch,
      environment: this.environment,
      permissions: { contents: JobPermission.READ, idToken: JobPermission.WRITE },
      timeoutMinutes: RELEASE_TIMEOUT_MINUTES,
      defaults: BASH,
      steps: [
        checkout(),
        requireVariables(GITHUB_VARIABLES.deployRoleArn),
        ...this.setup,
        awsCredentials(GITHUB_VARIABLES.deployRoleArn, this.config.aws.region),
        {
          name: `Run ${this.names.deliveryPipeline} on this commit`,
          // Followed until a person must approve (which may take days) or for 50 minutes, inside the
          // one-hour OIDC session; from then on the commit statuses report the run.
          run: 'npx aidlc pipeline start --revision ${{ github.sha }} --wait --until-approval --detach-minutes 50 --summary "$GITHUB_STEP_SUMMARY"',
        },
      ],
    });
  }
}
