import { ApiAuthorization, ApiEndpointType, ColumnType, CompliancePack, GateEngine, MonitoringEngine, NetworkMode, QuotaPeriod, Severity, TrafficRouting, TrainingFramework } from './enums';

/**
 * One column of the data contract.
 */
export interface ColumnOptions {
  /** Column name, as in the file header. */
  readonly name: string;
  /** Value type. */
  readonly type: ColumnType;
  /**
   * Whether empty values are allowed.
   * @default false
   */
  readonly nullable?: boolean;
  /**
   * Largest share of empty values (0..1) before the gate fails. Only for nullable columns.
   * @default 1 (no limit) for nullable columns
   */
  readonly maxNullRatio?: number;
  /**
   * Smallest allowed value (inclusive), for int and float columns.
   * @default - no lower bound
   */
  readonly min?: number;
  /**
   * Largest allowed value (inclusive), for int and float columns.
   * @default - no upper bound
   */
  readonly max?: number;
  /**
   * The only values allowed, for string and int columns. Ints compare as numbers.
   * @default - any value
   */
  readonly allowedValues?: string[];
  /**
   * What the column holds, for the generated docs and the Glue catalog.
   * @default - none
   */
  readonly description?: string;
}

/**
 * The data contract: what every training dataset must look like before training starts.
 */
export interface DataContractOptions {
  /** The columns, in file order. */
  readonly columns: ColumnOptions[];
  /** The column the model learns to predict. */
  readonly targetColumn: string;
  /**
   * Columns that together identify a row; duplicates fail the gate. Not used as features.
   * @default - no key
   */
  readonly keyColumns?: string[];
  /**
   * Fewest rows a dataset may have.
   * @default 1000
   */
  readonly minRows?: number;
  /**
   * Most fully duplicated rows a dataset may have.
   * @default 0
   */
  readonly maxDuplicateRows?: number;
}

/**
 * The `data` section: the contract, the sample and where datasets live.
 */
export interface DataOptions {
  /**
   * The data contract.
   * @default - the contract of the churn sample dataset written with the project
   */
  readonly contract?: DataContractOptions;
  /**
   * Path of the sample dataset in the repository, used by the build's gate and local training.
   * @default "data/sample.csv"
   */
  readonly samplePath?: string;
  /**
   * Key prefix for datasets in the raw data bucket. Uploads under it are gated.
   * @default "raw/<modelName>/"
   */
  readonly s3Prefix?: string;
  /**
   * Population stability index above which a column counts as drifted (gate and monitor).
   * @default 0.2
   */
  readonly driftPsiThreshold?: number;
  /**
   * Kolmogorov-Smirnov statistic above which a numeric column counts as drifted.
   * @default 0.1
   */
  readonly driftKsThreshold?: number;
  /**
   * Days after which raw datasets move to Glacier.
   * @default 90
   */
  readonly rawToGlacierDays?: number;
  /**
   * Days after which validated datasets expire: the gate runs' copies, reports and manifests
   * (current and older versions). A model version's lineage can be traced, and its training data
   * re-read, while they are kept.
   * @default 365
   */
  readonly validatedRetentionDays?: number;
  /**
   * Engine of the data gate on uploads: the streaming engine, Athena, or Athena from
   * `gateAthenaThresholdGb` on. ATHENA and AUTO add an Athena workgroup and a gate table.
   * @default GateEngine.STREAMING
   */
  readonly gateEngine?: GateEngine;
  /**
   * With `GateEngine.AUTO`: uploads of this many GiB or more are checked on Athena.
   * @default 5
   */
  readonly gateAthenaThresholdGb?: number;
  /**
   * Most data one Athena query of the gate may scan, in GiB (the workgroup's
   * BytesScannedCutoffPerQuery; a gate run makes two scans). At USD 5 per TB, 1000 GiB cost
   * about USD 4.9 per query.
   * @default 1000
   */
  readonly gateScanLimitGb?: number;
}

/**
 * The `training` section. The instance type is the top-level `trainingInstanceType`.
 */
export interface TrainingOptions {
  /**
   * The training script, relative to the repository root.
   * @default "training/train.py"
   */
  readonly entryPoint?: string;
  /**
   * Framework of the training image.
   * @default TrainingFramework.XGBOOST
   */
  readonly framework?: TrainingFramework;
  /**
   * Framework version, one the image map knows for the framework.
   * @default "1.7-1" for XGBoost, "1.2-1" for scikit-learn
   */
  readonly frameworkVersion?: string;
  /**
   * ECR image URI, required when the framework is CUSTOM.
   * @default - the framework image for the region
   */
  readonly customImageUri?: string;
  /**
   * Number of training instances.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Train on managed Spot capacity, with checkpoints and resume.
   * @default true
   */
  readonly useSpot?: boolean;
  /**
   * Longest a training job may run, in seconds.
   * @default 3600
   */
  readonly maxRuntimeSeconds?: number;
  /**
   * Longest to wait for Spot capacity plus run time, in seconds. Only with Spot; at least `maxRuntimeSeconds`.
   * @default twice `maxRuntimeSeconds` with Spot, absent without
   */
  readonly maxWaitSeconds?: number;
  /**
   * Save a checkpoint every this many boosting rounds.
   * @default 10
   */
  readonly checkpointIntervalRounds?: number;
  /**
   * Size of the training volume in GB.
   * @default 30
   */
  readonly volumeSizeGb?: number;
  /**
   * Hyperparameters passed to the training script.
   * @default { "num_round": "200", "max_depth": "5", "eta": "0.1" }
   */
  readonly hyperparameters?: { [name: string]: string };
  /**
   * The evaluation metric the model is registered on: auc, accuracy, f1, rmse or mae.
   * @default "auc"
   */
  readonly evaluationMetric?: string;
  /**
   * The bar the metric must clear (at least it for auc/accuracy/f1, at most it for rmse/mae).
   * @default 0.75
   */
  readonly metricThreshold?: number;
  /**
   * Share of the dataset held out for evaluation (0..0.5).
   * @default 0.2
   */
  readonly holdoutFraction?: number;
  /**
   * Reuse results of unchanged pipeline steps.
   * @default false
   */
  readonly cacheSteps?: boolean;
}

/**
 * One deployment stage (an endpoint).
 */
export interface StageOptions {
  /** Stage name, lower case: used in stack, endpoint and environment names. */
  readonly name: string;
  /**
   * Roll out as a canary with alarm rollback. Otherwise all at once.
   * @default true for the last stage, false for the others
   */
  readonly canary?: boolean;
  /**
   * Instances behind the endpoint.
   * @default `deployment.instanceCount`
   */
  readonly instanceCount?: number;
  /**
   * A person approves in GitHub (environment reviewers) before this stage deploys.
   * @default true for the last stage, false for the others
   */
  readonly requireApproval?: boolean;
}

/**
 * Endpoint autoscaling on invocations per instance.
 */
export interface AutoscalingOptions {
  /** Fewest instances. */
  readonly minCapacity: number;
  /** Most instances. */
  readonly maxCapacity: number;
  /**
   * Target invocations per instance per minute.
   * @default 1000
   */
  readonly targetInvocationsPerInstance?: number;
}

/**
 * The `deployment` section: endpoints and the canary rollout.
 */
export interface DeploymentOptions {
  /**
   * Stages in rollout order.
   * @default - staging (all at once), then prod (canary, approval)
   */
  readonly stages?: StageOptions[];
  /**
   * Endpoint instance type.
   * @default "ml.m5.large"
   */
  readonly instanceType?: string;
  /**
   * Instances per endpoint.
   * @default 2
   */
  readonly instanceCount?: number;
  /**
   * How a canary stage shifts traffic.
   * @default TrafficRouting.CANARY
   */
  readonly trafficRouting?: TrafficRouting;
  /**
   * Share of the fleet in the canary step, in percent (1..50).
   * @default 10
   */
  readonly canaryPercent?: number;
  /**
   * Minutes to watch the alarms after each traffic shift (0..60).
   * @default 10
   */
  readonly bakeMinutes?: number;
  /**
   * Roll back when the share of 5XX responses exceeds this percent.
   * @default 1
   */
  readonly rollback5xxPercent?: number;
  /**
   * Roll back when p99 model latency exceeds this many milliseconds.
   * @default 1000
   */
  readonly rollbackP99LatencyMs?: number;
  /**
   * Autoscaling of every endpoint.
   * @default - no autoscaling
   */
  readonly autoscaling?: AutoscalingOptions;
}

/**
 * The inference API of every stage: API Gateway in front of the endpoint, authenticated,
 * throttled per API key, validated against the data contract, behind AWS WAF.
 */
export interface InferenceApiOptions {
  /**
   * Put the API in front of each stage's endpoint.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How callers authenticate.
   * @default ApiAuthorization.IAM
   */
  readonly authorization?: ApiAuthorization;
  /**
   * Where the API answers. A PRIVATE API is reached only through an `execute-api` interface
   * endpoint, from inside the VPC or networks connected to it, and the delivery pipeline's smoke
   * test then runs inside the VPC too.
   *
   * The default follows `network.mode`. In an imported VPC (IMPORT_VPC) the callers live in the
   * organization's network, which the landing zone connects: the API stays inside it (PRIVATE).
   * The VPC this product creates (CREATE_VPC) is isolated, with no callers and no way in, so
   * applications call from elsewhere, authenticated (IAM or Cognito), with an API key each and
   * behind AWS WAF (REGIONAL); the same without a network (NONE).
   * @default - ApiEndpointType.PRIVATE with NetworkMode.IMPORT_VPC, ApiEndpointType.REGIONAL otherwise
   */
  readonly endpointType?: ApiEndpointType;
  /**
   * Ids of the landing zone's `execute-api` interface endpoints (`vpce-` and 8 or 17 hex digits)
   * through which a PRIVATE API is called: required in an imported VPC whose endpoints the landing
   * zone keeps (`network.createEndpoints` false). Where the network creates its endpoints, it
   * creates this one too.
   * @default - none; the network's own endpoint when it creates endpoints
   */
  readonly vpcEndpointIds?: string[];
  /**
   * IPv4 ranges that may send HTTPS to the `execute-api` endpoint the network creates for a
   * PRIVATE API, besides the model's own workloads (the smoke test). The endpoint's security
   * group admits them and nothing else.
   * @default - the VPC's range (`network.vpcCidr`) with NetworkMode.IMPORT_VPC; none with NetworkMode.CREATE_VPC, whose isolated VPC has no other callers
   */
  readonly callerCidrs?: string[];
  /**
   * Callers that get an API key of their own, each throttled and metered on its own. Lower-case
   * letters, digits and dashes. The delivery pipeline's smoke test always has its own key too.
   * @default ["default"]
   */
  readonly consumers?: string[];
  /**
   * Steady requests per second each API key may send.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Requests each API key may send at once above the steady rate.
   * @default 100
   */
  readonly burstLimit?: number;
  /**
   * Requests each API key may send per `quotaPeriod`.
   * @default 100000
   */
  readonly quotaLimit?: number;
  /**
   * The period the quota counts over.
   * @default QuotaPeriod.DAY
   */
  readonly quotaPeriod?: QuotaPeriod;
  /**
   * Steady requests per second the whole stage accepts, all keys together.
   * @default 100
   */
  readonly stageRateLimit?: number;
  /**
   * Requests the whole stage accepts at once above its steady rate.
   * @default 200
   */
  readonly stageBurstLimit?: number;
  /**
   * Most rows one request may carry (1..1000).
   * @default 100
   */
  readonly maxBatchSize?: number;
  /**
   * Requests one client IP address may send per 5 minutes before AWS WAF blocks it.
   * @default 20000
   */
  readonly wafRateLimit?: number;
  /**
   * Alarm when the API's p99 latency, model included, exceeds this many milliseconds.
   * @default twice `deployment.rollbackP99LatencyMs`
   */
  readonly latencyAlarmMs?: number;
  /**
   * Alarm when more than this percent of requests are rejected with a 4XX status (bad payloads,
   * throttling, failed authentication).
   * @default 25
   */
  readonly clientErrorAlarmPercent?: number;
  /**
   * Set the account's API Gateway CloudWatch Logs role (one per account and region) from the first
   * stage's stack. Turn it off where the account already has one that a platform team manages.
   * @default true
   */
  readonly manageAccountLogRole?: boolean;
}

/**
 * The `serving` section: how applications reach the endpoints.
 */
export interface ServingOptions {
  /**
   * The inference API in front of each stage's endpoint.
   * @default - see InferenceApiOptions (on, IAM authorization)
   */
  readonly api?: InferenceApiOptions;
}

/**
 * The `monitoring` section. The engine is the top-level `monitoringEngine`.
 */
export interface MonitoringOptions {
  /**
   * When the monitor runs: an EventBridge `rate(...)` or six-field `cron(...)` expression.
   * @default "rate(1 hour)"
   */
  readonly schedule?: string;
  /**
   * Share of endpoint requests captured for monitoring, in percent (1..100).
   * @default 20
   */
  readonly dataCapturePercent?: number;
  /**
   * Hours of captured traffic each monitoring run looks at.
   * @default 24
   */
  readonly windowHours?: number;
  /**
   * Email address subscribed to drift and rollback alerts.
   * @default - no subscription (the topic still exists)
   */
  readonly alertEmail?: string;
  /**
   * Start a retraining run when drift is detected.
   * @default false
   */
  readonly retrainOnDrift?: boolean;
  /**
   * Least hours between two drift-triggered retraining runs.
   * @default 24
   */
  readonly retrainCooldownHours?: number;
  /**
   * Days after which captured endpoint requests and responses expire. At least the monitoring
   * window (`windowHours`), or the monitor would find nothing to compare.
   * @default 90
   */
  readonly captureRetentionDays?: number;
}

/**
 * The `security` section.
 */
export interface SecurityOptions {
  /**
   * Fail scans on findings at or above this severity.
   * @default Severity.HIGH
   */
  readonly failOnSeverity?: Severity;
  /**
   * cdk-nag rule packs every stack must pass at synth.
   * @default - all four packs
   */
  readonly compliancePacks?: CompliancePack[];
  /**
   * Check the synthesized templates against the AWS Control Tower proactive controls (cfn-guard)
   * at synth.
   * @default true
   */
  readonly controlTowerControls?: boolean;
}

/**
 * The `network` section: where the workloads run and how they reach AWS.
 */
export interface NetworkOptions {
  /**
   * A VPC the product creates, an existing VPC, or none (with a reason).
   * @default NetworkMode.CREATE_VPC
   */
  readonly mode?: NetworkMode;
  /**
   * IPv4 range of the created VPC (CREATE_VPC), a /16 to /24.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;
  /**
   * Availability zones of the created VPC (CREATE_VPC): one private subnet in each, at least 2.
   * Interface endpoints are billed per zone.
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * Address ranges the created VPC must not overlap (CREATE_VPC): networks it may later be peered
   * or attached to, such as on-premises ranges or other VPCs of the organization.
   * @default - none
   */
  readonly avoidCidrs?: string[];
  /**
   * Id of the existing VPC (IMPORT_VPC), e.g. `vpc-0a1b2c3d4e5f67890`.
   * @default - none; required for IMPORT_VPC
   */
  readonly vpcId?: string;
  /**
   * IPv4 range of the existing VPC (IMPORT_VPC).
   * @default - none; required for IMPORT_VPC
   */
  readonly vpcCidr?: string;
  /**
   * Ids of the existing VPC's private subnets the workloads run in (IMPORT_VPC), in at least
   * two availability zones.
   * @default - none; required for IMPORT_VPC
   */
  readonly subnetIds?: string[];
  /**
   * Availability zone of each subnet in `subnetIds`, in the same order (IMPORT_VPC), e.g.
   * `eu-west-1a`.
   * @default - none; required for IMPORT_VPC
   */
  readonly availabilityZones?: string[];
  /**
   * Route tables of those subnets (IMPORT_VPC with `createEndpoints`): the S3 gateway endpoint
   * is added to them.
   * @default - none
   */
  readonly routeTableIds?: string[];
  /**
   * Create the S3 gateway endpoint and the interface endpoints in the existing VPC (IMPORT_VPC).
   * Leave off where the landing zone provides endpoints centrally.
   * @default false
   */
  readonly createEndpoints?: boolean;
  /**
   * Where the existing VPC's AWS interface endpoints answer (IMPORT_VPC without
   * `createEndpoints`): the workloads may send HTTPS only to these ranges and to S3.
   * @default - the VPC's own range (`vpcCidr`)
   */
  readonly endpointCidrs?: string[];
  /**
   * Id of the S3 endpoint the existing VPC reaches S3 through (IMPORT_VPC without
   * `createEndpoints`), e.g. `vpce-0a1b2c3d4e5f67890`: the lake's buckets accept data reads
   * only through it.
   * @default - reads are limited to the VPC (`aws:SourceVpc`) instead of one endpoint
   */
  readonly s3EndpointId?: string;
  /**
   * Id of the region's AWS-managed S3 prefix list (`com.amazonaws.<region>.s3`), which the
   * workloads' security groups allow HTTPS to.
   * @default - the built-in table's id for the region (a config error names the command that finds it elsewhere)
   */
  readonly s3PrefixListId?: string;
  /**
   * More interface endpoints to create, by service name after `com.amazonaws.<region>.`,
   * e.g. `["sts", "kms"]`.
   * @default - only those the configured workloads call
   */
  readonly additionalEndpoints?: string[];
  /**
   * Why the workloads run without a VPC (NONE). Printed in the compliance report and recorded
   * on every acknowledged finding.
   * @default - none; required for NONE
   */
  readonly optOutReason?: string;
}

/**
 * The one typed config of an ML model repository.
 *
 * Primitive fields at this level are also `projen new` flags; the sections below are edited in
 * `.projenrc.ts`.
 */
export interface AidlcConfigOptions {
  /**
   * Name of the model: lower case letters, digits and dashes. Names stacks, buckets and endpoints.
   * @default "$BASEDIR"
   */
  readonly modelName: string;
  /**
   * The GitHub repository, `owner/name`. OIDC roles trust only this repository.
   * @default "$GIT_REMOTE"
   */
  readonly githubRepository: string;
  /**
   * ARN of the AWS CodeConnections connection to GitHub that CodePipeline pulls through.
   * @default - a placeholder; set it before the first deploy
   * @featured
   */
  readonly githubConnectionArn?: string;
  /**
   * AWS region of every stack.
   * @default "us-east-1"
   */
  readonly awsRegion?: string;
  /**
   * AWS account id (12 digits).
   * @default - the account of the credentials used to deploy
   */
  readonly awsAccount?: string;
  /**
   * SageMaker instance type for training.
   * @default "ml.m5.xlarge"
   */
  readonly trainingInstanceType?: string;
  /**
   * Drift monitoring engine.
   * @default MonitoringEngine.BUILTIN
   */
  readonly monitoringEngine?: MonitoringEngine;
  /**
   * The data contract, sample and storage.
   * @default - see DataOptions
   * @featured
   */
  readonly data?: DataOptions;
  /**
   * Training on SageMaker.
   * @default - see TrainingOptions
   * @featured
   */
  readonly training?: TrainingOptions;
  /**
   * Endpoints and rollout.
   * @default - see DeploymentOptions
   * @featured
   */
  readonly deployment?: DeploymentOptions;
  /**
   * The inference API in front of the endpoints.
   * @default - see ServingOptions
   * @featured
   */
  readonly serving?: ServingOptions;
  /**
   * Drift monitoring and alerts.
   * @default - see MonitoringOptions
   * @featured
   */
  readonly monitoring?: MonitoringOptions;
  /**
   * Scans and compliance packs.
   * @default - see SecurityOptions
   * @featured
   */
  readonly security?: SecurityOptions;
  /**
   * Network isolation: the VPC the workloads run in and how they reach AWS.
   * @default - see NetworkOptions: a VPC with private isolated subnets in 2 zones and VPC endpoints
   * @featured
   */
  readonly network?: NetworkOptions;
}
