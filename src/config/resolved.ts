import { ApiAuthorization, ApiEndpointType, ColumnType, CompliancePack, GateEngine, MonitoringEngine, NetworkMode, QuotaPeriod, Severity, TrafficRouting, TrainingFramework } from './enums';

/**
 * A column of the resolved data contract.
 */
export interface ResolvedColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** Largest allowed share of empty values (0 for non-nullable columns). */
  readonly maxNullRatio: number;
  readonly min?: number;
  readonly max?: number;
  readonly allowedValues?: string[];
  readonly description?: string;
}

/**
 * The resolved data contract.
 */
export interface ResolvedContract {
  readonly columns: ResolvedColumn[];
  readonly targetColumn: string;
  readonly keyColumns: string[];
  readonly minRows: number;
  readonly maxDuplicateRows: number;
}

/** Resolved `github` section. */
export interface ResolvedGithub {
  /** `owner/name`. */
  readonly repository: string;
  readonly owner: string;
  readonly name: string;
  /** The branch whose pushes run the chain. */
  readonly branch: string;
  /** CodeConnections ARN (a placeholder until set). */
  readonly connectionArn: string;
  /** Whether `connectionArn` is still the placeholder. */
  readonly connectionIsPlaceholder: boolean;
}

/** Resolved `aws` section. */
export interface ResolvedAws {
  readonly region: string;
  /** 12-digit account id, absent when taken from the deploy credentials. */
  readonly account?: string;
}

/** Resolved `data` section. */
export interface ResolvedData {
  readonly contract: ResolvedContract;
  readonly samplePath: string;
  readonly s3Prefix: string;
  readonly driftPsiThreshold: number;
  readonly driftKsThreshold: number;
  readonly rawToGlacierDays: number;
  /** Days after which validated datasets (gate-run copies, reports, manifests) expire. */
  readonly validatedRetentionDays: number;
  /** Engine of the data gate on uploads. */
  readonly gateEngine: GateEngine;
  /** Size from which AUTO checks on Athena, GiB. */
  readonly gateAthenaThresholdGb: number;
  /** Bytes-scanned limit of one Athena query of the gate, GiB. */
  readonly gateScanLimitGb: number;
}

/** Estimated cost of one training run. */
export interface ResolvedTrainingCost {
  /** On-demand price of the instance type in the region, USD per hour. */
  readonly onDemandUsdPerHour: number;
  /** On-demand cost of a run that uses the whole max runtime, USD. */
  readonly onDemandUsdPerRun: number;
  /** The same run on Spot at the table's typical discount, USD (equal to on-demand when Spot is off). */
  readonly spotUsdPerRun: number;
  /** Where the prices come from, and when they were read. */
  readonly source: string;
}

/** Resolved `training` section. */
export interface ResolvedTraining {
  readonly entryPoint: string;
  readonly framework: TrainingFramework;
  readonly frameworkVersion: string;
  readonly customImageUri?: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly useSpot: boolean;
  readonly maxRuntimeSeconds: number;
  /** Present only with Spot. */
  readonly maxWaitSeconds?: number;
  readonly checkpointIntervalRounds: number;
  readonly volumeSizeGb: number;
  readonly hyperparameters: { [name: string]: string };
  readonly evaluationMetric: string;
  readonly metricThreshold: number;
  /** Whether a larger metric is better (auc, accuracy, f1) or a smaller one (rmse, mae). */
  readonly metricHigherIsBetter: boolean;
  readonly holdoutFraction: number;
  readonly cacheSteps: boolean;
  /** Estimated cost of one run, when the price table knows the instance type in the region. */
  readonly cost?: ResolvedTrainingCost;
}

/** A resolved deployment stage. */
export interface ResolvedStage {
  readonly name: string;
  readonly canary: boolean;
  readonly instanceCount: number;
  readonly requireApproval: boolean;
}

/** Resolved autoscaling. */
export interface ResolvedAutoscaling {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly targetInvocationsPerInstance: number;
}

/** Resolved `deployment` section. */
export interface ResolvedDeployment {
  readonly stages: ResolvedStage[];
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly trafficRouting: TrafficRouting;
  readonly canaryPercent: number;
  readonly bakeMinutes: number;
  readonly rollback5xxPercent: number;
  readonly rollbackP99LatencyMs: number;
  readonly autoscaling?: ResolvedAutoscaling;
}

/** Resolved `serving.api` section. */
export interface ResolvedInferenceApi {
  readonly enabled: boolean;
  readonly authorization: ApiAuthorization;
  /** Where the API answers: on the internet (REGIONAL) or only through `execute-api` VPC endpoints (PRIVATE). */
  readonly endpointType: ApiEndpointType;
  /** PRIVATE in an imported VPC whose landing zone keeps the endpoints: its `execute-api` endpoint ids. */
  readonly vpcEndpointIds?: string[];
  /** PRIVATE with the network's own `execute-api` endpoint: the ranges it admits besides the workloads (may be empty). */
  readonly callerCidrs?: string[];
  /** Callers with an API key of their own (the smoke test's key comes on top). */
  readonly consumers: string[];
  /** Per API key: steady requests per second, burst, and quota per period. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly quotaLimit: number;
  readonly quotaPeriod: QuotaPeriod;
  /** The whole stage: steady requests per second and burst. */
  readonly stageRateLimit: number;
  readonly stageBurstLimit: number;
  /** Most rows per request. */
  readonly maxBatchSize: number;
  /** Requests per client IP per 5 minutes before AWS WAF blocks it. */
  readonly wafRateLimit: number;
  readonly latencyAlarmMs: number;
  readonly clientErrorAlarmPercent: number;
  readonly manageAccountLogRole: boolean;
}

/** Resolved `serving` section. */
export interface ResolvedServing {
  readonly api: ResolvedInferenceApi;
}

/** Resolved `monitoring` section. */
export interface ResolvedMonitoring {
  readonly engine: MonitoringEngine;
  readonly schedule: string;
  readonly dataCapturePercent: number;
  readonly windowHours: number;
  readonly alertEmail?: string;
  readonly retrainOnDrift: boolean;
  readonly retrainCooldownHours: number;
  /** Days after which captured endpoint traffic expires. */
  readonly captureRetentionDays: number;
}

/** Resolved `security` section. */
export interface ResolvedSecurity {
  readonly failOnSeverity: Severity;
  readonly compliancePacks: CompliancePack[];
  readonly controlTowerControls: boolean;
}

/** An interface endpoint the network creates, and which workload calls it. */
export interface ResolvedInterfaceEndpoint {
  /** Service name after `com.amazonaws.<region>.`, e.g. `monitoring`. */
  readonly service: string;
  /** The workload that calls it. */
  readonly reason: string;
}

/** Idle monthly cost of the interface endpoints the network creates. */
export interface ResolvedNetworkCost {
  readonly interfaceEndpoints: number;
  readonly availabilityZones: number;
  readonly usdPerEndpointAzHour: number;
  /** Endpoints x zones x 730 h x price, USD: what the endpoints cost with no traffic at all. */
  readonly idleUsdPerMonth: number;
  /** Where the price comes from, and when it was read. */
  readonly source: string;
}

/** Resolved `network` section. */
export interface ResolvedNetwork {
  readonly mode: NetworkMode;
  /** CREATE_VPC: the VPC's range. */
  readonly cidr?: string;
  /** Zones the workloads' subnets span. */
  readonly availabilityZoneCount: number;
  /** CREATE_VPC: ranges the VPC must not overlap. */
  readonly avoidCidrs: string[];
  /** IMPORT_VPC: the existing VPC. */
  readonly vpcId?: string;
  readonly vpcCidr?: string;
  readonly subnetIds?: string[];
  readonly availabilityZones?: string[];
  readonly routeTableIds?: string[];
  /** Whether this product creates the S3 gateway endpoint and the interface endpoints. */
  readonly createEndpoints: boolean;
  /** The interface endpoints created (empty when none are). */
  readonly interfaceEndpoints: ResolvedInterfaceEndpoint[];
  /** IMPORT_VPC without endpoints of its own: where the VPC's interface endpoints answer. */
  readonly endpointCidrs?: string[];
  /** IMPORT_VPC without endpoints of its own: the S3 endpoint data reads must come through. */
  readonly s3EndpointId?: string;
  /** The region's S3 prefix list (absent for NONE). */
  readonly s3PrefixListId?: string;
  /** NONE: why. */
  readonly optOutReason?: string;
  /** Idle monthly cost of the created interface endpoints (absent when none are created). */
  readonly cost?: ResolvedNetworkCost;
}

/**
 * The config with every default applied and every rule checked: what `pipelines/aidlc.json` holds
 * and what the CDK app, the workflows and the CLI read.
 */
export interface ResolvedConfig {
  /** Schema version of this document. */
  readonly schemaVersion: number;
  readonly modelName: string;
  readonly github: ResolvedGithub;
  readonly aws: ResolvedAws;
  readonly data: ResolvedData;
  readonly training: ResolvedTraining;
  readonly deployment: ResolvedDeployment;
  readonly serving: ResolvedServing;
  readonly monitoring: ResolvedMonitoring;
  readonly security: ResolvedSecurity;
  readonly network: ResolvedNetwork;
}
