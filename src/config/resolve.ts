import { PRIVATE_API_ENDPOINTS, apiEndpointTypeOf, hasPrivateApi, networkCreatesEndpoints } from './api-endpoint';
import { DEFAULTS, PLACEHOLDER_CONNECTION_ARN, SAMPLE_CONTRACT } from './defaults';
import { ColumnType, GateEngine, MonitoringEngine, NetworkMode, TrainingFramework } from './enums';
import { S3_PREFIX_LISTS, estimateEndpointCost } from './network-facts';
import { AidlcConfigOptions, DataContractOptions, DeploymentOptions } from './options';
import { ResolvedConfig, ResolvedContract, ResolvedInterfaceEndpoint, ResolvedNetwork, ResolvedServing, ResolvedStage } from './resolved';
import { apiEndpointRules } from './rules/api-endpoint';
import { EVALUATION_METRICS, FRAMEWORK_VERSIONS } from '../core/frameworks';
import { ConfigValidationError, Problem } from '../core/problem';
import { dataRules } from './rules/data';
import { deploymentRules } from './rules/deployment';
import { identityRules, parseGithubRepository } from './rules/identity';
import { monitoringRules } from './rules/monitoring';
import { networkRules } from './rules/network';
import { securityRules } from './rules/security';
import { INTEGRATION_TIMEOUT_MS, servingRules } from './rules/serving';
import { trainingRules } from './rules/training';
import { estimateTrainingCost } from './training-cost';

/** Version of the `pipelines/aidlc.json` document. */
export const SCHEMA_VERSION = 1;

/** Every problem with the options; empty when they are valid. */
export function validateConfig(o: AidlcConfigOptions): Problem[] {
  const problems = [
    ...identityRules(o),
    ...dataRules(o.data),
    ...trainingRules(o.training, o.trainingInstanceType, o.awsRegion),
    ...deploymentRules(o.deployment),
    ...servingRules(o.serving, o.deployment, o.modelName),
    ...apiEndpointRules(o.serving?.api, o.network),
    ...monitoringRules(o.monitoring, o.monitoringEngine),
    ...securityRules(o.security),
  ];
  // A region that is itself wrong says nothing about its S3 prefix list: that problem is reported once, on awsRegion.
  const regionOk = !problems.some((p) => p.path === 'awsRegion');
  return [...problems, ...networkRules(o.network, o.awsRegion ?? DEFAULTS.awsRegion, regionOk)];
}

/**
 * Turns options into the resolved config, or throws one `ConfigValidationError` that lists every
 * problem with its field path, the bad value and the fix.
 */
export function resolveConfig(o: AidlcConfigOptions): ResolvedConfig {
  const problems = validateConfig(o);
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const repo = parseGithubRepository(o.githubRepository)!;
  const t = o.training ?? {};
  const framework = t.framework ?? DEFAULTS.training.framework;
  const useSpot = t.useSpot ?? DEFAULTS.training.useSpot;
  const maxRuntimeSeconds = t.maxRuntimeSeconds ?? DEFAULTS.training.maxRuntimeSeconds;
  const evaluationMetric = t.evaluationMetric ?? DEFAULTS.training.evaluationMetric;
  const instanceType = o.trainingInstanceType ?? DEFAULTS.training.instanceType;
  const region = o.awsRegion ?? DEFAULTS.awsRegion;
  const instanceCount = t.instanceCount ?? DEFAULTS.training.instanceCount;
  const maxWaitSeconds = useSpot ? t.maxWaitSeconds ?? maxRuntimeSeconds * DEFAULTS.training.spotWaitFactor : undefined;
  const m = o.monitoring ?? {};
  const s = o.security ?? {};
  const d = o.data ?? {};

  return {
    schemaVersion: SCHEMA_VERSION,
    modelName: o.modelName,
    github: {
      repository: `${repo.owner}/${repo.name}`,
      owner: repo.owner,
      name: repo.name,
      branch: DEFAULTS.branch,
      connectionArn: o.githubConnectionArn ?? PLACEHOLDER_CONNECTION_ARN,
      connectionIsPlaceholder: o.githubConnectionArn === undefined,
    },
    aws: { region, ...(o.awsAccount ? { account: o.awsAccount } : {}) },
    data: {
      contract: resolveContract(d.contract ?? SAMPLE_CONTRACT),
      samplePath: d.samplePath ?? DEFAULTS.data.samplePath,
      s3Prefix: d.s3Prefix ?? `raw/${o.modelName}/`,
      driftPsiThreshold: d.driftPsiThreshold ?? DEFAULTS.data.driftPsiThreshold,
      driftKsThreshold: d.driftKsThreshold ?? DEFAULTS.data.driftKsThreshold,
      rawToGlacierDays: d.rawToGlacierDays ?? DEFAULTS.data.rawToGlacierDays,
      validatedRetentionDays: d.validatedRetentionDays ?? DEFAULTS.data.validatedRetentionDays,
      gateEngine: d.gateEngine ?? DEFAULTS.data.gateEngine,
      gateAthenaThresholdGb: d.gateAthenaThresholdGb ?? DEFAULTS.data.gateAthenaThresholdGb,
      gateScanLimitGb: d.gateScanLimitGb ?? DEFAULTS.data.gateScanLimitGb,
    },
    training: {
      entryPoint: t.entryPoint ?? DEFAULTS.training.entryPoint,
      framework,
      frameworkVersion: framework === TrainingFramework.CUSTOM ? 'custom' : t.frameworkVersion ?? FRAMEWORK_VERSIONS[framework][0],
      ...(t.customImageUri ? { customImageUri: t.customImageUri } : {}),
      instanceType,
      instanceCount,
      useSpot,
      maxRuntimeSeconds,
      ...(maxWaitSeconds !== undefined ? { maxWaitSeconds } : {}),
      checkpointIntervalRounds: t.checkpointIntervalRounds ?? DEFAULTS.training.checkpointIntervalRounds,
      volumeSizeGb: t.volumeSizeGb ?? DEFAULTS.training.volumeSizeGb,
      hyperparameters: { ...(t.hyperparameters ?? DEFAULTS.training.hyperparameters) },
      evaluationMetric,
      metricThreshold: t.metricThreshold ?? DEFAULTS.training.metricThreshold,
      metricHigherIsBetter: EVALUATION_METRICS[evaluationMetric].higherIsBetter,
      holdoutFraction: t.holdoutFraction ?? DEFAULTS.training.holdoutFraction,
      cacheSteps: t.cacheSteps ?? DEFAULTS.training.cacheSteps,
      ...optionalCost(instanceType, region, instanceCount, maxRuntimeSeconds, useSpot),
    },
    deployment: resolveDeployment(o.deployment ?? {}),
    serving: resolveServing(o),
    monitoring: {
      engine: o.monitoringEngine ?? DEFAULTS.monitoring.engine,
      schedule: m.schedule ?? DEFAULTS.monitoring.schedule,
      dataCapturePercent: m.dataCapturePercent ?? DEFAULTS.monitoring.dataCapturePercent,
      windowHours: m.windowHours ?? DEFAULTS.monitoring.windowHours,
      ...(m.alertEmail ? { alertEmail: m.alertEmail } : {}),
      retrainOnDrift: m.retrainOnDrift ?? DEFAULTS.monitoring.retrainOnDrift,
      retrainCooldownHours: m.retrainCooldownHours ?? DEFAULTS.monitoring.retrainCooldownHours,
      captureRetentionDays: m.captureRetentionDays ?? DEFAULTS.monitoring.captureRetentionDays,
    },
    security: {
      failOnSeverity: s.failOnSeverity ?? DEFAULTS.security.failOnSeverity,
      compliancePacks: [...(s.compliancePacks ?? DEFAULTS.security.compliancePacks)],
      controlTowerControls: s.controlTowerControls ?? DEFAULTS.security.controlTowerControls,
    },
    network: resolveNetwork(o, region),
  };
}

/**
 * The interface endpoints the workloads inside the VPC call, each with the workload. Everything
 * else they reach goes through the S3 gateway endpoint or is done by the service on their behalf
 * (Lambda logs and dead letters, SageMaker image pulls, logs and metrics of jobs and endpoints).
 */
export function workloadEndpoints(o: AidlcConfigOptions): ResolvedInterfaceEndpoint[] {
  const endpoints: ResolvedInterfaceEndpoint[] = [];
  if ((o.monitoringEngine ?? DEFAULTS.monitoring.engine) === MonitoringEngine.BUILTIN) {
    endpoints.push({ service: 'monitoring', reason: 'the drift monitor function publishes drift metrics (cloudwatch:PutMetricData)' });
  }
  if ((o.data?.gateEngine ?? DEFAULTS.data.gateEngine) !== GateEngine.STREAMING) {
    endpoints.push({ service: 'athena', reason: 'the data gate function checks large uploads with Athena queries (athena:StartQueryExecution, GetQueryResults)' });
  }
  // The SignArtifact step's function signs every model and records its lineage.
  endpoints.push({ service: 'kms', reason: 'the model signer signs the artifact digest with the model\'s signing key (kms:Sign)' });
  endpoints.push({
    service: 'sagemaker.api',
    reason: (o.monitoring?.retrainOnDrift ?? DEFAULTS.monitoring.retrainOnDrift)
      ? 'the model signer records lineage (sagemaker:CreateArtifact, AddAssociation); the retraining trigger starts the training pipeline (sagemaker:StartPipelineExecution)'
      : 'the model signer records lineage (sagemaker:CreateArtifact, AddAssociation)',
  });
  // A private API: the endpoint callers reach it through, and those of the smoke test inside the VPC.
  if (hasPrivateApi(o)) endpoints.push(...PRIVATE_API_ENDPOINTS);
  for (const service of o.network?.additionalEndpoints ?? []) {
    if (!endpoints.some((e) => e.service === service)) endpoints.push({ service, reason: 'listed in network.additionalEndpoints' });
  }
  return endpoints;
}

function resolveNetwork(o: AidlcConfigOptions, region: string): ResolvedNetwork {
  const n = o.network ?? {};
  const mode = n.mode ?? DEFAULTS.network.mode;
  if (mode === NetworkMode.NONE) {
    return { mode, availabilityZoneCount: 0, avoidCidrs: [], createEndpoints: false, interfaceEndpoints: [], optOutReason: n.optOutReason!.trim() };
  }
  const s3PrefixListId = n.s3PrefixListId ?? S3_PREFIX_LISTS[region];
  if (mode === NetworkMode.CREATE_VPC) {
    const zones = n.availabilityZoneCount ?? DEFAULTS.network.availabilityZoneCount;
    const interfaceEndpoints = workloadEndpoints(o);
    return {
      mode,
      cidr: n.cidr ?? DEFAULTS.network.cidr,
      availabilityZoneCount: zones,
      avoidCidrs: [...(n.avoidCidrs ?? [])],
      createEndpoints: true,
      interfaceEndpoints,
      s3PrefixListId,
      cost: estimateEndpointCost(interfaceEndpoints.length, zones),
    };
  }
  const createEndpoints = n.createEndpoints ?? false;
  const zones = new Set(n.availabilityZones).size;
  const interfaceEndpoints = createEndpoints ? workloadEndpoints(o) : [];
  return {
    mode,
    availabilityZoneCount: zones,
    avoidCidrs: [],
    vpcId: n.vpcId,
    vpcCidr: n.vpcCidr,
    subnetIds: [...n.subnetIds!],
    availabilityZones: [...n.availabilityZones!],
    ...(n.routeTableIds ? { routeTableIds: [...n.routeTableIds] } : {}),
    createEndpoints,
    interfaceEndpoints,
    ...(createEndpoints ? {} : { endpointCidrs: [...(n.endpointCidrs ?? [n.vpcCidr!])] }),
    ...(n.s3EndpointId ? { s3EndpointId: n.s3EndpointId } : {}),
    s3PrefixListId,
    ...(createEndpoints ? { cost: estimateEndpointCost(interfaceEndpoints.length, zones) } : {}),
  };
}

function optionalCost(instanceType: string, region: string, count: number, seconds: number, spot: boolean) {
  const cost = estimateTrainingCost(instanceType, region, count, seconds, spot);
  return cost ? { cost } : {};
}

export function resolveContract(c: DataContractOptions): ResolvedContract {
  return {
    columns: c.columns.map((col) => ({
      name: col.name,
      type: col.type,
      nullable: col.nullable ?? false,
      maxNullRatio: col.nullable ? col.maxNullRatio ?? 1 : 0,
      ...(col.min !== undefined ? { min: col.min } : {}),
      ...(col.max !== undefined ? { max: col.max } : {}),
      ...(col.allowedValues ? { allowedValues: [...col.allowedValues] } : {}),
      ...(col.description ? { description: col.description } : {}),
    })),
    targetColumn: c.targetColumn,
    keyColumns: [...(c.keyColumns ?? [])],
    minRows: c.minRows ?? DEFAULTS.data.minRows,
    maxDuplicateRows: c.maxDuplicateRows ?? DEFAULTS.data.maxDuplicateRows,
  };
}

function resolveDeployment(d: DeploymentOptions) {
  const instanceCount = d.instanceCount ?? DEFAULTS.deployment.instanceCount;
  const given = d.stages ?? DEFAULTS.deployment.stages.map((name) => ({ name }));
  const stages: ResolvedStage[] = given.map((s, i) => {
    const last = i === given.length - 1;
    return {
      name: s.name,
      canary: (s as { canary?: boolean }).canary ?? last,
      instanceCount: (s as { instanceCount?: number }).instanceCount ?? instanceCount,
      requireApproval: (s as { requireApproval?: boolean }).requireApproval ?? last,
    };
  });
  return {
    stages,
    instanceType: d.instanceType ?? DEFAULTS.deployment.instanceType,
    instanceCount,
    trafficRouting: d.trafficRouting ?? DEFAULTS.deployment.trafficRouting,
    canaryPercent: d.canaryPercent ?? DEFAULTS.deployment.canaryPercent,
    bakeMinutes: d.bakeMinutes ?? DEFAULTS.deployment.bakeMinutes,
    rollback5xxPercent: d.rollback5xxPercent ?? DEFAULTS.deployment.rollback5xxPercent,
    rollbackP99LatencyMs: d.rollbackP99LatencyMs ?? DEFAULTS.deployment.rollbackP99LatencyMs,
    ...(d.autoscaling ? {
      autoscaling: {
        minCapacity: d.autoscaling.minCapacity,
        maxCapacity: d.autoscaling.maxCapacity,
        targetInvocationsPerInstance: d.autoscaling.targetInvocationsPerInstance ?? DEFAULTS.deployment.targetInvocationsPerInstance,
      },
    } : {}),
  };
}

function resolveServing(o: AidlcConfigOptions): ResolvedServing {
  const a = o.serving?.api ?? {};
  const d = DEFAULTS.servingApi;
  const rollbackP99LatencyMs = o.deployment?.rollbackP99LatencyMs ?? DEFAULTS.deployment.rollbackP99LatencyMs;
  const privateApi = hasPrivateApi(o);
  // The network's own execute-api endpoint admits the VPC's range in an imported VPC (the callers
  // live there); the created VPC has no callers besides the workloads.
  const ownEndpoint = privateApi && networkCreatesEndpoints(o.network);
  const callerCidrs = a.callerCidrs ?? (o.network?.mode === NetworkMode.IMPORT_VPC ? [o.network.vpcCidr!] : []);
  return {
    api: {
      enabled: a.enabled ?? d.enabled,
      authorization: a.authorization ?? d.authorization,
      endpointType: apiEndpointTypeOf(o),
      ...(privateApi && a.vpcEndpointIds ? { vpcEndpointIds: [...a.vpcEndpointIds] } : {}),
      ...(ownEndpoint ? { callerCidrs: [...callerCidrs] } : {}),
      consumers: [...(a.consumers ?? d.consumers)],
      rateLimit: a.rateLimit ?? d.rateLimit,
      burstLimit: a.burstLimit ?? d.burstLimit,
      quotaLimit: a.quotaLimit ?? d.quotaLimit,
      quotaPeriod: a.quotaPeriod ?? d.quotaPeriod,
      stageRateLimit: a.stageRateLimit ?? d.stageRateLimit,
      stageBurstLimit: a.stageBurstLimit ?? d.stageBurstLimit,
      maxBatchSize: a.maxBatchSize ?? d.maxBatchSize,
      wafRateLimit: a.wafRateLimit ?? d.wafRateLimit,
      latencyAlarmMs: a.latencyAlarmMs ?? Math.min(INTEGRATION_TIMEOUT_MS, rollbackP99LatencyMs * d.latencyAlarmFactor),
      clientErrorAlarmPercent: a.clientErrorAlarmPercent ?? d.clientErrorAlarmPercent,
      manageAccountLogRole: a.manageAccountLogRole ?? d.manageAccountLogRole,
    },
  };
}

/** Whether a column's values are numbers. */
export function isNumeric(type: ColumnType): boolean {
  return type === ColumnType.INT || type === ColumnType.FLOAT;
}
