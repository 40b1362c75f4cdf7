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

function text(env: Env, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

function number(env: Env, name: string): number {
  const v = Number(text(env, name));
  if (!Number.isFinite(v)) throw new Error(`environment variable ${name} is not a number: ${env[name]}`);
  return v;
}

function names(env: Env, name: string): string[] {
  const raw = text(env, name);
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new Error(`environment variable ${name} is not a JSON array of names`);
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) throw new Error(`environment variable ${name} is not a JSON array of names`);
  return v;
}

export function monitorSettings(env: Env): MonitorSettings {
  return {
    endpoint: text(env, 'ENDPOINT_NAME'),
    captureBucket: text(env, 'CAPTURE_BUCKET'),
    capturePrefix: text(env, 'CAPTURE_PREFIX'),
    baselineBucket: text(env, 'BASELINE_BUCKET'),
    baselineKey: text(env, 'BASELINE_KEY'),
    windowHours: number(env, 'WINDOW_HOURS'),
    psiThreshold: number(env, 'PSI_THRESHOLD'),
    ksThreshold: number(env, 'KS_THRESHOLD'),
    features: names(env, 'FEATURES'),
    inputColumns: env.INPUT_COLUMNS ? names(env, 'INPUT_COLUMNS') : names(env, 'FEATURES'),
    namespace: env.METRIC_NAMESPACE || 'AIDLC/Drift',
  };
}

export function retrainSettings(env: Env): RetrainSettings {
  return {
    pipelineName: text(env, 'PIPELINE_NAME'),
    cooldownHours: number(env, 'COOLDOWN_HOURS'),
    displayNamePrefix: env.DISPLAY_NAME_PREFIX || 'drift-',
    ...(env.LATEST_DATASET_URI ? { latestDatasetUri: env.LATEST_DATASET_URI } : {}),
  };
}

export function exportSettings(env: Env): ExportSettings {
  return {
    bucket: text(env, 'BASELINE_BUCKET'),
    profileKey: text(env, 'BASELINE_KEY'),
    statisticsKey: text(env, 'STATISTICS_KEY'),
    constraintsKey: text(env, 'CONSTRAINTS_KEY'),
    features: names(env, 'FEATURES'),
    comparisonThreshold: number(env, 'COMPARISON_THRESHOLD'),
  };
}
