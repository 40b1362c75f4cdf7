/* eslint-disable no-bitwise -- hashing and bitmaps are bit arithmetic */
/**
 * Hashing for duplicate detection and distinct estimates, over typed arrays so memory stays a few
 * bytes per row. A value hashes to two 32-bit lanes (`laneA`, `laneB`); a row hashes to 64 bits by
 * mixing the lanes of its fields in order.
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/**
 * Lanes of the last `hashNumber` / `hashBytes` / `scanHashBytes` / `hashString` call, as signed
 * 32-bit integers: `LANES[0]` is lane A, `LANES[1]` lane B (read them right after the call).
 */
export const LANES = new Int32Array(2);

/** Hash of a null field: a NaN bit pattern no parsed number can have. */
export const NULL_A = 0x6e756c6c;
export const NULL_B = 0x7ff8dead;

/** Hashes a finite number by its float64 bits (callers turn -0 into 0 first). */
export function hashNumber(v: number): void {
  F64[0] = v;
  LANES[0] = U32[0];
  LANES[1] = U32[1];
}

/** High 32 bits of the float64 hashed last by `hashNumber` (unsigned). */
export function lastHigh(): number {
  return U32[1];
}

/** Low 32 bits of the float64 hashed last by `hashNumber` (unsigned). */
export function lastLow(): number {
  return U32[0];
}

/** FNV-1a (lane A) and a multiplicative hash (lane B) of bytes [start, end). */
export function hashBytes(buf: Uint8Array, start: number, end: number): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  finishBytes(a, b, end - start);
}

/**
 * Hashes bytes from `start` up to the first `stop` byte or `limit`, whichever comes first, and
 * returns where it stopped. Same lanes as `hashBytes` over that range.
 */
export function scanHashBytes(buf: Uint8Array, start: number, limit: number, stop: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  let i = start;
  for (; i < limit; i++) {
    const c = buf[i];
    if (c === stop) break;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  finishBytes(a, b, i - start);
  return i;
}

function finishBytes(a: number, b: number, n: number): void {
  LANES[0] = fmix(a ^ n);
  LANES[1] = fmix(b ^ 0x3c6ef372 ^ Math.imul(n, 0x27d4eb2d));
}

/** Hash of a JavaScript string through its UTF-16 code units (for values not read from bytes). */
export function hashString(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  finishBytes(a, b, s.length);
}

/** murmur3's 32-bit finaliser (result as a signed 32-bit integer). */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One murmur3 block step: folds 32-bit word `k` into hash `h`. */
export function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Accumulates a 64-bit hash of a sequence of field hashes, as two 32-bit halves in `state`. Each
 * half folds a different 32-bit combination of both field lanes, so the two halves of the row
 * hash fail independently enough for duplicate counting (about one false duplicate per 10^6 files
 * of 5 million distinct rows).
 */
export class RowHasher {
  /** The two halves of the hash so far, in a typed array so updating them allocates nothing. */
  private readonly state = new Int32Array(2);

  reset(seed: number): void {
    this.state[0] = seed ^ 0x2545f491;
    this.state[1] = seed ^ 0x9e3779b9;
  }

  /** Folds in the next field's hash lanes. */
  add(laneA: number, laneB: number): void {
    const state = this.state;
    state[0] = mixWord(state[0], laneA ^ Math.imul(laneB, 0x9e3779b1));
    state[1] = mixWord(state[1], laneB ^ Math.imul(laneA, 0x85ebca77));
  }

  /** Finalises into `LANES`. */
  finish(): void {
    const a = this.state[0];
    const b = this.state[1];
    LANES[0] = fmix(a ^ Math.imul(b, 0x27d4eb2d));
    LANES[1] = fmix(b + Math.imul(a, 0x165667b1));
  }
}

/**
 * A set of 64-bit hashes: open addressing with linear probing over one Int32Array of interleaved
 * (a, b) pairs, 8 bytes per slot, at most 3/4 full. The table has exactly the slots asked for
 * (a hash picks its first slot by multiply-shift, so no power of two is needed): sized from the
 * expected rows it takes 11 bytes per distinct row, where rounding up to a power of two took
 * 11-21.
 */
export class HashSet64 {
  private slots: Int32Array;
  /** Slots in the table (two Int32 each). */
  private capacity: number;
  private count = 0;
  private hasZero = false;

  constructor(initialCapacity = 1 << 16) {
    this.capacity = Math.max(16, Math.ceil(initialCapacity));
    this.slots = new Int32Array(this.capacity * 2);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** The table's state, to send to another thread (the set should not be used afterwards). */
  exportState(): HashSetState {
    return { slots: this.slots, count: this.count, hasZero: this.hasZero };
  }

  /** Adds every hash of another set; returns how many were already present. */
  mergeState(other: HashSetState): number {
    let repeated = 0;
    if (other.hasZero && !this.add(0, 0)) repeated++;
    const slots = other.slots;
    for (let offset = 0; offset < slots.length; offset += 2) {
      const a = slots[offset];
      const b = slots[offset + 1];
      if ((a !== 0 || b !== 0) && !this.add(a, b)) repeated++;
    }
    return repeated;
  }

  /** Adds (a, b), two signed 32-bit integers; returns false when it was already present. */
  add(a: number, b: number): boolean {
    if (a === 0 && b === 0) {
      // (0, 0) marks an empty slot, so the one hash that equals it is tracked on the side.
      if (this.hasZero) return false;
      this.hasZero = true;
      this.count++;
      return true;
    }
    const slots = this.slots;
    const capacity = this.capacity;
    // The first slot: the mixed hash scaled to [0, capacity) (a product that a double holds
    // closely enough: the same hash always gets the same slot, and every slot is below capacity).
    let slot = Math.floor(((a ^ (b >>> 7)) >>> 0) * capacity / 4294967296);
    for (;;) {
      const offset = slot << 1;
      const heldA = slots[offset];
      const heldB = slots[offset + 1];
      if (heldA === 0 && heldB === 0) {
        slots[offset] = a;
        slots[offset + 1] = b;
        if (++this.count * 4 > capacity * 3) this.grow();
        return true;
      }
      if (heldA === a && heldB === b) return false;
      if (++slot === capacity) slot = 0;
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = this.capacity * 2;
    const slots = new Int32Array(capacity * 2);
    for (let offset = 0; offset < old.length; offset += 2) {
      const a = old[offset];
      const b = old[offset + 1];
      if (a === 0 && b === 0) continue;
      let slot = Math.floor(((a ^ (b >>> 7)) >>> 0) * capacity / 4294967296);
      while (slots[slot << 1] !== 0 || slots[(slot << 1) + 1] !== 0) if (++slot === capacity) slot = 0;
      slots[slot << 1] = a;
      slots[(slot << 1) + 1] = b;
    }
    this.slots = slots;
    this.capacity = capacity;
  }
}

/**
 * A set of whole numbers in [0, 2^28) as a bitmap that grows with the largest value: one bit per
 * possible value, so dense integer keys (1, 2, 3...) cost an eighth of a byte per row instead of
 * a hash slot. At most 32 MB.
 */
export class DenseIntSet {
  static readonly LIMIT = 2 ** 28;

  /** Whether `v` can be held (a whole number in [0, LIMIT)). */
  static fits(v: number): boolean {
    return v >= 0 && v < DenseIntSet.LIMIT && Number.isInteger(v);
  }

  private bits = new Uint8Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `v` (which `fits`); returns false when it was already present. */
  add(v: number): boolean {
    const byte = v >>> 3;
    if (byte >= this.bits.length) this.grow(byte + 1);
    const mask = 1 << (v & 7);
    const b = this.bits[byte];
    if (b & mask) return false;
    this.bits[byte] = b | mask;
    this.count++;
    return true;
  }

  exportState(): Uint8Array {
    return this.bits;
  }

  /** Adds another bitmap; returns how many of its values were already present. */
  mergeState(other: Uint8Array): number {
    if (other.length > this.bits.length) this.grow(other.length);
    let repeated = 0;
    for (let i = 0; i < other.length; i++) {
      const o = other[i];
      if (o === 0) continue;
      const both = this.bits[i] & o;
      if (both !== 0) repeated += popcount8(both);
      this.count += popcount8(o) - popcount8(both);
      this.bits[i] |= o;
    }
    return repeated;
  }

  private grow(minBytes: number): void {
    let n = this.bits.length;
    while (n < minBytes) n *= 2;
    const bits = new Uint8Array(Math.min(n, DenseIntSet.LIMIT / 8));
    bits.set(this.bits);
    this.bits = bits;
  }
}

function popcount8(b: number): number {
  b = b - ((b >> 1) & 0x55);
  b = (b & 0x33) + ((b >> 2) & 0x33);
  return (b + (b >> 4)) & 0x0f;
}

export interface HashSetState {
  readonly slots: Int32Array;
  readonly count: number;
  readonly hasZero: boolean;
}

const HLL_P = 12;

/** HyperLogLog with 2^12 registers (about 1.6 % standard error, 4 KB). */
export class HyperLogLog {
  readonly registers = new Uint8Array(1 << HLL_P);

  /** Adds a well-mixed 32-bit hash. */
  add(h: number): void {
    const idx = h >>> (32 - HLL_P);
    const w = (h << HLL_P) | (1 << (HLL_P - 1));
    const rank = Math.clz32(w) + 1;
    if (rank > this.registers[idx]) this.registers[idx] = rank;
  }

  /** Folds in another sketch's registers (the union of both sets). */
  merge(registers: Uint8Array): void {
    for (let i = 0; i < this.registers.length; i++) if (registers[i] > this.registers[i]) this.registers[i] = registers[i];
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      sum += 2 ** -this.registers[i];
      if (this.registers[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}
