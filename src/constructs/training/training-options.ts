import { ColumnType, TrainingFramework } from '../../core/enums';

/**
 * A column of the training data, as the jobs treat it: string and boolean columns are encoded
 * as categories, timestamp columns are dropped.
 */
export interface TrainingColumn {
  /** The column's name in the CSV header. */
  readonly name: string;
  /** The column's type. */
  readonly type: ColumnType;
}

/**
 * The training data a {@link TrainingPipeline} learns from: what it needs of the data contract.
 */
export interface TrainingDataset {
  /** The column the model learns to predict. */
  readonly targetColumn: string;
  /** Every column of the dataset, the target included. */
  readonly columns: TrainingColumn[];
  /**
   * Columns that together identify a row: the Split step assigns rows to sets by a hash of
   * them, and training drops them.
   * @default - no key: the Split step hashes whole rows
   */
  readonly keyColumns?: string[];
}

/**
 * The Train step's job of a {@link TrainingPipeline}: its image, instances, Spot capacity and
 * stopping condition, and what it passes to the training script.
 */
export interface TrainingJobOptions {
  /**
   * The training script, relative to the working directory of the synth; the Train step runs
   * its file name from the source archive.
   * @default "training/train.py"
   */
  readonly entryPoint?: string;
  /**
   * Framework of the training image.
   * @default TrainingFramework.XGBOOST
   */
  readonly framework?: TrainingFramework;
  /**
   * Framework version, one `FrameworkImage` knows for the framework. Not used with
   * `TrainingFramework.CUSTOM`.
   * @default - the framework's default: "1.7-1" for XGBoost, "1.2-1" for scikit-learn
   */
  readonly frameworkVersion?: string;
  /**
   * ECR image URI of the training image; required with `TrainingFramework.CUSTOM`.
   * @default - the framework image for the stack's region
   */
  readonly customImageUri?: string;
  /**
   * SageMaker instance type of the training job.
   * @default "ml.m5.xlarge"
   */
  readonly instanceType?: string;
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
   * Longest the job may run, in seconds.
   * @default 3600
   */
  readonly maxRuntimeSeconds?: number;
  /**
   * Longest to wait for Spot capacity plus run time, in seconds. Only with Spot, and at least
   * `maxRuntimeSeconds`.
   * @default - twice `maxRuntimeSeconds` with Spot, none without
   */
  readonly maxWaitSeconds?: number;
  /**
   * The training script saves a checkpoint every this many boosting rounds.
   * @default 10
   */
  readonly checkpointIntervalRounds?: number;
  /**
   * Size of the training volume, in GB.
   * @default 30
   */
  readonly volumeSizeGb?: number;
  /**
   * Hyperparameters of the training script. They win over those the pipeline derives from the
   * dataset and the metric (target, columns to drop, categorical columns, objective).
   * @default { "num_round": "200", "max_depth": "5", "eta": "0.1" }
   */
  readonly hyperparameters?: { [name: string]: string };
}

/**
 * How a {@link TrainingPipeline} decides whether a trained model is registered.
 */
export interface ModelEvaluationOptions {
  /**
   * The metric the Evaluate step computes on the holdout: "auc", "accuracy", "f1" (higher is
   * better), "rmse" or "mae" (lower is better).
   * @default "auc"
   */
  readonly metric?: string;
  /**
   * The bar the metric must clear: at least this for auc, accuracy and f1, at most this for
   * rmse and mae.
   * @default 0.75
   */
  readonly threshold?: number;
  /**
   * Share of the dataset the Split step holds out for evaluation.
   * @default 0.2
   */
  readonly holdoutFraction?: number;
}
