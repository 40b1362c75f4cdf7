import { TrainingFramework } from './enums';

/**
 * Framework versions whose SageMaker images the training pipeline knows (the image map is
 * `FrameworkImage` in `constructs/training/framework-image.ts`). The first entry is the default
 * for the framework; the others follow newest first.
 *
 * Source: the training versions of `image_uri_config/xgboost.json` and `sklearn.json` in
 * aws/sagemaker-python-sdk, read 2026-11. XGBoost 1.7-1 is the newest version the training
 * script is tested against (Debian's python3-xgboost is 1.7.4, as in the 1.7-1 image).
 */
export const FRAMEWORK_VERSIONS: Record<TrainingFramework, readonly string[]> = {
  [TrainingFramework.XGBOOST]: ['1.7-1', '1.5-1', '1.3-1', '1.2-2', '1.2-1'],
  [TrainingFramework.SKLEARN]: ['1.2-1', '1.4-2', '1.0-1', '0.23-1'],
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
