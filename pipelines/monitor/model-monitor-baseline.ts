import type { ColumnProfile, Profile } from '../engine';
import { kllSketch, sketchPoints } from './sketch-points';
import { InvalidValuesError } from '../../src/core/problem';

/**
 * A profile exported as the two baseline files of SageMaker Model Monitor's data-quality
 * container (`sagemaker-model-monitor-analyzer`):
 *
 * - `statistics.json`: `{ version: 0, dataset: { item_count }, features: [...] }`, numeric
 *   features with `numerical_statistics` (common counts, mean, sum, std_dev, min, max and a KLL
 *   distribution: buckets plus sketch), the others with `string_statistics` (common counts,
 *   distinct_count, categorical buckets);
 * - `constraints.json`: `{ version: 0, features: [...], monitoring_config }`, each feature with
 *   its inferred type, completeness and `num_constraints` or `string_constraints`, and the
 *   distribution comparison settings.
 *
 * Features appear in the order given, which is the order of the endpoint's CSV input.
 */
export interface ModelMonitorBaseline {
  readonly statistics: MonitorStatistics;
  readonly constraints: MonitorConstraints;
}

export type InferredType = 'Integral' | 'Fractional' | 'String';

export interface CommonStatistics {
  readonly num_present: number;
  readonly num_missing: number;
}

export interface KllDistribution {
  readonly kll: {
    readonly buckets: Array<{ lower_bound: number; upper_bound: number; count: number }>;
    readonly sketch: { parameters: { c: number; k: number }; data: number[][] };
  };
}

export interface NumericalFeatureStatistics {
  readonly name: string;
  readonly inferred_type: 'Integral' | 'Fractional';
  readonly numerical_statistics: {
    readonly common: CommonStatistics;
    readonly mean: number;
    readonly sum: number;
    readonly std_dev: number;
    readonly min: number;
    readonly max: number;
    readonly distribution: KllDistribution;
  };
}

export interface StringFeatureStatistics {
  readonly name: string;
  readonly inferred_type: 'String';
  readonly string_statistics: {
    readonly common: CommonStatistics;
    readonly distinct_count: number;
    readonly distribution: { categorical: { buckets: Array<{ value: string; count: number }> } };
  };
}

export interface MonitorStatistics {
  readonly version: 0;
  readonly dataset: { item_count: number };
  readonly features: Array<NumericalFeatureStatistics | StringFeatureStatistics>;
}

export interface FeatureConstraints {
  readonly name: string;
  readonly inferred_type: InferredType;
  readonly completeness: number;
  readonly num_constraints?: { is_non_negative: boolean };
  readonly string_constraints?: { domains: string[] };
}

export interface MonitorConstraints {
  readonly version: 0;
  readonly features: FeatureConstraints[];
  readonly monitoring_config: {
    readonly evaluate_constraints: 'Enabled';
    readonly emit_metrics: 'Enabled';
    readonly datatype_check_threshold: number;
    readonly domain_content_threshold: number;
    readonly distribution_constraints: {
      readonly perform_comparison: 'Enabled';
      readonly comparison_threshold: number;
      readonly comparison_method: 'Robust';
      readonly categorical_comparison_threshold: number;
      readonly categorical_drift_method: 'LInfinity';
    };
  };
}

export interface ExportOptions {
  /** Features to export, in the order of the endpoint's CSV input. */
  readonly features: string[];
  /** Model Monitor's distance threshold (the largest difference between the CDFs). */
  readonly comparisonThreshold: number;
  /** Categories listed as a string feature's domain, at most. @default 20 */
  readonly maxDomainValues?: number;
}

/** Model Monitor's default KLL parameters. */
const KLL_PARAMETERS = { c: 0.64, k: 2048 };

/**
 * Exports a profile (`aidlc profile` format) as Model Monitor `statistics.json` and
 * `constraints.json`. Throws when a feature is missing from the profile or is a timestamp (Model
 * Monitor has no timestamp type).
 */
export function exportModelMonitorBaseline(profile: Profile, options: ExportOptions): ModelMonitorBaseline {
  if (!(options.comparisonThreshold > 0 && options.comparisonThreshold <= 1)) {
    throw new InvalidValuesError('Model Monitor baseline', [{
      path: 'comparisonThreshold', value: options.comparisonThreshold, message: 'is not above 0 and at most 1', fix: 'give the largest distance Model Monitor accepts, e.g. 0.1',
    }]);
  }
  const maxDomain = options.maxDomainValues ?? 20;
  const statistics: MonitorStatistics['features'] = [];
  const constraints: FeatureConstraints[] = [];
  for (const name of options.features) {
    const column = profile.columns[name];
    if (!column) {
      throw new InvalidValuesError('Model Monitor baseline', [{
        path: 'features', value: name, message: 'is not a column of the profile', fix: `name columns of the profile: ${Object.keys(profile.columns).join(', ')}`,
      }]);
    }
    if (column.type === 'timestamp') {
      throw new InvalidValuesError('Model Monitor baseline', [{ path: 'features', value: name, message: 'is a timestamp, which Model Monitor cannot compare', fix: 'leave timestamps out of the monitored features' }]);
    }
    const numeric = (column.type === 'int' || column.type === 'float') && column.sketch !== undefined;
    const common = { num_present: column.count, num_missing: column.nulls + column.invalid };
    const total = common.num_present + common.num_missing;
    const completeness = total > 0 ? common.num_present / total : 1;
    if (numeric) {
      const inferred = column.type === 'int' ? 'Integral' : 'Fractional';
      statistics.push({ name, inferred_type: inferred, numerical_statistics: { common, ...numericalStatistics(column) } });
      constraints.push({ name, inferred_type: inferred, completeness, num_constraints: { is_non_negative: (column.min ?? 0) >= 0 } });
    } else {
      const values = Object.entries(column.categories?.values ?? {});
      statistics.push({
        name,
        inferred_type: 'String',
        string_statistics: {
          common,
          distinct_count: column.distinct,
          distribution: { categorical: { buckets: values.map(([value, count]) => ({ value, count })) } },
        },
      });
      const complete = column.categories?.complete ?? false;
      constraints.push({
        name,
        inferred_type: 'String',
        completeness,
        ...(complete && values.length <= maxDomain ? { string_constraints: { domains: values.map(([v]) => v).sort() } } : {}),
      });
    }
  }
  return {
    statistics: { version: 0, dataset: { item_count: profile.rows - profile.malformedRows }, features: statistics },
    constraints: {
      version: 0,
      features: constraints,
      monitoring_config: {
        evaluate_constraints: 'Enabled',
        emit_metrics: 'Enabled',
        datatype_check_threshold: 1.0,
        domain_content_threshold: 1.0,
        distribution_constraints: {
          perform_comparison: 'Enabled',
          comparison_threshold: options.comparisonThreshold,
          comparison_method: 'Robust',
          categorical_comparison_threshold: options.comparisonThreshold,
          categorical_drift_method: 'LInfinity',
        },
      },
    },
  };
}

function numericalStatistics(column: ColumnProfile): Omit<NumericalFeatureStatistics['numerical_statistics'], 'common'> {
  const points = sketchPoints(column.sketch!, column.type === 'int');
  const count = points.reduce((s, p) => s + p.count, 0);
  const mean = column.mean ?? (count > 0 ? points.reduce((s, p) => s + p.value * p.count, 0) / count : 0);
  const variance = count > 0 ? points.reduce((s, p) => s + p.count * (p.value - mean) ** 2, 0) / count : 0;
  const min = column.min ?? (points[0]?.value ?? 0);
  const max = column.max ?? (points[points.length - 1]?.value ?? 0);
  return {
    mean,
    sum: mean * column.count,
    std_dev: Math.sqrt(variance),
    min,
    max,
    distribution: { kll: { buckets: kllBuckets(column, min, max), sketch: { parameters: KLL_PARAMETERS, data: kllSketch(points) } } },
  };
}

/** The profile's quantile bins as Model Monitor buckets, the outer ones closed by min and max. */
function kllBuckets(column: ColumnProfile, min: number, max: number): Array<{ lower_bound: number; upper_bound: number; count: number }> {
  const bins = column.bins;
  if (!bins || bins.counts.length === 0) return column.count > 0 ? [{ lower_bound: min, upper_bound: max, count: column.count }] : [];
  const bounds = [min, ...bins.edges, max];
  return bins.counts.map((count, i) => ({ lower_bound: bounds[i], upper_bound: bounds[i + 1], count }));
}
