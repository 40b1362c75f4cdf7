import { Profile, Profiler, binnedKs, driftViolations, psi, scoreDrift } from '../../../pipelines/engine';
import { contract } from '../../support/contracts';
import { prng } from '../../support/data-sources';

const T = { psiThreshold: 0.2, ksThreshold: 0.1, epsilon: 0.0001 };
const C = contract([
  { name: 'x', type: 'float', nullable: true },
  { name: 'n', type: 'int', nullable: false },
  { name: 'c', type: 'string', nullable: false, allowed: ['a', 'b', 'c'] },
]);

function profileOf(rows: Array<[number | null, number, string]>, baseline?: Profile): Profile {
  const p = new Profiler(C, baseline ? { baseline } : {});
  for (const r of rows) p.addRow(r);
  return p.finish().profile;
}

function sample(seed: number, n: number, shift = 0, cats = [0.5, 0.3, 0.2]): Array<[number | null, number, string]> {
  const rand = prng(seed);
  const rows: Array<[number | null, number, string]> = [];
  for (let i = 0; i < n; i++) {
    const u = rand();
    const c = u < cats[0] ? 'a' : u < cats[0] + cats[1] ? 'b' : 'c';
    rows.push([rand() < 0.05 ? null : Math.round((rand() * 100 + shift) * 100) / 100, Math.floor(rand() * 20), c]);
  }
  return rows;
}

describe('drift scores', () => {
  test('PSI and binned KS with known answers', () => {
    // a = (0.5, 0.5), e = (0.25, 0.75): 0.25 ln 2 + (-0.25) ln(2/3)
    expect(psi([50, 50], [0.25, 0.75], 1e-4)).toBeCloseTo(0.25 * Math.log(2) - 0.25 * Math.log(2 / 3), 12);
    expect(psi([10, 10], [10, 10], 1e-4)).toBe(0);
    // An empty bin is floored at epsilon instead of being infinite.
    expect(psi([0, 100], [0.5, 0.5], 1e-4)).toBeCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 10);
    expect(binnedKs([50, 50], [0.25, 0.75])).toBeCloseTo(0.25, 12);
  });

  test('a profile scored against itself has no drift', () => {
    const base = profileOf(sample(1, 5000));
    const d = scoreDrift(base, base, T);
    expect(d.drifted).toEqual([]);
    for (const c of Object.values(d.columns)) expect(c.psi).toBe(0);
    expect(d.columns.x).toMatchObject({ kind: 'numeric', ks: 0, ksMethod: 'sketch' });
    expect(d.columns.c.kind).toBe('categorical');
  });

  test('a fresh sample of the same distribution stays far below the thresholds', () => {
    const base = profileOf(sample(1, 8000));
    const cur = profileOf(sample(2, 8000), base);
    const d = scoreDrift(base, cur, T);
    expect(d.drifted).toEqual([]);
    for (const c of Object.values(d.columns)) expect(c.psi).toBeLessThan(0.01);
    expect(d.columns.x.ks).toBeLessThan(0.03);
  });

  test('a shifted numeric column and a reweighted categorical column drift', () => {
    const base = profileOf(sample(1, 8000));
    const cur = profileOf(sample(3, 8000, 40, [0.2, 0.3, 0.5]), base);
    const d = scoreDrift(base, cur, T);
    expect(d.drifted).toEqual(['c', 'x']);
    expect(d.columns.x.ks).toBeGreaterThan(0.3);
    // Categorical PSI from the definition: (a - e) ln(a / e) over a, b, c and "other".
    const e = [0.5, 0.3, 0.2];
    const a = [0.2, 0.3, 0.5];
    const expected = a.reduce((s, ai, i) => s + (ai - e[i]) * Math.log(ai / e[i]), 0);
    expect(d.columns.c.psi).toBeGreaterThan(expected * 0.9);
    expect(d.columns.c.psi).toBeLessThan(expected * 1.1);
    expect(driftViolations(d).map((v) => v.id)).toEqual(['drift:c', 'drift:x']);
  });

  test('exact counts on foreign bin edges (reference) and sketch re-binning agree on our own edges', () => {
    const base = profileOf(sample(1, 5000));
    const withRef = profileOf(sample(4, 5000), base);
    const withoutRef = profileOf(sample(4, 5000));
    expect(withRef.columns.x.reference!.counts).toEqual(
      scoreDrift(base, withoutRef, T).columns.x.bins.current.map((p) => Math.round(p * withRef.columns.x.count)),
    );
    expect(scoreDrift(base, withRef, T).columns.x.psi).toBeCloseTo(scoreDrift(base, withoutRef, T).columns.x.psi, 12);
  });

  test('values outside the baseline categories fall in the "other" bin', () => {
    const base: Profile = {
      format: 'aidlc-profile',
      version: 1,
      dataset: 't',
      rows: 10,
      malformedRows: 0,
      duplicateRows: 0,
      duplicateKeys: 0,
      key: [],
      columns: {
        c: { type: 'string', count: 10, nulls: 0, invalid: 0, distinct: 2, distinctExact: true, categories: { values: { a: 0.5, b: 0.5 }, other: 0, complete: true } },
      },
    };
    const cur: Profile = { ...base, columns: { c: { ...base.columns.c, categories: { values: { a: 5, b: 3, z: 2 }, other: 0, complete: true } } } };
    const d = scoreDrift(base, cur, T);
    expect(d.columns.c.bins).toEqual({ labels: ['a', 'b', '(other)'], baseline: [0.5, 0.5, 0], current: [0.5, 0.3, 0.2] });
    expect(d.columns.c.psi).toBeCloseTo(psi([5, 3, 2], [0.5, 0.5, 0], 1e-4), 12);
  });

  test('key columns and columns the current data lacks are not scored', () => {
    const base = profileOf(sample(1, 1000));
    const keyed: Profile = { ...base, key: ['n'] };
    const partial: Profile = { ...base, columns: { x: base.columns.x } };
    const d = scoreDrift(keyed, partial, T);
    expect(Object.keys(d.columns)).toEqual(['x']);
    expect(d.skipped).toEqual({ c: 'not in the current data' });
  });
});
