/**
 * The enums the CDK-free layer and the constructs share: the data contract's column types, the
 * training frameworks and the gate engines. `src/config` re-exports them, so the config and the
 * package's API name them as before.
 */

/**
 * The type of a column in the data contract.
 */
export enum ColumnType {
  /** A whole number (64-bit range). */
  INT = 'int',
  /** A floating-point number. */
  FLOAT = 'float',
  /** Free text or a category. */
  STRING = 'string',
  /** `true` or `false` (also accepted: `1`/`0`). */
  BOOL = 'bool',
  /** An ISO 8601 date or date-time. */
  TIMESTAMP = 'timestamp',
}

/**
 * The framework of the SageMaker training image.
 */
export enum TrainingFramework {
  /** The SageMaker XGBoost framework container (script mode). */
  XGBOOST = 'xgboost',
  /** The SageMaker scikit-learn framework container (script mode). */
  SKLEARN = 'sklearn',
  /** A container image you build and push to ECR yourself (`training.customImageUri`). */
  CUSTOM = 'custom',
}

/**
 * Which engine the data gate checks datasets with.
 */
export enum GateEngine {
  /**
   * The streaming engine in the gate Lambda and CodeBuild: one process reads the dataset once.
   * Best up to a few GB (the Lambda has 15 minutes).
   */
  STREAMING = 'STREAMING',
  /**
   * Athena: the contract and drift checks compiled to SQL and run where the data lives, in a
   * workgroup with an encrypted result location and a bytes-scanned limit. Billed per TB scanned.
   */
  ATHENA = 'ATHENA',
  /** Athena for datasets of `data.gateAthenaThresholdGb` or more, the streaming engine below. */
  AUTO = 'AUTO',
}
