import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { DriftResult } from '../../engine';

/**
 * Names of the drift metrics. The constructs' `DriftMetrics` uses the same names; a test holds
 * the two together.
 */
export const DRIFT_METRICS = {
  defaultNamespace: 'AIDLC/Drift',
  dimensions: { endpoint: 'Endpoint', feature: 'Feature' },
  /** Per feature: population stability index against the baseline. */
  psi: 'PSI',
  /** Per numeric feature: Kolmogorov-Smirnov statistic against the baseline. */
  ks: 'KS',
  /** Per feature: 1 when it drifted past a threshold, else 0. */
  drift: 'Drift',
  /** Per endpoint: features that drifted. */
  driftedFeatures: 'DriftedFeatures',
  /** Per endpoint: captured rows profiled. */
  rowsProfiled: 'RowsProfiled',
} as const;

export interface DriftMetricInput {
  readonly endpoint: string;
  /** The features to report, in order. */
  readonly features: string[];
  /** The drift scores, absent when no data was captured in the window. */
  readonly drift?: DriftResult;
  /** Captured rows profiled. */
  readonly rows: number;
  readonly timestamp: Date;
}

/**
 * The metric data of one run: per scored feature PSI, KS (numeric features) and Drift; per
 * endpoint DriftedFeatures (when scored) and RowsProfiled. A feature the run could not score gets
 * no data points, so its alarm keeps its state.
 */
export function driftMetricData(input: DriftMetricInput): MetricDatum[] {
  const { dimensions } = DRIFT_METRICS;
  const endpoint = { Name: dimensions.endpoint, Value: input.endpoint };
  const at = (MetricName: string, Value: number, Unit: 'None' | 'Count', feature?: string): MetricDatum => ({
    MetricName,
    Value,
    Unit,
    Timestamp: input.timestamp,
    Dimensions: feature === undefined ? [endpoint] : [endpoint, { Name: dimensions.feature, Value: feature }],
  });
  const data: MetricDatum[] = [at(DRIFT_METRICS.rowsProfiled, input.rows, 'Count')];
  if (!input.drift) return data;
  let drifted = 0;
  for (const feature of input.features) {
    const d = input.drift.columns[feature];
    if (!d) continue;
    data.push(at(DRIFT_METRICS.psi, round(d.psi), 'None', feature));
    if (d.ks !== undefined) data.push(at(DRIFT_METRICS.ks, round(d.ks), 'None', feature));
    data.push(at(DRIFT_METRICS.drift, d.drifted ? 1 : 0, 'Count', feature));
    if (d.drifted) drifted++;
  }
  data.push(at(DRIFT_METRICS.driftedFeatures, drifted, 'Count'));
  return data;
}

/** CloudWatch keeps about 15 significant digits; scores need far fewer. */
function round(x: number): number {
  return Number(x.toPrecision(8));
}
