import { TrainingFramework } from './enums';
import { EVALUATION_METRICS } from './frameworks';
import { Problem } from './problem';

/**
 * Rules of a SageMaker training run that the config and the `TrainingPipeline` construct both
 * check: written once here, each returning the problems it finds (none when the value is absent
 * and may be) at the path the caller names: `training.maxWaitSeconds` in the config, the prop's
 * path in the construct.
 */

/** SageMaker instance types: `ml.<family>.<size>`. */
export const ML_INSTANCE_TYPE = /^ml\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** An instance type SageMaker accepts. */
export function checkMlInstanceType(path: string, value: unknown): Problem[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || !ML_INSTANCE_TYPE.test(value)) {
    const suggestion = typeof value === 'string' && /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value) ? `"ml.${value}"` : '"ml.m5.xlarge"';
    return [{ path, value, message: 'is not a SageMaker instance type (they start with "ml.")', fix: `use a SageMaker instance type, e.g. ${suggestion}` }];
  }
  return [];
}

/** A training job's stopping condition, as far as the Spot rule looks at it. */
export interface StoppingCondition {
  readonly useSpot: boolean;
  readonly maxRuntimeSeconds: number;
  /** The wait as given (absent: the caller's default applies). */
  readonly maxWaitSeconds?: unknown;
}

/**
 * `MaxWaitTimeInSeconds` (at `path`) as SageMaker takes it: only for Spot training, and never
 * below the runtime.
 */
export function checkSpotWait(path: string, job: StoppingCondition): Problem[] {
  const wait = job.maxWaitSeconds;
  if (wait === undefined) return [];
  if (!job.useSpot) {
    return [{ path, value: wait, message: 'only applies to Spot training, and useSpot is false', fix: 'remove maxWaitSeconds or set useSpot: true' }];
  }
  const runtime = job.maxRuntimeSeconds;
  if (typeof wait === 'number' && wait < runtime) {
    return [{ path, value: wait, message: `is below maxRuntimeSeconds (${runtime}); SageMaker requires wait >= runtime`, fix: `set maxWaitSeconds to at least ${runtime}, e.g. ${runtime * 2}` }];
  }
  return [];
}

/** Whether the evaluation step computes the metric. */
export function isEvaluationMetric(metric: unknown): metric is string {
  return typeof metric === 'string' && Object.prototype.hasOwnProperty.call(EVALUATION_METRICS, metric);
}

/** A metric the evaluation step computes. */
export function checkEvaluationMetric(path: string, metric: unknown): Problem[] {
  if (metric === undefined || isEvaluationMetric(metric)) return [];
  return [{ path, value: metric, message: 'is not a metric the evaluation step computes', fix: `use one of ${Object.keys(EVALUATION_METRICS).map((m) => JSON.stringify(m)).join(', ')}` }];
}

/** The image of the CUSTOM framework is the user's own, so its URI (at `path`) is required. */
export function checkCustomImage(path: string, framework: TrainingFramework, customImageUri: string | undefined): Problem[] {
  if (framework !== TrainingFramework.CUSTOM || customImageUri !== undefined) return [];
  return [{ path, value: undefined, message: 'is required when the framework is CUSTOM', fix: 'set the ECR image URI, e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.0"' }];
}
