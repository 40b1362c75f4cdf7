import type { Contract, DriftThresholds, Profile } from '../../engine';

/**
 * The contract the monitor profiles captured traffic with, taken from the baseline profile
 * itself: the captured columns in request order with the baseline's types, every value nullable,
 * and, for whole-number columns the baseline counted by category, those categories (so the
 * current profile counts them too and drift compares like with like). Range and value checks are
 * the data gate's business; the monitor only scores drift.
 */
export function contractFromBaseline(baseline: Profile, columns: string[], thresholds: DriftThresholds): Contract {
  const missing = columns.filter((c) => !baseline.columns[c]);
  if (missing.length > 0) {
    throw new Error(`the baseline profile has no column ${missing.map((m) => `"${m}"`).join(', ')} (it has ${Object.keys(baseline.columns).join(', ')})`);
  }
  return {
    version: 1,
    dataset: baseline.dataset,
    format: { type: 'jsonl', delimiter: ',', header: false, nullValues: [''] },
    columns: columns.map((name) => {
      const b = baseline.columns[name];
      const categories = b.type === 'int' && b.categories ? { allowed: Object.keys(b.categories.values) } : {};
      return { name, type: b.type, nullable: true, ...categories };
    }),
    key: [],
    target: '',
    minRows: 0,
    maxDuplicateRows: Number.MAX_SAFE_INTEGER,
    drift: { psiThreshold: thresholds.psiThreshold, ksThreshold: thresholds.ksThreshold, bins: 10, epsilon: thresholds.epsilon },
  };
}
