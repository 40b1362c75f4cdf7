export * from '../core/enums';

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
 * The period an API key's request quota counts over.
 */
export enum QuotaPeriod {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
