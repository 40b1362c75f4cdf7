import { Profile } from '../../../pipelines/engine';
import { ModelMonitorBaseline, NumericalFeatureStatistics, StringFeatureStatistics, exportModelMonitorBaseline, kllSketch, sketchPoints } from '../../../pipelines/monitor';
import { sampleProfile, sampleRows } from '../../support/churn-sample';

const FEATURES = ['age', 'tenure_months', 'monthly_charges', 'total_charges', 'contract', 'payment_method', 'support_calls', 'is_senior'];

let profile: Profile;
let baseline: ModelMonitorBaseline;
const rows = sampleRows();

beforeAll(async () => {
  profile = await sampleProfile();
  baseline = exportModelMonitorBaseline(profile, { features: FEATURES, comparisonThreshold: 0.1 });
});

function numeric(name: string): NumericalFeatureStatistics['numerical_statistics'] {
  const f = baseline.statistics.features.find((x) => x.name === name) as NumericalFeatureStatistics;
  return f.numerical_statistics;
}

function values(name: string): number[] {
  return rows.map((r) => r[name]).filter((v) => v !== '').map(Number);
}

/** Weighted items of a KLL sketch: an item at level h weighs 2^h. */
function sketchWeight(data: number[][]): number {
  return data.reduce((s, level, h) => s + level.length * 2 ** h, 0);
}

/** The q-quantile of a KLL sketch's weighted items. */
function sketchQuantile(data: number[][], q: number): number {
  const items = data.flatMap((level, h) => level.map((v) => ({ v, w: 2 ** h }))).sort((a, b) => a.v - b.v);
  const total = items.reduce((s, i) => s + i.w, 0);
  let cum = 0;
  for (const i of items) {
    cum += i.w;
    if (cum >= q * total) return i.v;
  }
  return items[items.length - 1].v;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

describe('statistics.json', () => {
  test('version 0, the item count, the features in input order', () => {
    expect(baseline.statistics.version).toBe(0);
    expect(baseline.statistics.dataset).toEqual({ item_count: 2000 });
    expect(baseline.statistics.features.map((f) => f.name)).toEqual(FEATURES);
    expect(baseline.statistics.features.map((f) => f.inferred_type)).toEqual(['Integral', 'Integral', 'Fractional', 'Fractional', 'String', 'String', 'Integral', 'String']);
  });

  test.each(['age', 'tenure_months', 'monthly_charges', 'total_charges', 'support_calls'])('%s: counts, mean, sum, std_dev, min and max match the data', (name) => {
    const xs = values(name);
    const s = numeric(name);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(s.common).toEqual({ num_present: xs.length, num_missing: 2000 - xs.length });
    expect(s.mean).toBeCloseTo(mean, 6);
    expect(s.sum).toBeCloseTo(xs.reduce((a, b) => a + b, 0), 3);
    expect(s.min).toBe(Math.min(...xs));
    expect(s.max).toBe(Math.max(...xs));
    // The sketch places each value within 0.4% of its magnitude.
    expect(Math.abs(s.std_dev - std) / std).toBeLessThan(0.01);
  });

  test('total_charges counts its 85 empty values as missing', () => {
    expect(numeric('total_charges').common).toEqual({ num_present: 1915, num_missing: 85 });
  });

  test.each(['age', 'monthly_charges', 'total_charges'])('%s: the KLL buckets are the quantile bins, closed by min and max, and count every value', (name) => {
    const s = numeric(name);
    const buckets = s.distribution.kll.buckets;
    expect(buckets[0].lower_bound).toBe(s.min);
    expect(buckets[buckets.length - 1].upper_bound).toBe(s.max);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].lower_bound).toBe(buckets[i - 1].upper_bound);
    expect(buckets.reduce((a, b) => a + b.count, 0)).toBe(s.common.num_present);
    expect(buckets.length).toBeGreaterThanOrEqual(5);
  });

  test.each(['age', 'monthly_charges', 'total_charges'])('%s: the KLL sketch weighs every value and reproduces the quantiles', (name) => {
    const s = numeric(name);
    const { parameters, data } = s.distribution.kll.sketch;
    expect(parameters).toEqual({ c: 0.64, k: 2048 });
    expect(sketchWeight(data)).toBe(s.common.num_present);
    for (const level of data) expect(level).toEqual([...level].sort((a, b) => a - b));
    const xs = values(name);
    const range = Math.max(...xs) - Math.min(...xs);
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      expect(Math.abs(sketchQuantile(data, q) - quantile(xs, q)) / range).toBeLessThan(0.01);
    }
  });

  test('string features carry categorical buckets with the exact counts', () => {
    const contract = baseline.statistics.features.find((f) => f.name === 'contract') as StringFeatureStatistics;
    const expected: Record<string, number> = {};
    for (const r of rows) expected[r.contract] = (expected[r.contract] ?? 0) + 1;
    const buckets = Object.fromEntries(contract.string_statistics.distribution.categorical.buckets.map((b) => [b.value, b.count]));
    expect(buckets).toEqual(expected);
    expect(contract.string_statistics.distinct_count).toBe(3);
    const payment = baseline.statistics.features.find((f) => f.name === 'payment_method') as StringFeatureStatistics;
    expect(payment.string_statistics.common).toEqual({ num_present: 1981, num_missing: 19 });
  });

  test('a boolean feature is a string feature with true and false', () => {
    const senior = baseline.statistics.features.find((f) => f.name === 'is_senior') as StringFeatureStatistics;
    expect(senior.string_statistics.distribution.categorical.buckets).toEqual(expect.arrayContaining([{ value: 'true', count: 143 }, { value: 'false', count: 1857 }]));
  });

  test('the files are plain JSON: every number finite, nothing undefined', () => {
    const bad: string[] = [];
    JSON.stringify(baseline, (key, value) => {
      if ((typeof value === 'number' && !Number.isFinite(value)) || value === null || value === undefined) bad.push(key);
      return value;
    });
    expect(bad).toEqual([]);
    expect(JSON.parse(JSON.stringify(baseline))).toEqual(baseline);
  });
});

describe('constraints.json', () => {
  test('types, completeness and non-negativity per feature', () => {
    const byName = Object.fromEntries(baseline.constraints.features.map((f) => [f.name, f]));
    expect(baseline.constraints.version).toBe(0);
    expect(byName.age).toEqual({ name: 'age', inferred_type: 'Integral', completeness: 1, num_constraints: { is_non_negative: true } });
    expect(byName.total_charges.completeness).toBeCloseTo(1915 / 2000, 10);
    expect(byName.monthly_charges.inferred_type).toBe('Fractional');
  });

  test('small complete categorical features list their domain', () => {
    const byName = Object.fromEntries(baseline.constraints.features.map((f) => [f.name, f]));
    expect(byName.contract.string_constraints).toEqual({ domains: ['month-to-month', 'one-year', 'two-year'] });
    expect(byName.payment_method.string_constraints!.domains).toEqual(['bank-transfer', 'card', 'electronic-check', 'mailed-check']);
    const none = exportModelMonitorBaseline(profile, { features: ['contract'], comparisonThreshold: 0.1, maxDomainValues: 2 });
    expect(none.constraints.features[0].string_constraints).toBeUndefined();
  });

  test('the monitoring config compares distributions at the given threshold', () => {
    expect(exportModelMonitorBaseline(profile, { features: ['age'], comparisonThreshold: 0.15 }).constraints.monitoring_config).toEqual({
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 1.0,
      domain_content_threshold: 1.0,
      distribution_constraints: {
        perform_comparison: 'Enabled',
        comparison_threshold: 0.15,
        comparison_method: 'Robust',
        categorical_comparison_threshold: 0.15,
        categorical_drift_method: 'LInfinity',
      },
    });
  });

  test('a negative minimum is not non-negative', () => {
    const shifted: Profile = { ...profile, columns: { ...profile.columns, age: { ...profile.columns.age, min: -3 } } };
    const c = exportModelMonitorBaseline(shifted, { features: ['age'], comparisonThreshold: 0.1 }).constraints.features[0];
    expect(c.num_constraints).toEqual({ is_non_negative: false });
  });
});

describe('errors', () => {
  test('a feature missing from the profile, a timestamp, a threshold outside (0, 1]', () => {
    expect(() => exportModelMonitorBaseline(profile, { features: ['income'], comparisonThreshold: 0.1 })).toThrow(/features = "income": is not a column of the profile. Fix: name columns of the profile: customer_id, signup_date, age, /);
    expect(() => exportModelMonitorBaseline(profile, { features: ['signup_date'], comparisonThreshold: 0.1 })).toThrow(/features = "signup_date": is a timestamp/);
    expect(() => exportModelMonitorBaseline(profile, { features: ['age'], comparisonThreshold: 0 })).toThrow(/comparisonThreshold = 0: is not above 0 and at most 1. Fix: /);
  });
});

describe('KLL encoding', () => {
  test('each count is written in binary across the levels', () => {
    expect(kllSketch([{ value: 1, count: 5 }, { value: 2, count: 2 }, { value: 3, count: 1 }])).toEqual([[1, 3], [2], [1]]);
    expect(kllSketch([])).toEqual([]);
    expect(() => kllSketch([{ value: 1, count: 1.5 }])).toThrow(/whole numbers/);
  });

  test('sketch points lie inside their buckets, in value order', () => {
    const points = sketchPoints(profile.columns.monthly_charges.sketch!);
    for (let i = 1; i < points.length; i++) expect(points[i].value).toBeGreaterThan(points[i - 1].value);
    expect(points[0].value).toBeGreaterThanOrEqual(profile.columns.monthly_charges.min! * 0.99);
    expect(points[points.length - 1].value).toBeLessThanOrEqual(profile.columns.monthly_charges.max! * 1.01);
  });
});
