import { TrainingFramework } from './enums';

/**
 * Defaults of a training run: the config's `training` section and the `TrainingPipeline`
 * construct's props both fall back to these, so a config and a construct left at their defaults
 * train the same way.
 */
export const TRAINING_DEFAULTS = {
  entryPoint: 'training/train.py',
  framework: TrainingFramework.XGBOOST,
  instanceType: 'ml.m5.xlarge',
  instanceCount: 1,
  useSpot: true,
  maxRuntimeSeconds: 3600,
  /** With Spot, the job waits for capacity up to this multiple of its max runtime unless told otherwise. */
  spotWaitFactor: 2,
  checkpointIntervalRounds: 10,
  volumeSizeGb: 30,
  hyperparameters: { num_round: '200', max_depth: '5', eta: '0.1' } as Record<string, string>,
  evaluationMetric: 'auc',
  metricThreshold: 0.75,
  holdoutFraction: 0.2,
  cacheSteps: false,
};

/**
 * A job's `MaxWaitTimeInSeconds`: the wait given, else `spotWaitFactor` times the runtime; none
 * without Spot (SageMaker takes a wait only for Spot training).
 */
export function spotMaxWaitSeconds(useSpot: boolean, maxRuntimeSeconds: number, given?: number): number | undefined {
  if (!useSpot) return undefined;
  return given ?? maxRuntimeSeconds * TRAINING_DEFAULTS.spotWaitFactor;
}
