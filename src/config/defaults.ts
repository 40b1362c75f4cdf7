import { ApiAuthorization, ColumnType, CompliancePack, GateEngine, MonitoringEngine, NetworkMode, QuotaPeriod, Severity, TrafficRouting } from './enums';
import { DataContractOptions } from './options';
import { TRAINING_DEFAULTS } from '../core/training-defaults';

/** Placeholder CodeConnections ARN written until the user sets a real one. */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:000000000000:connection/00000000-0000-0000-0000-000000000000';

/** Every default of the config in one place, so docs, validation and resolution agree (training's are shared with the construct). */
export const DEFAULTS = {
  awsRegion: 'us-east-1',
  branch: 'main',
  data: {
    samplePath: 'data/sample.csv',
    driftPsiThreshold: 0.2,
    driftKsThreshold: 0.1,
    rawToGlacierDays: 90,
    validatedRetentionDays: 365,
    gateEngine: GateEngine.STREAMING,
    gateAthenaThresholdGb: 5,
    gateScanLimitGb: 1000,
    minRows: 1000,
    maxDuplicateRows: 0,
  },
  training: TRAINING_DEFAULTS,
  deployment: {
    instanceType: 'ml.m5.large',
    instanceCount: 2,
    trafficRouting: TrafficRouting.CANARY,
    canaryPercent: 10,
    bakeMinutes: 10,
    rollback5xxPercent: 1,
    rollbackP99LatencyMs: 1000,
    targetInvocationsPerInstance: 1000,
    stages: ['staging', 'prod'],
  },
  servingApi: {
    enabled: true,
    authorization: ApiAuthorization.IAM,
    consumers: ['default'],
    rateLimit: 50,
    burstLimit: 100,
    quotaLimit: 100_000,
    quotaPeriod: QuotaPeriod.DAY,
    stageRateLimit: 100,
    stageBurstLimit: 200,
    maxBatchSize: 100,
    wafRateLimit: 20_000,
    /** The API's latency alarm sits at this multiple of the endpoint's rollback latency. */
    latencyAlarmFactor: 2,
    clientErrorAlarmPercent: 25,
    manageAccountLogRole: true,
  },
  monitoring: {
    engine: MonitoringEngine.BUILTIN,
    schedule: 'rate(1 hour)',
    dataCapturePercent: 20,
    windowHours: 24,
    retrainOnDrift: false,
    retrainCooldownHours: 24,
    captureRetentionDays: 90,
  },
  security: {
    failOnSeverity: Severity.HIGH,
    compliancePacks: [
      CompliancePack.AWS_SOLUTIONS,
      CompliancePack.HIPAA_SECURITY,
      CompliancePack.NIST_800_53_R5,
      CompliancePack.PCI_DSS_321,
    ],
    controlTowerControls: true,
  },
  network: {
    // A regulated user expects private subnets and endpoints from the start; the idle cost is
    // stated in the resolved config and the README.
    mode: NetworkMode.CREATE_VPC,
    cidr: '10.0.0.0/16',
    availabilityZoneCount: 2,
  },
} as const;

/**
 * The contract of the churn sample dataset written into new projects (`data/sample.csv`).
 * Replace it with your own when you bring your data.
 */
export const SAMPLE_CONTRACT: DataContractOptions = {
  targetColumn: 'churned',
  keyColumns: ['customer_id'],
  minRows: 1000,
  maxDuplicateRows: 0,
  columns: [
    { name: 'customer_id', type: ColumnType.INT, min: 1, description: 'Customer identifier' },
    { name: 'signup_date', type: ColumnType.TIMESTAMP, description: 'Date the customer signed up' },
    { name: 'age', type: ColumnType.INT, min: 18, max: 100, description: 'Age in years' },
    { name: 'tenure_months', type: ColumnType.INT, min: 0, max: 120, description: 'Months as a customer' },
    { name: 'monthly_charges', type: ColumnType.FLOAT, min: 0, max: 1000, description: 'Current monthly bill' },
    { name: 'total_charges', type: ColumnType.FLOAT, nullable: true, maxNullRatio: 0.1, min: 0, description: 'Lifetime billed amount, empty in the first month' },
    { name: 'contract', type: ColumnType.STRING, allowedValues: ['month-to-month', 'one-year', 'two-year'], description: 'Contract term' },
    { name: 'payment_method', type: ColumnType.STRING, nullable: true, maxNullRatio: 0.05, allowedValues: ['card', 'bank-transfer', 'electronic-check', 'mailed-check'], description: 'How the customer pays' },
    { name: 'support_calls', type: ColumnType.INT, min: 0, max: 50, description: 'Support calls in the last 90 days' },
    { name: 'is_senior', type: ColumnType.BOOL, description: 'Senior citizen' },
    { name: 'churned', type: ColumnType.INT, allowedValues: ['0', '1'], description: 'Left within 90 days (the label)' },
  ],
};
