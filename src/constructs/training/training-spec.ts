import * as path from 'path';
import { FrameworkImage } from './framework-image';
import { ColumnType, TrainingFramework } from '../../config/enums';
import { ResolvedContract, ResolvedTraining } from '../../config/resolved';
import { EVALUATION_METRICS } from '../../core/frameworks';
import { baselineProfileKeyFor } from '../../core/names/resource-names';
import { hasInstanceStorage } from '../serving/instance-storage';

/** Share of the non-holdout rows the Split step sets aside for validation (as in training/run_local.py). */
export const VALIDATION_FRACTION = 0.2;

/** Processing instance type of the Split and Evaluate steps unless set. */
export const DEFAULT_PROCESSING_INSTANCE_TYPE = 'ml.m5.large';

/** XGBoost objective of each evaluation metric (as in training/run_local.py). */
const OBJECTIVES: { readonly [metric: string]: string } = {
  auc: 'binary:logistic',
  accuracy: 'binary:logistic',
  f1: 'binary:logistic',
  rmse: 'reg:squarederror',
  mae: 'reg:squarederror',
};

/** The metric XGBoost logs per round for each evaluation metric (as in training/run_local.py). */
const ROUND_METRICS: { readonly [metric: string]: string } = {
  auc: 'auc',
  accuracy: 'error',
  f1: 'logloss',
  rmse: 'rmse',
  mae: 'mae',
};

/**
 * Everything the pipeline definition depends on that is known before deployment: derived once
 * from the training config and the data contract, for the construct and the review file alike.
 */
export interface TrainingSpec {
  readonly pipelineName: string;
  readonly modelPackageGroupName: string;
  readonly region: string;
  readonly image: string;
  /** Whether the image is the user's own (pulled from their ECR repository). */
  readonly customImage: boolean;
  /** File name of the entry point inside the source archive, e.g. `train.py`. */
  readonly entryPointFile: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  /** False for instance types with NVMe instance storage, which take no volume key. */
  readonly encryptTrainingVolume: boolean;
  readonly useSpot: boolean;
  readonly maxRuntimeSeconds: number;
  readonly maxWaitSeconds?: number;
  /** The training script's hyperparameters, as plain strings. */
  readonly hyperparameters: { readonly [name: string]: string };
  /** The per-round XGBoost metric, for the job's metric definitions. */
  readonly roundMetric: string;
  readonly evaluationMetric: string;
  readonly metricThreshold: number;
  readonly metricHigherIsBetter: boolean;
  readonly holdoutFraction: number;
  readonly keyColumns: readonly string[];
  readonly cacheSteps: boolean;
  readonly processingInstanceType: string;
  readonly encryptProcessingVolume: boolean;
  /** Key prefix of the training datasets in the validated bucket (the InputDataUri default). */
  readonly inputDataPrefix: string;
  /** Key of the data baseline profile in the artifacts bucket (the BaselineProfileUri default). */
  readonly baselineProfileKey: string;
}

/** What the spec is derived from. */
export interface TrainingSpecInput {
  readonly training: ResolvedTraining;
  readonly contract: ResolvedContract;
  readonly pipelineName: string;
  readonly modelPackageGroupName: string;
  readonly region: string;
  readonly processingInstanceType?: string;
  readonly inputDataPrefix?: string;
  readonly baselineProfileKey?: string;
}

/**
 * Where the data gate puts the datasets that pass it, for uploads under `s3Prefix` of the raw
 * bucket: `raw/churn/` -> `validated/churn/data/` (the `DataGate` layout). The training run reads
 * every CSV below it unless `InputDataUri` names one dataset.
 */
export function validatedDataPrefix(s3Prefix: string): string {
  const tail = s3Prefix.startsWith('raw/') ? s3Prefix.slice('raw/'.length) : s3Prefix;
  return `validated/${tail}data/`;
}

/** Default key of the baseline profile: where the monitoring stack reads it too. */
export function defaultBaselineProfileKey(modelPackageGroupName: string): string {
  return baselineProfileKeyFor(modelPackageGroupName);
}

/**
 * The hyperparameters the Train step passes to the training script: what the contract says about
 * the columns, what the metric implies for the objective, then the configured hyperparameters
 * (which win on a name clash). `training/run_local.py` derives the same from the resolved config.
 */
export function scriptHyperparameters(training: ResolvedTraining, contract: ResolvedContract): { [name: string]: string } {
  const target = contract.targetColumn;
  const keys = [...contract.keyColumns];
  const timestamps = contract.columns.filter((c) => c.type === ColumnType.TIMESTAMP).map((c) => c.name);
  const drop = [...keys, ...timestamps.filter((name) => !keys.includes(name) && name !== target)];
  const categorical = contract.columns
    .filter((c) => (c.type === ColumnType.STRING || c.type === ColumnType.BOOL) && c.name !== target && !drop.includes(c.name))
    .map((c) => c.name);
  const metric = training.evaluationMetric;
  if (OBJECTIVES[metric] === undefined) throw new Error(`unknown evaluation metric ${JSON.stringify(metric)}`);
  return {
    target,
    drop_columns: drop.join(','),
    categorical_columns: categorical.join(','),
    objective: OBJECTIVES[metric],
    eval_metric: ROUND_METRICS[metric],
    checkpoint_interval: String(training.checkpointIntervalRounds),
    ...training.hyperparameters,
  };
}

function checkTraining(t: ResolvedTraining): void {
  if (t.useSpot) {
    if (t.maxWaitSeconds === undefined) throw new Error('Spot training needs maxWaitSeconds');
    if (t.maxWaitSeconds < t.maxRuntimeSeconds) {
      throw new Error(`maxWaitSeconds (${t.maxWaitSeconds}) is below maxRuntimeSeconds (${t.maxRuntimeSeconds}); SageMaker requires wait >= runtime`);
    }
  } else if (t.maxWaitSeconds !== undefined) {
    throw new Error('maxWaitSeconds only applies to Spot training, and useSpot is false');
  }
  if (!/^ml\./.test(t.instanceType)) throw new Error(`${t.instanceType} is not a SageMaker instance type (ml.*)`);
  if (EVALUATION_METRICS[t.evaluationMetric] === undefined) throw new Error(`unknown evaluation metric ${JSON.stringify(t.evaluationMetric)}`);
}

function trainingImage(t: ResolvedTraining, region: string): string {
  if (t.framework === TrainingFramework.CUSTOM) {
    if (!t.customImageUri) throw new Error('the CUSTOM framework needs customImageUri');
    return t.customImageUri;
  }
  return FrameworkImage.uri(t.framework, t.frameworkVersion, region);
}

/** The spec of a pipeline; throws on a training config the pipeline cannot run. */
export function trainingSpec(input: TrainingSpecInput): TrainingSpec {
  const t = input.training;
  checkTraining(t);
  const processingInstanceType = input.processingInstanceType ?? DEFAULT_PROCESSING_INSTANCE_TYPE;
  const hyperparameters = scriptHyperparameters(t, input.contract);
  return {
    pipelineName: input.pipelineName,
    modelPackageGroupName: input.modelPackageGroupName,
    region: input.region,
    image: trainingImage(t, input.region),
    customImage: t.framework === TrainingFramework.CUSTOM,
    entryPointFile: path.posix.basename(t.entryPoint),
    instanceType: t.instanceType,
    instanceCount: t.instanceCount,
    volumeSizeGb: t.volumeSizeGb,
    encryptTrainingVolume: !hasInstanceStorage(t.instanceType),
    useSpot: t.useSpot,
    maxRuntimeSeconds: t.maxRuntimeSeconds,
    ...(t.useSpot ? { maxWaitSeconds: t.maxWaitSeconds } : {}),
    hyperparameters,
    roundMetric: hyperparameters.eval_metric,
    evaluationMetric: t.evaluationMetric,
    metricThreshold: t.metricThreshold,
    metricHigherIsBetter: t.metricHigherIsBetter,
    holdoutFraction: t.holdoutFraction,
    keyColumns: [...input.contract.keyColumns],
    cacheSteps: t.cacheSteps,
    processingInstanceType,
    encryptProcessingVolume: !hasInstanceStorage(processingInstanceType),
    inputDataPrefix: input.inputDataPrefix ?? 'validated/',
    baselineProfileKey: input.baselineProfileKey ?? defaultBaselineProfileKey(input.modelPackageGroupName),
  };
}
