import { DenseIntSet, HashSet64, HyperLogLog, LANES, RowHasher, hashBytes, scanHashBytes } from '../../../pipelines/engine/hash';
import { SKETCH_BITS, Sketch, binOf, binSketch, bucketIndex, bucketLower, coarsen, compact, quantileBins, sketchKs } from '../../../pipelines/engine/sketch';
import { prng } from '../../support/data-sources';

describe('log-linear sketch', () => {
  const samples = [
    0, 1, -1, 0.5, -0.5, 3, -3, 1e-300, -1e-300, 123.456, -123.456, 1e300, -1e300, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 52, 66.82,
  ];

  test('every value lies in [lower(bucket), lower(bucket + 1)), at every precision', () => {
    for (const bits of [2, 5, SKETCH_BITS]) {
      for (const v of samples) {
        const i = bucketIndex(v, bits);
        expect({ v, bits, ok: bucketLower(i, bits) <= v && v < bucketLower(i + 1, bits) }).toEqual({ v, bits, ok: true });
      }
    }
  });

  test('bucket order follows value order, and bounds are their own buckets', () => {
    const sorted = [...samples].sort((a, b) => a - b);
    const idx = sorted.map((v) => bucketIndex(v));
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    for (const v of [1, -1, 2, -4, 0.5, 96, -96]) expect(bucketLower(bucketIndex(v))).toBe(v);
  });

  test('coarsening merges buckets consistently with the coarser index', () => {
    const rand = prng(3);
    for (let k = 0; k < 2000; k++) {
      const v = (rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 10);
      const fine = bucketIndex(v, 7);
      expect(coarsen([[fine, 1]], 7, 4)[0][0]).toBe(bucketIndex(v, 4));
    }
  });

  test('quantile bins from a sketch count exactly and re-bin exactly', () => {
    const s = new Sketch();
    const values: number[] = [];
    const rand = prng(5);
    for (let i = 0; i < 10000; i++) {
      const v = Math.round((rand() * 100 - 20) * 100) / 100;
      values.push(v);
      s.add(v);
    }
    const buckets = s.buckets();
    const bins = quantileBins(buckets, SKETCH_BITS, 10);
    expect(bins.edges.length).toBe(9);
    const exact = new Array(10).fill(0);
    for (const v of values) exact[binOf(bins.edges, v)]++;
    expect(bins.counts).toEqual(exact);
    expect(binSketch(buckets, SKETCH_BITS, bins.edges)).toEqual(exact);
    for (const n of bins.counts) expect(Math.abs(n - 1000)).toBeLessThan(100);
    expect(binSketch(buckets, SKETCH_BITS, [0.3333])).toBeUndefined();
  });

  test('integer data gets one bin per value when values are few, never an empty bin', () => {
    const s = new Sketch();
    for (let i = 0; i < 100; i++) s.add(i % 3);
    const bins = quantileBins(s.buckets(), SKETCH_BITS, 10);
    expect(bins).toEqual({ edges: [1, 2], counts: [34, 33, 33] });
  });

  test('compact keeps at most the asked number of buckets', () => {
    const s = new Sketch();
    for (let i = 1; i <= 100000; i++) s.add(i);
    const c = compact(s.buckets(), SKETCH_BITS, 256);
    expect(c.buckets.length).toBeLessThanOrEqual(256);
    expect(c.bits).toBeLessThan(SKETCH_BITS);
    expect(c.buckets.reduce((t, [, n]) => t + n, 0)).toBe(100000);
  });

  test('KS between sketches: 0 for the same data, about the shift for shifted uniform data', () => {
    const a = new Sketch();
    const b = new Sketch();
    for (let i = 0; i < 10000; i++) {
      a.add(100 + i / 100);
      b.add(110 + i / 100);
    }
    const sa = { bits: SKETCH_BITS, buckets: a.buckets() };
    expect(sketchKs(sa, sa)).toBe(0);
    const ks = sketchKs(sa, { bits: SKETCH_BITS, buckets: b.buckets() });
    expect(ks).toBeGreaterThan(0.09);
    expect(ks).toBeLessThan(0.11);
  });
});

describe('hashing', () => {
  test('HashSet64 agrees with a Set on millions of hashes with collisions and growth', () => {
    const set = new HashSet64(16);
    const seen = new Set<string>();
    const rand = prng(9);
    let dupes = 0;
    let expectedDupes = 0;
    for (let i = 0; i < 200000; i++) {
      const a = i % 7 === 0 ? 0 : Math.trunc(rand() * 2 ** 32) - 2 ** 31;
      const b = i % 11 === 0 ? 0 : Math.floor(rand() * 1000);
      const k = `${a}:${b}`;
      if (seen.has(k)) expectedDupes++;
      seen.add(k);
      if (!set.add(a, b)) dupes++;
    }
    expect(dupes).toBe(expectedDupes);
    expect(set.size).toBe(seen.size);
    expect(set.add(0, 0)).toBe(!seen.has('0:0'));
  });

  test('DenseIntSet agrees with a Set, grows with the largest value and merges with exact repeat counts', () => {
    const a = new DenseIntSet();
    const b = new DenseIntSet();
    const seenA = new Set<number>();
    const seenB = new Set<number>();
    const rand = prng(13);
    for (let i = 0; i < 50000; i++) {
      const v = Math.floor(rand() * 200000) * (i % 3 === 0 ? 1000 : 1);
      if (!DenseIntSet.fits(v)) continue;
      const [set, seen] = i % 2 ? [a, seenA] : [b, seenB];
      expect(set.add(v)).toBe(!seen.has(v));
      seen.add(v);
    }
    const both = [...seenB].filter((v) => seenA.has(v)).length;
    expect(a.mergeState(b.exportState())).toBe(both);
    expect(a.size).toBe(new Set([...seenA, ...seenB]).size);
    expect(DenseIntSet.fits(-1)).toBe(false);
    expect(DenseIntSet.fits(2 ** 28)).toBe(false);
    expect(DenseIntSet.fits(1.5)).toBe(false);
  });

  test('scanHashBytes hashes exactly what hashBytes does, up to the stop byte', () => {
    const buf = Buffer.from('mobile,desktop');
    hashBytes(buf, 0, 6);
    const [a, b] = [LANES[0], LANES[1]];
    expect(scanHashBytes(buf, 0, buf.length, 44)).toBe(6);
    expect([LANES[0], LANES[1]]).toEqual([a, b]);
  });

  test('row hashes depend on field order', () => {
    const h = new RowHasher();
    const row = (fields: number[][]) => { h.reset(1); for (const [x, y] of fields) h.add(x, y); h.finish(); return [LANES[0], LANES[1]]; };
    expect(row([[1, 2], [3, 4]])).not.toEqual(row([[3, 4], [1, 2]]));
    expect(row([[1, 2], [3, 4]])).toEqual(row([[1, 2], [3, 4]]));
  });

  test('HyperLogLog estimates within a few percent', () => {
    for (const n of [10, 1000, 100000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) {
        hashBytes(Buffer.from(`value-${i}`), 0, `value-${i}`.length);
        h.add(LANES[0]);
      }
      expect(Math.abs(h.estimate() - n) / n).toBeLessThan(0.05);
    }
  });
});
