import { FunctionEnvironment } from '../../shared/function-environment';

/**
 * Settings of the scheduled drift run (set by the BuiltinDriftMonitor construct). The captured
 * CSV columns are `INPUT_COLUMNS` when set, else the features.
 */
export interface MonitorSettings {
  readonly endpoint: string;
  readonly captureBucket: string;
  readonly capturePrefix: string;
  readonly baselineBucket: string;
  readonly baselineKey: string;
  readonly windowHours: number;
  readonly psiThreshold: number;
  readonly ksThreshold: number;
  readonly features: string[];
  readonly inputColumns: string[];
  readonly namespace: string;
}

/** Settings of the retraining trigger (set by the RetrainOnDrift construct). */
export interface RetrainSettings {
  readonly pipelineName: string;
  readonly cooldownHours: number;
  readonly displayNamePrefix: string;
  /** `s3://` URI of the newest passing gate run's pointer; the run trains on that dataset. */
  readonly latestDatasetUri?: string;
}

/** Settings of the Model Monitor baseline export (set by the BaselineExport construct). */
export interface ExportSettings {
  readonly bucket: string;
  readonly profileKey: string;
  readonly statisticsKey: string;
  readonly constraintsKey: string;
  readonly features: string[];
  readonly comparisonThreshold: number;
}

type Env = Record<string, string | undefined>;

export function monitorSettings(vars: Env): MonitorSettings {
  const env = new FunctionEnvironment(vars, 'BuiltinDriftMonitor');
  return {
    endpoint: env.text('ENDPOINT_NAME'),
    captureBucket: env.text('CAPTURE_BUCKET'),
    capturePrefix: env.text('CAPTURE_PREFIX'),
    baselineBucket: env.text('BASELINE_BUCKET'),
    baselineKey: env.text('BASELINE_KEY'),
    windowHours: env.number('WINDOW_HOURS'),
    psiThreshold: env.number('PSI_THRESHOLD'),
    ksThreshold: env.number('KS_THRESHOLD'),
    features: env.names('FEATURES'),
    inputColumns: vars.INPUT_COLUMNS ? env.names('INPUT_COLUMNS') : env.names('FEATURES'),
    namespace: vars.METRIC_NAMESPACE || 'AIDLC/Drift',
  };
}

export function retrainSettings(vars: Env): RetrainSettings {
  const env = new FunctionEnvironment(vars, 'RetrainOnDrift');
  return {
    pipelineName: env.text('PIPELINE_NAME'),
    cooldownHours: env.number('COOLDOWN_HOURS'),
    displayNamePrefix: vars.DISPLAY_NAME_PREFIX || 'drift-',
    ...(vars.LATEST_DATASET_URI ? { latestDatasetUri: vars.LATEST_DATASET_URI } : {}),
  };
}

export function exportSettings(vars: Env): ExportSettings {
  const env = new FunctionEnvironment(vars, 'BaselineExport');
  return {
    bucket: env.text('BASELINE_BUCKET'),
    profileKey: env.text('BASELINE_KEY'),
    statisticsKey: env.text('STATISTICS_KEY'),
    constraintsKey: env.text('CONSTRAINTS_KEY'),
    features: env.names('FEATURES'),
    comparisonThreshold: env.number('COMPARISON_THRESHOLD'),
  };
}
