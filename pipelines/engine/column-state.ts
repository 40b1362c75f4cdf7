/* eslint-disable no-bitwise -- sketch block indexes are bit fields */
import { ByteDictionary, NumberCounter } from './categories';
import { ContractColumn } from './contract';
import { HyperLogLog } from './hash';
import { Bins, ColumnProfile } from './profile';
import { SKETCH_BITS, Sketch, binOf, bucketLower, compact, quantileBins } from './sketch';
import { formatTimestamp } from './values';

export const K_INT = 0;
export const K_FLOAT = 1;
export const K_STRING = 2;
export const K_BOOL = 3;
export const K_TIME = 4;

const NO_BINS = new Int8Array(0);

const KIND_CODE: Record<string, number> = { int: K_INT, float: K_FLOAT, string: K_STRING, bool: K_BOOL, timestamp: K_TIME };

/** Most non-empty sketch buckets written to a profile per column (coarser beyond that). */
const MAX_SKETCH_BUCKETS = 2048;

/**
 * The running statistics of one column. One class for every type (unused parts stay empty) so
 * the profiler's loop sees a single object shape.
 */
export class ColumnState {
  readonly name: string;
  readonly kind: number;
  readonly nullable: boolean;
  /** Violation ids, built once. */
  readonly idType: string;
  readonly idNull: string;
  readonly idRange: string;
  readonly idAllowed: string;

  count = 0;
  nulls = 0;
  invalid = 0;
  readonly hll = new HyperLogLog();

  /** [min, max, sum, the sum's compensation]: unboxed doubles for the hot loop. */
  readonly numberStats = Float64Array.of(Infinity, -Infinity, 0, 0);
  readonly lo: number;
  readonly hi: number;
  readonly hasRange: boolean;
  outOfRange = 0;
  readonly sketch: Sketch | undefined;
  /** The baseline's bin edges this column is also counted on, and the count in each bin. */
  referenceEdges: Float64Array | undefined;
  referenceCounts: Float64Array | undefined;
  /** Per sketch block, the reference bin of each bucket (built on first use). */
  referenceBinBlocks: Int8Array[] | undefined;

  /** Counts of each value of an int column with allowed values. */
  readonly numberCounts: NumberCounter | undefined;
  readonly allowedNumbers: Set<number> | undefined;
  /** Counts of each value of a string column. */
  readonly dictionary: ByteDictionary | undefined;
  readonly hasAllowed: boolean;
  notAllowed = 0;

  trues = 0;
  falses = 0;

  constructor(readonly spec: ContractColumn, readonly isKey: boolean, maxCategories: number) {
    this.name = spec.name;
    this.kind = KIND_CODE[spec.type];
    this.nullable = spec.nullable;
    this.idType = `type:${spec.name}`;
    this.idNull = `not_null:${spec.name}`;
    this.idRange = `range:${spec.name}`;
    this.idAllowed = `allowed:${spec.name}`;
    this.lo = spec.min ?? -Infinity;
    this.hi = spec.max ?? Infinity;
    this.hasRange = spec.min !== undefined || spec.max !== undefined;
    const numeric = this.kind === K_INT || this.kind === K_FLOAT;
    this.sketch = numeric ? new Sketch() : undefined;
    this.hasAllowed = spec.allowed !== undefined;
    this.numberCounts = this.kind === K_INT && this.hasAllowed ? new NumberCounter(maxCategories) : undefined;
    this.allowedNumbers = this.numberCounts ? new Set(spec.allowed!.map(Number)) : undefined;
    this.dictionary = this.kind === K_STRING ? new ByteDictionary(maxCategories, spec.allowed ?? []) : undefined;
  }

  get min(): number { return this.numberStats[0]; }
  set min(v: number) { this.numberStats[0] = v; }
  get max(): number { return this.numberStats[1]; }
  set max(v: number) { this.numberStats[1] = v; }
  get sum(): number { return this.numberStats[2]; }
  set sum(v: number) { this.numberStats[2] = v; }
  get comp(): number { return this.numberStats[3]; }
  set comp(v: number) { this.numberStats[3] = v; }

  /** Bin of sketch bucket `bucket` on the reference edges, or -1 when an edge splits the bucket. */
  referenceBinOfBucket(bucket: number): number {
    let block = this.referenceBinBlocks![bucket >>> 7];
    if (block.length === 0) {
      block = new Int8Array(128);
      const edges = this.referenceEdges!;
      for (let i = 0; i < 128; i++) {
        const b = ((bucket >>> 7) << 7) | i;
        const lower = bucketLower(b);
        const upper = b + 1 < 1 << (12 + SKETCH_BITS) ? bucketLower(b + 1) : Infinity;
        const bin = binOf(edges, lower);
        // Edges at or below lower are counted in bin; one strictly inside (lower, upper) splits the bucket.
        block[i] = bin < edges.length && edges[bin] < upper ? -1 : bin;
      }
      this.referenceBinBlocks![bucket >>> 7] = block;
    }
    return block[bucket & 127];
  }

  /** Also count values on these bin edges (a baseline's), exactly. */
  setReferenceEdges(edges: number[]): void {
    this.referenceEdges = Float64Array.from(edges);
    this.referenceCounts = new Float64Array(edges.length + 1);
    if (edges.length < 127) this.referenceBinBlocks = new Array<Int8Array>(1 << (12 + SKETCH_BITS - 7)).fill(NO_BINS);
  }

  /** Everything this column counted, as plain data another thread can send. */
  exportState(): ColumnStateData {
    return {
      count: this.count,
      nulls: this.nulls,
      invalid: this.invalid,
      registers: this.hll.registers,
      min: this.min,
      max: this.max,
      sum: this.sum,
      comp: this.comp,
      outOfRange: this.outOfRange,
      notAllowed: this.notAllowed,
      trues: this.trues,
      falses: this.falses,
      sketch: this.sketch?.buckets(),
      refCounts: this.referenceCounts,
      dict: this.dictionary ? { entries: this.dictionary.entries(), other: this.dictionary.other, complete: this.dictionary.complete } : undefined,
      numbers: this.numberCounts
        ? { entries: this.numberCounts.numericEntries(), other: this.numberCounts.other, complete: this.numberCounts.complete }
        : undefined,
    };
  }

  /** Adds what another part of the same input counted for this column. */
  mergeState(o: ColumnStateData): void {
    this.count += o.count;
    this.nulls += o.nulls;
    this.invalid += o.invalid;
    this.hll.merge(o.registers);
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
    // Neumaier's sum of the two partial sums, carrying both compensations.
    const t = this.sum + o.sum;
    if (Math.abs(this.sum) >= Math.abs(o.sum)) this.comp += (this.sum - t) + o.sum;
    else this.comp += (o.sum - t) + this.sum;
    this.sum = t;
    this.comp += o.comp;
    this.outOfRange += o.outOfRange;
    this.notAllowed += o.notAllowed;
    this.trues += o.trues;
    this.falses += o.falses;
    if (o.sketch) this.sketch?.merge(o.sketch);
    if (o.refCounts && this.referenceCounts) for (let i = 0; i < this.referenceCounts.length; i++) this.referenceCounts[i] += o.refCounts[i];
    if (o.dict) this.dictionary?.merge(o.dict.entries, o.dict.other, o.dict.complete);
    if (o.numbers) this.numberCounts?.merge(o.numbers.entries, o.numbers.other, o.numbers.complete);
  }

  /** The column's profile section; `bins` is the number of quantile bins. */
  toProfile(bins: number): ColumnProfile {
    const base = { type: this.spec.type, count: this.count, nulls: this.nulls, invalid: this.invalid };
    switch (this.kind) {
      case K_INT:
      case K_FLOAT: {
        const buckets = this.sketch!.buckets();
        const sk = compact(buckets, SKETCH_BITS, MAX_SKETCH_BUCKETS);
        const cats = this.numberCounts ? categoriesOf(this.numberCounts.entries(), this.numberCounts.other, this.numberCounts.complete) : undefined;
        return {
          ...base,
          ...this.distinct(cats ? this.numberCounts!.complete : false, this.numberCounts?.size ?? 0),
          ...(this.count > 0 ? { min: this.min, max: this.max, mean: (this.sum + this.comp) / this.count } : {}),
          bins: quantileBins(sk.buckets, sk.bits, bins),
          sketch: { bits: sk.bits, buckets: sk.buckets },
          ...(this.referenceEdges
            ? { reference: { edges: Array.from(this.referenceEdges), counts: Array.from(this.referenceCounts!) } as Bins }
            : {}),
          ...(cats ? { categories: cats } : {}),
          ...(this.hasRange ? { outOfRange: this.outOfRange } : {}),
          ...(this.hasAllowed ? { notAllowed: this.notAllowed } : {}),
        };
      }
      case K_STRING: {
        const d = this.dictionary!;
        return {
          ...base,
          ...this.distinct(d.complete, d.entries().length),
          categories: categoriesOf(d.entries(), d.other, d.complete),
          ...(this.hasAllowed ? { notAllowed: this.notAllowed } : {}),
        };
      }
      case K_BOOL: {
        const entries: Array<[string, number]> = [];
        if (this.trues > 0) entries.push(['true', this.trues]);
        if (this.falses > 0) entries.push(['false', this.falses]);
        entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        return { ...base, distinct: entries.length, distinctExact: true, categories: categoriesOf(entries, 0, true) };
      }
      default:
        return {
          ...base,
          ...this.distinct(false, 0),
          ...(this.count > 0 ? { earliest: formatTimestamp(this.min), latest: formatTimestamp(this.max) } : {}),
        };
    }
  }

  private distinct(exact: boolean, exactCount: number): { distinct: number; distinctExact: boolean } {
    if (exact) return { distinct: exactCount, distinctExact: true };
    // A few values counted exactly beat the estimate's rounding at the low end.
    return { distinct: Math.min(this.hll.estimate(), this.count), distinctExact: false };
  }
}

/** A column's counts in transferable form (see `ColumnState.exportState`). */
export interface ColumnStateData {
  readonly count: number;
  readonly nulls: number;
  readonly invalid: number;
  readonly registers: Uint8Array;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  readonly comp: number;
  readonly outOfRange: number;
  readonly notAllowed: number;
  readonly trues: number;
  readonly falses: number;
  readonly sketch?: Array<[number, number]>;
  readonly refCounts?: Float64Array;
  readonly dict?: { entries: Array<[string, number]>; other: number; complete: boolean };
  readonly numbers?: { entries: Array<[number, number]>; other: number; complete: boolean };
}

function categoriesOf(entries: Array<[string, number]>, other: number, complete: boolean) {
  const values: Record<string, number> = {};
  for (const [v, n] of entries) values[v] = n;
  return { values, other, complete };
}

/**
 * The baseline's bin edges a column is also counted on (its profile's `reference`, which makes
 * drift exact): int and float columns whose baseline has bins, except int columns with allowed
 * values, whose drift compares categories.
 */
export function referenceEdgesOf(spec: ContractColumn, baseline: { columns: Record<string, { bins?: Bins }> } | undefined): number[] | undefined {
  const numeric = spec.type === 'int' || spec.type === 'float';
  const categorical = spec.type === 'int' && spec.allowed !== undefined;
  const edges = baseline?.columns[spec.name]?.bins?.edges;
  return numeric && !categorical && edges && edges.length > 0 ? edges : undefined;
}

export function kindCode(type: string): number {
  return KIND_CODE[type];
}
