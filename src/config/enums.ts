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
 * How the production endpoint shifts traffic to a new model.
 */
export enum TrafficRouting {
  /** Shift a canary share first, bake, then the rest. */
  CANARY = 'CANARY',
  /** Shift in equal steps of the canary size, baking after each. */
  LINEAR = 'LINEAR',
  /** Shift everything at once (still rolls back on alarms during the bake). */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
}

/**
 * Which engine watches the live endpoint for drift.
 */
export enum MonitoringEngine {
  /**
   * This package's drift engine, run on a schedule over endpoint data capture.
   * Works in every account.
   */
  BUILTIN = 'BUILTIN',
  /**
   * SageMaker Model Monitor schedules. Only for accounts that already use Model Monitor:
   * it is no longer open to new AWS customers.
   */
  MODEL_MONITOR = 'MODEL_MONITOR',
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

/**
 * Vulnerability severity, lowest to highest.
 */
export enum Severity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/**
 * A cdk-nag rule pack run at synth.
 */
export enum CompliancePack {
  /** AWS Solutions best practices. */
  AWS_SOLUTIONS = 'AWS_SOLUTIONS',
  /** HIPAA Security. */
  HIPAA_SECURITY = 'HIPAA_SECURITY',
  /** NIST 800-53 revision 5. */
  NIST_800_53_R5 = 'NIST_800_53_R5',
  /** PCI DSS 3.2.1. */
  PCI_DSS_321 = 'PCI_DSS_321',
}

/**
 * Where the model's workloads run on the network.
 */
export enum NetworkMode {
  /**
   * A VPC this product creates: private isolated subnets only, no internet gateway, no NAT, AWS
   * reached through VPC endpoints, encrypted flow logs.
   */
  CREATE_VPC = 'CREATE_VPC',
  /**
   * An existing VPC, by id and subnet ids (landing zones that keep endpoints centrally).
   */
  IMPORT_VPC = 'IMPORT_VPC',
  /**
   * No VPC: jobs rely on network isolation alone and functions run outside any VPC. Needs a
   * reason, which the compliance report prints.
   */
  NONE = 'NONE',
}

/**
 * How callers of the inference API prove who they are.
 */
export enum ApiAuthorization {
  /** AWS Signature Version 4 with IAM credentials; a principal needs `execute-api:Invoke` on the API. */
  IAM = 'IAM',
  /**
   * OAuth 2.0 access tokens from a Cognito user pool made for the API, with its `invoke` scope
   * (client credentials for machines, the managed login for people).
   */
  COGNITO = 'COGNITO',
}

/**
 * Where the inference API answers.
 */
export enum ApiEndpointType {
  /**
   * A regional endpoint on the internet: applications call it from anywhere, with IAM signatures
   * or Cognito tokens, an API key each, behind AWS WAF.
   */
  REGIONAL = 'REGIONAL',
  /**
   * A private endpoint: reachable only through `execute-api` interface VPC endpoints, from inside
   * the VPC or from networks connected to it; its resource policy refuses every other source.
   */
  PRIVATE = 'PRIVATE',
}

/**
 * The period an API key's request quota counts over.
 */
export enum QuotaPeriod {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
