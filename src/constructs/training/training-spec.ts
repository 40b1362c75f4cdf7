import * as path from 'path';
import { FrameworkImage } from './framework-image';
import { ModelEvaluationOptions, TrainingDataset, TrainingJobOptions } from './training-options';
import { ColumnType, TrainingFramework } from '../../core/enums';
import { EVALUATION_METRICS, FRAMEWORK_VERSIONS } from '../../core/frameworks';
import { baselineProfileKeyFor } from '../../core/names/resource-names';
import { InvalidValuesError, Problem } from '../../core/problem';
import { checkCustomImage, checkEvaluationMetric, checkMlInstanceType, checkSpotWait } from '../../core/sagemaker-rules';
import { TRAINING_DEFAULTS, spotMaxWaitSeconds } from '../../core/training-defaults';
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
 * from the pipeline's props, for the construct and the review file alike.
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

/** What the spec is derived from: the pipeline's props, its registry's group and its region. */
export interface TrainingSpecInput {
  readonly pipelineName: string;
  readonly modelPackageGroupName: string;
  readonly region: string;
  readonly dataset: TrainingDataset;
  readonly training?: TrainingJobOptions;
  readonly evaluation?: ModelEvaluationOptions;
  readonly cacheSteps?: boolean;
  readonly processingInstanceType?: string;
  readonly inputDataPrefix?: string;
  readonly baselineProfileKey?: string;
}

/** SageMaker pipeline names: 1-256 letters, digits and hyphens. */
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

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

/** The Train step's job with every default filled in. */
interface TrainingJob {
  readonly entryPoint: string;
  readonly framework: TrainingFramework;
  readonly frameworkVersion?: string;
  readonly customImageUri?: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly useSpot: boolean;
  readonly maxRuntimeSeconds: number;
  readonly maxWaitSeconds?: number;
  readonly checkpointIntervalRounds: number;
  readonly volumeSizeGb: number;
  readonly hyperparameters: { readonly [name: string]: string };
}

function trainingJob(o: TrainingJobOptions): TrainingJob {
  const d = TRAINING_DEFAULTS;
  const framework = o.framework ?? d.framework;
  const useSpot = o.useSpot ?? d.useSpot;
  const maxRuntimeSeconds = o.maxRuntimeSeconds ?? d.maxRuntimeSeconds;
  return {
    entryPoint: o.entryPoint ?? d.entryPoint,
    framework,
    frameworkVersion: o.frameworkVersion ?? FRAMEWORK_VERSIONS[framework][0],
    customImageUri: o.customImageUri,
    instanceType: o.instanceType ?? d.instanceType,
    instanceCount: o.instanceCount ?? d.instanceCount,
    useSpot,
    maxRuntimeSeconds,
    maxWaitSeconds: spotMaxWaitSeconds(useSpot, maxRuntimeSeconds, o.maxWaitSeconds),
    checkpointIntervalRounds: o.checkpointIntervalRounds ?? d.checkpointIntervalRounds,
    volumeSizeGb: o.volumeSizeGb ?? d.volumeSizeGb,
    hyperparameters: { ...(o.hyperparameters ?? d.hyperparameters) },
  };
}

/**
 * What is wrong with the input, by the rules the config checks too (`core/sagemaker-rules`),
 * each at the path of its prop.
 */
export function trainingSpecProblems(input: TrainingSpecInput): Problem[] {
  const job = input.training ?? {};
  const problems: Problem[] = [];
  if (!PIPELINE_NAME.test(input.pipelineName)) {
    problems.push({
      path: 'pipelineName',
      value: input.pipelineName,
      message: 'is not a valid pipeline name: 1 to 256 letters, digits and hyphens, starting and ending with a letter or digit',
      fix: 'use letters, digits and hyphens only, e.g. "churn-training"',
    });
  }
  problems.push(...checkCustomImage('training.customImageUri', job.framework ?? TRAINING_DEFAULTS.framework, job.customImageUri));
  problems.push(...checkMlInstanceType('training.instanceType', job.instanceType));
  problems.push(...checkSpotWait('training.maxWaitSeconds', {
    useSpot: job.useSpot ?? TRAINING_DEFAULTS.useSpot,
    maxRuntimeSeconds: job.maxRuntimeSeconds ?? TRAINING_DEFAULTS.maxRuntimeSeconds,
    maxWaitSeconds: job.maxWaitSeconds,
  }));
  problems.push(...checkEvaluationMetric('evaluation.metric', input.evaluation?.metric));
  problems.push(...checkMlInstanceType('processingInstanceType', input.processingInstanceType));
  return problems;
}

/**
 * The hyperparameters the Train step passes to the training script: what the dataset says about
 * the columns, what the metric implies for the objective, then the job's hyperparameters (which
 * win on a name clash). `training/run_local.py` derives the same from the resolved config.
 */
function scriptHyperparameters(job: TrainingJob, metric: string, dataset: TrainingDataset): { [name: string]: string } {
  const target = dataset.targetColumn;
  const keys = [...(dataset.keyColumns ?? [])];
  const timestamps = dataset.columns.filter((c) => c.type === ColumnType.TIMESTAMP).map((c) => c.name);
  const drop = [...keys, ...timestamps.filter((name) => !keys.includes(name) && name !== target)];
  const categorical = dataset.columns
    .filter((c) => (c.type === ColumnType.STRING || c.type === ColumnType.BOOL) && c.name !== target && !drop.includes(c.name))
    .map((c) => c.name);
  // The metric is checked before; this guards the tables above against a metric added without them.
  if (OBJECTIVES[metric] === undefined) throw new Error(`no XGBoost objective is known for the evaluation metric ${JSON.stringify(metric)}`);
  return {
    target,
    drop_columns: drop.join(','),
    categorical_columns: categorical.join(','),
    objective: OBJECTIVES[metric],
    eval_metric: ROUND_METRICS[metric],
    checkpoint_interval: String(job.checkpointIntervalRounds),
    ...job.hyperparameters,
  };
}

function trainingImage(job: TrainingJob, region: string): string {
  if (job.framework === TrainingFramework.CUSTOM) return job.customImageUri!;
  return FrameworkImage.uri(job.framework, job.frameworkVersion!, region);
}

/**
 * The spec of a pipeline. Throws one error listing every problem of the input (`subject` names
 * what was given it), and the image map's error for a framework version or region it does not know.
 */
export function trainingSpec(input: TrainingSpecInput, subject: string = 'TrainingPipeline'): TrainingSpec {
  const problems = trainingSpecProblems(input);
  if (problems.length > 0) throw new InvalidValuesError(subject, problems);
  const job = trainingJob(input.training ?? {});
  const evaluation = input.evaluation ?? {};
  const metric = evaluation.metric ?? TRAINING_DEFAULTS.evaluationMetric;
  const processingInstanceType = input.processingInstanceType ?? DEFAULT_PROCESSING_INSTANCE_TYPE;
  const hyperparameters = scriptHyperparameters(job, metric, input.dataset);
  return {
    pipelineName: input.pipelineName,
    modelPackageGroupName: input.modelPackageGroupName,
    region: input.region,
    image: trainingImage(job, input.region),
    customImage: job.framework === TrainingFramework.CUSTOM,
    entryPointFile: path.posix.basename(job.entryPoint),
    instanceType: job.instanceType,
    instanceCount: job.instanceCount,
    volumeSizeGb: job.volumeSizeGb,
    encryptTrainingVolume: !hasInstanceStorage(job.instanceType),
    useSpot: job.useSpot,
    maxRuntimeSeconds: job.maxRuntimeSeconds,
    ...(job.useSpot ? { maxWaitSeconds: job.maxWaitSeconds } : {}),
    hyperparameters,
    roundMetric: hyperparameters.eval_metric,
    evaluationMetric: metric,
    metricThreshold: evaluation.threshold ?? TRAINING_DEFAULTS.metricThreshold,
    metricHigherIsBetter: EVALUATION_METRICS[metric].higherIsBetter,
    holdoutFraction: evaluation.holdoutFraction ?? TRAINING_DEFAULTS.holdoutFraction,
    keyColumns: [...(input.dataset.keyColumns ?? [])],
    cacheSteps: input.cacheSteps ?? TRAINING_DEFAULTS.cacheSteps,
    processingInstanceType,
    encryptProcessingVolume: !hasInstanceStorage(processingInstanceType),
    inputDataPrefix: input.inputDataPrefix ?? 'validated/',
    baselineProfileKey: input.baselineProfileKey ?? defaultBaselineProfileKey(input.modelPackageGroupName),
  };
}
