import { DEFAULTS, PLACEHOLDER_CONNECTION_ARN, SAMPLE_CONTRACT } from './defaults';
import { ColumnType, TrainingFramework } from './enums';
import { EVALUATION_METRICS, FRAMEWORK_VERSIONS } from './frameworks';
import { AidlcConfigOptions, DataContractOptions, DeploymentOptions, ServingOptions } from './options';
import { ConfigValidationError, Problem } from './problem';
import { ResolvedConfig, ResolvedContract, ResolvedServing, ResolvedStage } from './resolved';
import { dataRules } from './rules/data';
import { deploymentRules } from './rules/deployment';
import { identityRules, parseGithubRepository } from './rules/identity';
import { monitoringRules } from './rules/monitoring';
import { securityRules } from './rules/security';
import { INTEGRATION_TIMEOUT_MS, servingRules } from './rules/serving';
import { trainingRules } from './rules/training';
import { estimateTrainingCost } from './training-cost';

/** Version of the `pipelines/aidlc.json` document. */
export const SCHEMA_VERSION = 1;

/** Every problem with the options; empty when they are valid. */
export function validateConfig(o: AidlcConfigOptions): Problem[] {
  return [
    ...identityRules(o),
    ...dataRules(o.data),
    ...trainingRules(o.training, o.trainingInstanceType, o.awsRegion),
    ...deploymentRules(o.deployment),
    ...servingRules(o.serving, o.deployment, o.modelName),
    ...monitoringRules(o.monitoring, o.monitoringEngine),
    ...securityRules(o.security),
  ];
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
    serving: resolveServing(o.serving ?? {}, o.deployment?.rollbackP99LatencyMs ?? DEFAULTS.deployment.rollbackP99LatencyMs),
    monitoring: {
      engine: o.monitoringEngine ?? DEFAULTS.monitoring.engine,
      schedule: m.schedule ?? DEFAULTS.monitoring.schedule,
      dataCapturePercent: m.dataCapturePercent ?? DEFAULTS.monitoring.dataCapturePercent,
      windowHours: m.windowHours ?? DEFAULTS.monitoring.windowHours,
      ...(m.alertEmail ? { alertEmail: m.alertEmail } : {}),
      retrainOnDrift: m.retrainOnDrift ?? DEFAULTS.monitoring.retrainOnDrift,
      retrainCooldownHours: m.retrainCooldownHours ?? DEFAULTS.monitoring.retrainCooldownHours,
    },
    security: {
      failOnSeverity: s.failOnSeverity ?? DEFAULTS.security.failOnSeverity,
      compliancePacks: [...(s.compliancePacks ?? DEFAULTS.security.compliancePacks)],
      controlTowerControls: s.controlTowerControls ?? DEFAULTS.security.controlTowerControls,
    },
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

function resolveServing(s: ServingOptions, rollbackP99LatencyMs: number): ResolvedServing {
  const a = s.api ?? {};
  const d = DEFAULTS.servingApi;
  return {
    api: {
      enabled: a.enabled ?? d.enabled,
      authorization: a.authorization ?? d.authorization,
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
