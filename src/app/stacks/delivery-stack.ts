import { Annotations, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps, MODEL_TAG } from './aidlc-stack';
import { ApiAuthorization, ApiEndpointType, ResolvedConfig } from '../../config';
import { IDataLake } from '../../constructs/data/data-lake-ref';
import { DeliveryPipeline } from '../../constructs/delivery/delivery-pipeline';
import { GithubOidc } from '../../constructs/delivery/github-oidc';
import { GithubStatusReporter } from '../../constructs/delivery/github-status-reporter';
import { IModelNetwork } from '../../constructs/network/model-network-ref';
import { DELIVERY_OUTPUTS } from '../../core/names/delivery-names';
import { ResourceNames } from '../../core/names/resource-names';

/** CDK context key that names the account's existing GitHub OIDC provider. */
export const OIDC_PROVIDER_CONTEXT_KEY = 'aidlc:githubOidcProviderArn';

/**
 * Props of the delivery stack.
 */
export interface DeliveryStackProps extends AidlcStackProps {
  /** The data lake (from the data stack): datasets for the gate, the log bucket for artifacts. */
  readonly lake: IDataLake;
  /**
   * ARN of the account's existing GitHub OIDC provider (an account holds one per URL).
   * @default - the `aidlc:githubOidcProviderArn` context value, else a new provider
   */
  readonly existingOidcProviderArn?: string;
  /**
   * The model's network. With a private inference API (`serving.api.endpointType` PRIVATE) the
   * smoke test after each deploy runs in it, since the API answers nowhere else; required then.
   * @default - no network: the smoke test runs outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * CodePipeline, GitHub OIDC roles and commit statuses.
 *
 * Outputs (read by `aidlc github setup`): `GithubReadRoleArn`, `GithubDeployRoleArn`,
 * `DeliveryPipelineName`, `GithubStatusTokenSecretArn`.
 */
export class DeliveryStack extends AidlcStack {
  public readonly oidc: GithubOidc;
  public readonly pipeline: DeliveryPipeline;
  public readonly statusReporter: GithubStatusReporter;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, 'delivery', props);
    const github = props.config.github;
    if (github.connectionIsPlaceholder) {
      Annotations.of(this).addWarningV2('aidlc:connection-placeholder',
        'github connection ARN is the placeholder: create a CodeConnections connection to GitHub, set githubConnectionArn in .projenrc.ts and run npx projen');
    }
    this.pipeline = this.createPipeline(props);
    this.oidc = this.createGithubOidc(props);
    this.pipeline.grantStart(this.oidc.deployRole);
    this.pipeline.grantRead(this.oidc.deployRole);
    this.statusReporter = new GithubStatusReporter(this, 'GithubStatus', {
      pipeline: this.pipeline.pipeline,
      repositoryOwner: github.owner,
      repositoryName: github.name,
    });
    this.addOutputs();
  }

  /** The delivery pipeline from the config: the dataset prefix, the stages, the smoke tests of the inference APIs. */
  private createPipeline(props: DeliveryStackProps): DeliveryPipeline {
    const config = props.config;
    const names = new ResourceNames(config);
    const github = config.github;
    return new DeliveryPipeline(this, 'Pipeline', {
      pipelineName: names.deliveryPipeline,
      connectionArn: github.connectionArn,
      repositoryOwner: github.owner,
      repositoryName: github.name,
      branch: github.branch,
      lake: props.lake,
      // The whole dataset prefix: every data object below it is gated and, if all pass, trained on.
      datasetKey: config.data.s3Prefix,
      signingKey: names.signingKeyAlias,
      baselineProfileKey: names.baselineProfileKey,
      trainingPipelineName: names.trainingPipeline,
      modelPackageGroupName: names.modelPackageGroup,
      stages: config.deployment.stages.map((stage) => ({
        name: stage.name,
        stackName: names.stack(`serving-${stage.name}`),
        requireApproval: stage.requireApproval,
      })),
      monitoringStackName: names.stack('monitoring'),
      trainingTimeout: trainingTimeout(config),
      gateRoleName: names.gateBuildRole,
      ...(config.serving.api.enabled ? {
        smokeTests: {
          modelTagKey: MODEL_TAG,
          modelTagValue: config.modelName,
          cognito: config.serving.api.authorization === ApiAuthorization.COGNITO,
          ...(config.serving.api.endpointType === ApiEndpointType.PRIVATE ? { network: smokeTestNetwork(props) } : {}),
        },
      } : {}),
    });
  }

  /** The GitHub jobs' roles: reading datasets for the scan and gate jobs, deploying for the deploy and release jobs. */
  private createGithubOidc(props: DeliveryStackProps): GithubOidc {
    const config = props.config;
    const github = config.github;
    return new GithubOidc(this, 'GithubOidc', {
      repositoryOwner: github.owner,
      repositoryName: github.name,
      branch: github.branch,
      deployEnvironments: config.deployment.stages.map((stage) => stage.name),
      existingProviderArn: props.existingOidcProviderArn ?? this.node.tryGetContext(OIDC_PROVIDER_CONTEXT_KEY),
      lake: props.lake,
      stackNamePrefix: `${config.modelName}-`,
      readRoleName: new ResourceNames(config).githubReadRole,
      imageRepositoryArns: ecrRepositoryArns(this, config.training.customImageUri),
    });
  }

  /** What `aidlc github setup` and the person setting up the repository read from the stack. */
  private addOutputs(): void {
    new CfnOutput(this, DELIVERY_OUTPUTS.readRoleArn, {
      value: this.oidc.readRole.roleArn,
      description: 'Role of the scan and gate jobs (GitHub variable AIDLC_READ_ROLE_ARN)',
    });
    new CfnOutput(this, DELIVERY_OUTPUTS.deployRoleArn, {
      value: this.oidc.deployRole.roleArn,
      description: 'Role of the deploy and release jobs (GitHub variable AIDLC_DEPLOY_ROLE_ARN)',
    });
    new CfnOutput(this, DELIVERY_OUTPUTS.pipelineName, {
      value: this.pipeline.pipelineName,
      description: 'The delivery CodePipeline',
    });
    new CfnOutput(this, DELIVERY_OUTPUTS.statusTokenSecretArn, {
      value: this.statusReporter.tokenSecret.secretArn,
      description: 'Put a GitHub token with commit-status write access here: aws secretsmanager put-secret-value --secret-id <arn> --secret-string <token>',
    });
  }
}

/** The network a private API's smoke test runs in: the one given; without it the smoke test could reach no stage. */
function smokeTestNetwork(props: DeliveryStackProps): IModelNetwork {
  if (!props.network) {
    throw new Error('DeliveryStack: the config\'s inference API is PRIVATE (serving.api.endpointType), so its smoke test runs in the model\'s network; pass it as `network`');
  }
  return props.network;
}

/** The ECR repository of a custom training image (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME[:tag|@digest]`), if it is one. */
function ecrRepositoryArns(stack: Stack, imageUri: string | undefined): string[] {
  const m = imageUri?.match(/^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/);
  if (!m) return [];
  return [stack.formatArn({ service: 'ecr', account: m[1], region: m[2], resource: 'repository', resourceName: m[3] })];
}

/** Time for one training run: Spot wait (or runtime) plus an hour for processing, within CodeBuild's 36 hours. */
function trainingTimeout(config: ResolvedConfig): Duration {
  const seconds = (config.training.maxWaitSeconds ?? config.training.maxRuntimeSeconds) + 3600;
  return Duration.minutes(Math.min(2160, Math.ceil(seconds / 60)));
}
