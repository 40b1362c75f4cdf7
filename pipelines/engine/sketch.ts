/* eslint-disable no-bitwise -- bucket indexes are float64 bit fields */
/**
 * A log-linear histogram of float64 values: a value's bucket is its sign, exponent and the top
 * `bits` bits of its mantissa, so each bucket spans at most 2^-bits (0.8 % at 7 bits) of its
 * values' magnitude, whatever the range of the data. Bucket bounds are exact doubles and every
 * bucket is half-open [lower, next lower), so bins whose edges are bucket bounds count exactly,
 * and sketches of two datasets compare bucket by bucket (KS, re-binning).
 *
 * Bucket indexes are order-preserving non-negative integers below 2^(12 + bits): negative values
 * first, then zero and the positive values. Dropping the lowest index bit merges neighbouring
 * buckets into the sketch of `bits - 1`.
 *
 * Memory: 128 counters (1 KB) per power of two that the data touches.
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** Mantissa bits kept by the profiler's sketches. */
export const SKETCH_BITS = 7;

/** Bucket index of a finite, non-NaN value (-0 counts as 0). */
export function bucketIndex(v: number, bits: number = SKETCH_BITS): number {
  F64[0] = v;
  const hi = U32[1];
  const shift = 20 - bits;
  const half = 1 << (11 + bits);
  if (hi >>> 31 === 0 || (hi === 0x80000000 && U32[0] === 0)) {
    return half | ((hi & 0x7fffffff) >>> shift);
  }
  const m = hi & 0x7fffffff;
  let mk = m >>> shift;
  // An exact bucket bound belongs to the bucket above it: [lower, upper).
  if ((m & ((1 << shift) - 1)) === 0 && U32[0] === 0) mk--;
  return half - 1 - mk;
}

/** The smallest value of bucket `idx` (its inclusive lower bound). */
export function bucketLower(idx: number, bits: number = SKETCH_BITS): number {
  const half = 1 << (11 + bits);
  const shift = 20 - bits;
  if (idx >= half) {
    U32[1] = ((idx - half) * 2 ** shift) >>> 0;
    U32[0] = 0;
    return F64[0];
  }
  const mk = half - 1 - idx;
  U32[1] = ((mk + 1) * 2 ** shift) >>> 0;
  U32[0] = 0;
  return -F64[0];
}

const NO_BLOCK = new Float64Array(0);

/** A streaming log-linear histogram. */
export class Sketch {
  /** 128 counters per power of two, allocated when the data first reaches it. */
  private readonly blocks: Float64Array[] = new Array<Float64Array>(1 << (12 + SKETCH_BITS - 7)).fill(NO_BLOCK);

  add(v: number): void {
    this.addIndex(bucketIndex(v));
  }

  /**
   * Adds a value given by its float64 bits (high and low 32-bit words as signed integers, as
   * `LANES` holds them after `hashNumber`: small integers cross calls without a heap box, where
   * unsigned words of 2^31 and more would not); returns its bucket.
   */
  addBits(hi: number, lo: number): number {
    let bucket: number;
    if (hi >= 0 || (hi === -0x80000000 && lo === 0)) {
      bucket = (1 << 18) | ((hi & 0x7fffffff) >>> 13);
    } else {
      const magnitude = hi & 0x7fffffff;
      let magnitudeBucket = magnitude >>> 13;
      if ((magnitude & 0x1fff) === 0 && lo === 0) magnitudeBucket--;
      bucket = (1 << 18) - 1 - magnitudeBucket;
    }
    this.addIndex(bucket);
    return bucket;
  }

  private addIndex(bucket: number): void {
    let block = this.blocks[bucket >>> 7];
    if (block.length === 0) {
      block = new Float64Array(128);
      this.blocks[bucket >>> 7] = block;
    }
    block[bucket & 127]++;
  }

  /** Adds the counts of other buckets at `SKETCH_BITS` (e.g. another thread's `buckets()`). */
  merge(buckets: Array<[number, number]>): void {
    for (const [bucket, n] of buckets) {
      let block = this.blocks[bucket >>> 7];
      if (block.length === 0) {
        block = new Float64Array(128);
        this.blocks[bucket >>> 7] = block;
      }
      block[bucket & 127] += n;
    }
  }

  /** Non-empty buckets in value order, as [index, count] at `SKETCH_BITS`. */
  buckets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let b = 0; b < this.blocks.length; b++) {
      const blk = this.blocks[b];
      if (blk.length === 0) continue;
      for (let i = 0; i < 128; i++) if (blk[i] > 0) out.push([(b << 7) | i, blk[i]]);
    }
    return out;
  }
}

/** Merges buckets down to `toBits` mantissa bits (`toBits <= fromBits`). */
export function coarsen(buckets: Array<[number, number]>, fromBits: number, toBits: number): Array<[number, number]> {
  if (toBits === fromBits) return buckets;
  const shift = fromBits - toBits;
  const out: Array<[number, number]> = [];
  for (const [idx, n] of buckets) {
    const c = Math.floor(idx / 2 ** shift);
    const last = out[out.length - 1];
    if (last && last[0] === c) last[1] += n;
    else out.push([c, n]);
  }
  return out;
}

/** Fewest bits (down to 2) that keep at most `maxBuckets` non-empty buckets. */
export function compact(buckets: Array<[number, number]>, bits: number, maxBuckets: number): { bits: number; buckets: Array<[number, number]> } {
  let b = bits;
  let out = buckets;
  while (out.length > maxBuckets && b > 2) {
    b--;
    out = coarsen(buckets, bits, b);
  }
  return { bits: b, buckets: out };
}

/**
 * Quantile bins from sketch buckets: up to `nbins` bins whose edges are bucket bounds nearest the
 * quantiles k/nbins. Ties (a bucket holding several quantiles) merge bins; no bin is empty.
 * Bins are (-inf, e1), [e1, e2), ..., [e_last, +inf).
 */
export function quantileBins(buckets: Array<[number, number]>, bits: number, nbins: number): { edges: number[]; counts: number[] } {
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return { edges: [], counts: [] };
  // cumBefore[i]: values below the lower bound of bucket i.
  const cumBefore: number[] = [];
  let cum = 0;
  for (const [, n] of buckets) {
    cumBefore.push(cum);
    cum += n;
  }
  const chosen: number[] = [];
  let i = 1;
  for (let k = 1; k < nbins; k++) {
    const target = (k * total) / nbins;
    while (i < buckets.length - 1 && cumBefore[i + 1] <= target) i++;
    if (i >= buckets.length) break;
    let best = i;
    if (i + 1 < buckets.length && Math.abs(cumBefore[i + 1] - target) < Math.abs(cumBefore[i] - target)) best = i + 1;
    if (best >= 1 && (chosen.length === 0 || best > chosen[chosen.length - 1])) chosen.push(best);
  }
  const edges = chosen.map((b) => bucketLower(buckets[b][0], bits));
  const counts: number[] = [];
  let prev = 0;
  for (const b of chosen) {
    counts.push(cumBefore[b] - prev);
    prev = cumBefore[b];
  }
  counts.push(total - prev);
  return { edges, counts };
}

/** Counts of sketch buckets in bins with the given edges; undefined unless every edge is a bucket bound. */
export function binSketch(buckets: Array<[number, number]>, bits: number, edges: number[]): number[] | undefined {
  for (const e of edges) {
    if (!Number.isFinite(e) || bucketLower(bucketIndex(e, bits), bits) !== e) return undefined;
  }
  const counts = new Array(edges.length + 1).fill(0);
  for (const [idx, n] of buckets) counts[binOf(edges, bucketLower(idx, bits))] += n;
  return counts;
}

/** Bin of `v` for edges e1 < e2 < ...: the number of edges <= v. */
export function binOf(edges: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Kolmogorov-Smirnov statistic between two sketches, evaluated at every bucket bound. */
export function sketchKs(a: { bits: number; buckets: Array<[number, number]> }, b: { bits: number; buckets: Array<[number, number]> }): number {
  const bits = Math.min(a.bits, b.bits);
  const x = coarsen(a.buckets, a.bits, bits);
  const y = coarsen(b.buckets, b.bits, bits);
  const tx = x.reduce((s, [, n]) => s + n, 0);
  const ty = y.reduce((s, [, n]) => s + n, 0);
  if (tx === 0 || ty === 0) return 0;
  let i = 0;
  let j = 0;
  let cx = 0;
  let cy = 0;
  let d = 0;
  while (i < x.length || j < y.length) {
    const ix = i < x.length ? x[i][0] : Infinity;
    const iy = j < y.length ? y[j][0] : Infinity;
    const idx = Math.min(ix, iy);
    if (ix === idx) cx += x[i++][1];
    if (iy === idx) cy += y[j++][1];
    d = Math.max(d, Math.abs(cx / tx - cy / ty));
  }
  return d;
}
