import { Violation } from './checks';
import { Bins, ColumnProfile, Profile } from './profile';
import { binSketch, sketchKs } from './sketch';

/** Thresholds of a drift decision (the contract's `drift` section). */
export interface DriftThresholds {
  readonly psiThreshold: number;
  readonly ksThreshold: number;
  readonly epsilon: number;
}

/** Drift of one column against the baseline. */
export interface ColumnDrift {
  readonly kind: 'numeric' | 'categorical';
  /** Population stability index over the baseline's bins (numeric) or categories (+ "other"). */
  readonly psi: number;
  /**
   * Kolmogorov-Smirnov statistic (numeric columns): over the sketch buckets when both profiles
   * have sketches, else over the baseline's bins.
   */
  readonly ks?: number;
  /** How KS was measured. */
  readonly ksMethod?: 'sketch' | 'bins';
  readonly drifted: boolean;
  /** Bin or category labels, baseline proportions and current proportions (for reports). */
  readonly bins: { labels: string[]; baseline: number[]; current: number[] };
}

export interface DriftResult {
  readonly thresholds: DriftThresholds;
  readonly columns: Record<string, ColumnDrift>;
  /** Columns with a drift score above a threshold, sorted. */
  readonly drifted: string[];
  /** Columns of the baseline not scored, with the reason. */
  readonly skipped: Record<string, string>;
}

/**
 * Scores the drift of `current` against `baseline` for every column they share, except key
 * columns and timestamps: PSI on the baseline's quantile bins plus KS for numeric columns, PSI
 * on the baseline's categories plus an "other" bin for categorical ones. Proportions are floored
 * at `epsilon`; PSI = sum((a - e) * ln(a / e)). Nulls and invalid values are left out.
 */
export function scoreDrift(baseline: Profile, current: Profile, thresholds: DriftThresholds): DriftResult {
  const columns: Record<string, ColumnDrift> = {};
  const skipped: Record<string, string> = {};
  const keys = new Set([...baseline.key, ...current.key]);
  for (const [name, b] of Object.entries(baseline.columns)) {
    const c = current.columns[name];
    if (keys.has(name)) continue;
    if (!c) {
      skipped[name] = 'not in the current data';
      continue;
    }
    if (b.categories && c.categories) {
      if (!b.categories.complete) {
        skipped[name] = 'the baseline has too many distinct values for a categorical comparison';
        continue;
      }
      columns[name] = categorical(b, c, thresholds);
    } else if (b.bins && b.bins.edges.length > 0) {
      const counts = currentBinCounts(b.bins, c);
      if (!counts) {
        skipped[name] = 'the current profile has no counts on the baseline bins (profile it with the baseline)';
        continue;
      }
      columns[name] = numeric(b, c, counts, thresholds);
    } else if (b.bins) {
      skipped[name] = 'the baseline has a single value: no bins to compare';
    }
  }
  const drifted = Object.keys(columns).filter((n) => columns[n].drifted).sort();
  return { thresholds, columns, drifted, skipped };
}

/** One `drift:<column>` violation per drifted column. */
export function driftViolations(drift: DriftResult): Violation[] {
  return drift.drifted.map((name) => {
    const d = drift.columns[name];
    const t = drift.thresholds;
    const psiOver = d.psi > t.psiThreshold;
    const reasons = [
      ...(psiOver ? [`PSI ${d.psi.toFixed(4)} > ${t.psiThreshold}`] : []),
      ...(d.ks !== undefined && d.ks > t.ksThreshold ? [`KS ${d.ks.toFixed(4)} > ${t.ksThreshold}`] : []),
    ];
    return {
      id: `drift:${name}`,
      check: 'drift',
      column: name,
      message: `"${name}" drifted from the baseline: ${reasons.join(', ')}`,
      count: 1,
      observed: psiOver ? d.psi : d.ks,
      limit: psiOver ? t.psiThreshold : t.ksThreshold,
      examples: [],
    };
  });
}

/** PSI of observed counts against expected proportions (or weights), both floored at epsilon. */
export function psi(actual: number[], expected: number[], epsilon: number): number {
  const ta = sum(actual);
  const te = sum(expected);
  if (ta === 0 || te === 0) return 0;
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = Math.max(actual[i] / ta, epsilon);
    const e = Math.max(expected[i] / te, epsilon);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Largest distance between the cumulative proportions of two binnings of the same edges. */
export function binnedKs(actual: number[], expected: number[]): number {
  const ta = sum(actual);
  const te = sum(expected);
  if (ta === 0 || te === 0) return 0;
  let ca = 0;
  let ce = 0;
  let d = 0;
  for (let i = 0; i < actual.length; i++) {
    ca += actual[i] / ta;
    ce += expected[i] / te;
    d = Math.max(d, Math.abs(ca - ce));
  }
  return d;
}

function numeric(b: ColumnProfile, c: ColumnProfile, counts: number[], t: DriftThresholds): ColumnDrift {
  const expected = b.bins!.counts;
  const score = psi(counts, expected, t.epsilon);
  let ks: number;
  let ksMethod: 'sketch' | 'bins';
  if (b.sketch && c.sketch) {
    ks = sketchKs(b.sketch, c.sketch);
    ksMethod = 'sketch';
  } else {
    ks = binnedKs(counts, expected);
    ksMethod = 'bins';
  }
  const edges = b.bins!.edges;
  const labels = counts.map((_, i) => (i === 0 ? `< ${edges[0]}` : i === edges.length ? `>= ${edges[i - 1]}` : `[${edges[i - 1]}, ${edges[i]})`));
  return {
    kind: 'numeric',
    psi: score,
    ks,
    ksMethod,
    drifted: score > t.psiThreshold || ks > t.ksThreshold,
    bins: { labels, baseline: proportions(expected), current: proportions(counts) },
  };
}

function categorical(b: ColumnProfile, c: ColumnProfile, t: DriftThresholds): ColumnDrift {
  const labels = Object.keys(b.categories!.values);
  const expected = labels.map((k) => b.categories!.values[k]);
  const current = labels.map((k) => c.categories!.values[k] ?? 0);
  const known = new Set(labels);
  let other = c.categories!.other;
  for (const [k, n] of Object.entries(c.categories!.values)) if (!known.has(k)) other += n;
  const actual = [...current, other];
  const expectedAll = [...expected, b.categories!.other];
  const score = psi(actual, expectedAll, t.epsilon);
  return {
    kind: 'categorical',
    psi: score,
    drifted: score > t.psiThreshold,
    bins: { labels: [...labels, '(other)'], baseline: proportions(expectedAll), current: proportions(actual) },
  };
}

/** The current counts on the baseline's bins: exact `reference` counts, or the sketch re-binned. */
function currentBinCounts(bins: Bins, c: ColumnProfile): number[] | undefined {
  if (c.reference && sameEdges(c.reference.edges, bins.edges)) return c.reference.counts;
  if (c.sketch) return binSketch(c.sketch.buckets, c.sketch.bits, bins.edges);
  if (c.count === 0) return new Array(bins.edges.length + 1).fill(0);
  return undefined;
}

function sameEdges(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function proportions(xs: number[]): number[] {
  const t = sum(xs);
  return xs.map((x) => (t > 0 ? x / t : 0));
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
