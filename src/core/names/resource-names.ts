import { NetworkMode } from '../enums';
import { ResolvedConfig } from '../resolved';

/** Key of a model's training baseline profile in the artifacts bucket. */
export function baselineProfileKeyFor(modelName: string): string {
  return `baselines/${modelName}/profile.json`;
}

/**
 * Whether the app has a network stack: a created VPC, or endpoints created in an imported one.
 * An imported VPC that uses the landing zone's endpoints needs no resource of its own.
 */
export function hasNetworkStack(config: ResolvedConfig): boolean {
  const n = config.network;
  return n.mode === NetworkMode.CREATE_VPC || (n.mode === NetworkMode.IMPORT_VPC && n.createEndpoints);
}

/**
 * Physical names shared across stacks, the CLI and the workflows. Resources that other concerns
 * find at run time (not through CloudFormation references) are named here, once.
 */
export class ResourceNames {
  constructor(private readonly config: ResolvedConfig) {}

  private get model(): string {
    return this.config.modelName;
  }

  /** Stack id of a concern, e.g. `churn-data`. */
  public stack(concern: string): string {
    return `${this.model}-${concern}`;
  }

  /** The SageMaker Pipeline that trains, evaluates and registers. */
  public get trainingPipeline(): string {
    return `${this.model}-training`;
  }

  /** The SageMaker model package group of the model's versions. */
  public get modelPackageGroup(): string {
    return this.model;
  }

  /** The CodePipeline of the chain. */
  public get deliveryPipeline(): string {
    return `${this.model}-delivery`;
  }

  /** The endpoint of a stage (fixed, so alarms can name it without a dependency cycle). */
  public endpoint(stage: string): string {
    return `${this.model}-${stage}`;
  }

  /** The inference API of a stage (fixed, so its metrics and alarms can name it). */
  public inferenceApi(stage: string): string {
    return `${this.model}-${stage}-api`;
  }

  /**
   * Key, in the artifacts bucket, of the training baseline profile: written by the Gate stage from
   * the dataset it passes, attached to registered models, scored against by the drift monitor.
   */
  public get baselineProfileKey(): string {
    return baselineProfileKeyFor(this.model);
  }

  /** The KMS key alias of the model's signing key (the training pipeline signs, deployments verify). */
  public get signingKeyAlias(): string {
    return `alias/aidlc/${this.model}/model-signing`;
  }

  /** The KMS key alias of the model's data. */
  public get keyAlias(): string {
    return `alias/aidlc/${this.model}`;
  }

  /**
   * The role of the GitHub scan and gate jobs: it reads datasets from GitHub's runners, outside
   * the model's network, so the lake names it.
   */
  public get githubReadRole(): string {
    return `${this.model}-github-read`;
  }

  /** The role of the delivery pipeline's Gate step on CodeBuild, which reads the raw dataset from outside the network. */
  public get gateBuildRole(): string {
    return `${this.model}-delivery-gate`;
  }

  /** The Athena workgroup of the data gate (with the ATHENA and AUTO gate engines). */
  public get gateWorkgroup(): string {
    return `${this.model}-data-gate`;
  }

  /** The Glue database of the model's datasets (Glue names allow no dashes). */
  public get glueDatabase(): string {
    return `aidlc_${this.model.replace(/-/g, '_')}`;
  }
}

/**
 * GitHub repository variables the workflows read and `aidlc github setup` writes.
 */
export const GITHUB_VARIABLES = {
  /** Role assumed through OIDC by the scan and gate jobs: read-only. */
  readRoleArn: 'AIDLC_READ_ROLE_ARN',
  /** Role assumed through OIDC by the deploy and release jobs. */
  deployRoleArn: 'AIDLC_DEPLOY_ROLE_ARN',
  /** `s3://bucket/key` of the training dataset the gate job checks (the sample when unset). */
  datasetUri: 'AIDLC_DATASET_URI',
} as const;
