/* eslint-disable no-bitwise -- open addressing on 32-bit hashes */
import { LANES, hashBytes } from './hash';

/**
 * Counts of distinct byte strings (category values) without making a string per field: an
 * open-addressing table on the 32-bit lane-A hash, confirmed by comparing bytes. Holds at most
 * `maxEntries` distinct values; later new values only add to `other` (the counts stay exact for
 * the values held, and `complete` turns false).
 */
export class ByteDictionary {
  private table = new Int32Array(64);
  private mask = 63;
  private hashes: number[] = [];
  private keys: Buffer[] = [];
  readonly texts: string[] = [];
  counts: Float64Array = new Float64Array(16);
  /** 1 where the value is in the contract's allowed list. */
  private allowedFlags: number[] = [];
  /** Occurrences of values that did not fit. */
  other = 0;
  complete = true;

  constructor(private readonly maxEntries: number, allowed: string[] = []) {
    for (const a of allowed) {
      const b = Buffer.from(a, 'utf8');
      hashBytes(b, 0, b.length);
      const i = this.insert(b, 0, b.length, LANES[0]);
      this.allowedFlags[i] = 1;
    }
  }

  get size(): number {
    return this.keys.length;
  }

  /**
   * Counts one occurrence of bytes [s, e) whose lane-A hash is `h`. Returns the entry index, or -1
   * when the dictionary is full and the value is new.
   */
  add(buf: Uint8Array, s: number, e: number, h: number): number {
    let i = this.find(buf, s, e, h);
    if (i < 0) {
      if (this.keys.length >= this.maxEntries) {
        this.other++;
        this.complete = false;
        return -1;
      }
      i = this.insert(buf, s, e, h);
    }
    this.counts[i]++;
    return i;
  }

  /** Adds the counts of another dictionary's `entries()` and `other`. */
  merge(entries: Array<[string, number]>, other: number, complete: boolean): void {
    for (const [text, n] of entries) {
      const b = Buffer.from(text, 'utf8');
      hashBytes(b, 0, b.length);
      const i = this.add(b, 0, b.length, LANES[0]);
      if (i >= 0) this.counts[i] += n - 1;
      else this.other += n - 1;
    }
    this.other += other;
    if (!complete) this.complete = false;
  }

  isAllowed(i: number): boolean {
    return i >= 0 && this.allowedFlags[i] === 1;
  }

  /** Values with a count, most frequent first (ties by value). */
  entries(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (let i = 0; i < this.keys.length; i++) if (this.counts[i] > 0) out.push([this.texts[i], this.counts[i]]);
    return out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  private find(buf: Uint8Array, s: number, e: number, h: number): number {
    const n = e - s;
    let slot = h & this.mask;
    for (;;) {
      const v = this.table[slot];
      if (v === 0) return -1;
      const i = v - 1;
      if (this.hashes[i] === h) {
        const k = this.keys[i];
        if (k.length === n) {
          let same = true;
          for (let j = 0; j < n; j++) {
            if (k[j] !== buf[s + j]) { same = false; break; }
          }
          if (same) return i;
        }
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(buf: Uint8Array, s: number, e: number, h: number): number {
    const existing = this.find(buf, s, e, h);
    if (existing >= 0) return existing;
    const i = this.keys.length;
    const key = Buffer.from(buf.subarray(s, e));
    this.keys.push(key);
    this.hashes.push(h);
    this.texts.push(key.toString('utf8'));
    this.allowedFlags.push(0);
    if (i >= this.counts.length) {
      const c = new Float64Array(this.counts.length * 2);
      c.set(this.counts);
      this.counts = c;
    }
    if ((i + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    let slot = h & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot] = i + 1;
    return i;
  }

  private rehash(cap: number): void {
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < this.keys.length - 1; i++) {
      let slot = this.hashes[i] & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = i + 1;
    }
  }
}

/** Occurrence counts of numbers (int columns with allowed values), up to `maxEntries` values. */
export class NumberCounter {
  private readonly counts = new Map<number, number>();
  /** Counts of the whole numbers 0..255, the usual labels and codes, without a map lookup. */
  private readonly small = new Float64Array(256);
  other = 0;
  complete = true;

  constructor(private readonly maxEntries: number) {}

  add(v: number): void {
    if (v >= 0 && v < 256 && (v | 0) === v) {
      if (this.small[v] === 0) {
        if (this.counts.size >= this.maxEntries) {
          this.other++;
          this.complete = false;
          return;
        }
        this.counts.set(v, 0);
      }
      this.small[v]++;
      return;
    }
    const n = this.counts.get(v);
    if (n !== undefined) {
      this.counts.set(v, n + 1);
    } else if (this.counts.size < this.maxEntries) {
      this.counts.set(v, 1);
    } else {
      this.other++;
      this.complete = false;
    }
  }

  get size(): number {
    return this.counts.size;
  }

  private countOf(v: number): number {
    return v >= 0 && v < 256 && (v | 0) === v ? this.small[v] : this.counts.get(v)!;
  }

  /** Adds the counts of another counter (its `entries()` as numbers). */
  merge(entries: Array<[number, number]>, other: number, complete: boolean): void {
    for (const [v, n] of entries) {
      if (!this.counts.has(v) && this.counts.size >= this.maxEntries) {
        this.other += n;
        this.complete = false;
        continue;
      }
      if (v >= 0 && v < 256 && (v | 0) === v) {
        this.counts.set(v, 0);
        this.small[v] += n;
      } else {
        this.counts.set(v, (this.counts.get(v) ?? 0) + n);
      }
    }
    this.other += other;
    if (!complete) this.complete = false;
  }

  /** Occurrences by numeric value. */
  numericEntries(): Array<[number, number]> {
    return [...this.counts.keys()].map((v): [number, number] => [v, this.countOf(v)]);
  }

  entries(): Array<[string, number]> {
    return [...this.counts.keys()]
      .map((v): [string, number] => [String(v), this.countOf(v)])
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
