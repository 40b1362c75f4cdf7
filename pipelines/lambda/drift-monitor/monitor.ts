import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { contractFromBaseline } from './baseline-contract';
import { captureKeys } from './capture-keys';
import { MonitorSettings } from './environment';
import { driftMetricData } from './metrics';
import { readText } from './s3-text';
import { DriftResult, DriftThresholds, InputError, Profiler, parseProfile, readJsonl, s3Source, scoreDrift } from '../../engine';

/** What one drift run found. */
export interface MonitorOutcome {
  /** `drift` when a feature drifted, `ok` when none did, `no-data` when nothing was captured in the window. */
  readonly verdict: 'drift' | 'ok' | 'no-data';
  readonly endpoint: string;
  /** Captured files read. */
  readonly files: number;
  /** Files that could not be read, with the reason. */
  readonly unreadable: Record<string, string>;
  /** Captured rows profiled (malformed rows excluded). */
  readonly rows: number;
  /** The features that drifted. */
  readonly drifted: string[];
  /** Scores per feature. */
  readonly scores: Record<string, { psi: number; ks?: number; drifted: boolean }>;
  /** Features that could not be scored, with the reason. */
  readonly skipped: Record<string, string>;
  /** Metric data points published. */
  readonly metricsPublished: number;
}

export interface MonitorClients {
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
}

const EPSILON = 0.0001;
const METRICS_PER_CALL = 500;

/**
 * One drift run: reads the baseline profile, profiles the endpoint's captured requests of the
 * last window against it, scores drift (PSI, KS) and publishes the per-feature metrics.
 */
export async function runMonitor(
  settings: MonitorSettings,
  clients: MonitorClients,
  now: Date,
  log: (m: string) => void = () => undefined,
): Promise<MonitorOutcome> {
  const baselineText = await readText(clients.s3, settings.baselineBucket, settings.baselineKey);
  const baselineUrl = `s3://${settings.baselineBucket}/${settings.baselineKey}`;
  if (baselineText === undefined) throw new Error(`the baseline profile ${baselineUrl} does not exist: train the model first`);
  const baseline = parseProfile(JSON.parse(baselineText), baselineUrl);
  const thresholds: DriftThresholds = { psiThreshold: settings.psiThreshold, ksThreshold: settings.ksThreshold, epsilon: EPSILON };
  const contract = contractFromBaseline(baseline, settings.inputColumns, thresholds);

  const keys = await captureKeys(clients.s3, settings.captureBucket, settings.capturePrefix, now, settings.windowHours);
  const profiler = new Profiler(contract, { columns: settings.inputColumns, baseline });
  const unreadable: Record<string, string> = {};
  for (const key of keys) {
    try {
      await readJsonl(s3Source(clients.s3, settings.captureBucket, key).chunks(), profiler);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unreadable[key] = e.message;
      log(`skipped s3://${settings.captureBucket}/${key}: ${e.message}`);
    }
  }
  const profile = profiler.finish().profile;
  const rows = profile.rows - profile.malformedRows;
  const drift: DriftResult | undefined = rows > 0 ? scoreDrift(baseline, profile, thresholds) : undefined;

  const data = driftMetricData({ endpoint: settings.endpoint, features: settings.features, drift, rows, timestamp: now });
  for (let i = 0; i < data.length; i += METRICS_PER_CALL) {
    await clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: settings.namespace, MetricData: data.slice(i, i + METRICS_PER_CALL) }));
  }

  const scores: MonitorOutcome['scores'] = {};
  const skipped: Record<string, string> = {};
  for (const f of settings.features) {
    const d = drift?.columns[f];
    if (d) scores[f] = { psi: d.psi, ...(d.ks !== undefined ? { ks: d.ks } : {}), drifted: d.drifted };
    else skipped[f] = drift ? drift.skipped[f] ?? 'not scored (not in the captured data or the baseline)' : 'no captured data in the window';
  }
  const drifted = settings.features.filter((f) => scores[f]?.drifted);
  const verdict = !drift ? 'no-data' : drifted.length > 0 ? 'drift' : 'ok';
  log(`${settings.endpoint}: ${verdict}, ${rows} rows from ${keys.length} files${drifted.length ? `, drifted: ${drifted.join(', ')}` : ''}`);
  return { verdict, endpoint: settings.endpoint, files: keys.length, unreadable, rows, drifted, scores, skipped, metricsPublished: data.length };
}
