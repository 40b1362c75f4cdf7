import { TrainingFramework } from './enums';

/**
 * Framework versions whose SageMaker images the training pipeline knows, newest first.
 * The first entry is the default for the framework.
 */
export const FRAMEWORK_VERSIONS: Record<TrainingFramework, readonly string[]> = {
  [TrainingFramework.XGBOOST]: ['1.7-1', '1.5-1', '1.3-1', '1.2-2', '1.2-1'],
  [TrainingFramework.SKLEARN]: ['1.2-1', '1.0-1', '0.23-1'],
  [TrainingFramework.CUSTOM]: [],
};

/** Evaluation metrics the evaluation step computes, and whether larger is better. */
export const EVALUATION_METRICS: Record<string, { higherIsBetter: boolean; min: number; max: number }> = {
  auc: { higherIsBetter: true, min: 0, max: 1 },
  accuracy: { higherIsBetter: true, min: 0, max: 1 },
  f1: { higherIsBetter: true, min: 0, max: 1 },
  rmse: { higherIsBetter: false, min: 0, max: Number.MAX_VALUE },
  mae: { higherIsBetter: false, min: 0, max: Number.MAX_VALUE },
};
