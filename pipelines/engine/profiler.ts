/* eslint-disable no-bitwise -- field hashes are 32-bit lanes */
import { isUtf8 } from 'node:buffer';
import { ColumnState, ColumnStateData, K_BOOL, K_FLOAT, K_INT, K_STRING, K_TIME, referenceEdgesOf } from './column-state';
import { Contract } from './contract';
import { BAD_QUOTE, CsvParser, ESCAPED } from './csv';
import { Example, ExampleLog, shorten } from './examples';
import { DenseIntSet, HashSet64, HashSetState, LANES, NULL_A, NULL_B, RowHasher, fmix, hashBytes, hashNumber, scanHashBytes } from './hash';
import { Profile } from './profile';
import { binOf } from './sketch';
import { OK, PARSED, describeProblem, parseBoolBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes, parsed, scanFloat, scanInt } from './values';

export interface ProfilerOptions {
  /**
   * The columns each record holds, in record order. Records of the data capture of an endpoint,
   * for example, hold the features without the target.
   * @default every contract column, in contract order
   */
  readonly columns?: string[];
  /**
   * A baseline profile: numeric columns are also counted on its bin edges (`reference`), so drift
   * against it is exact.
   */
  readonly baseline?: Profile;
  /** Distinct values kept per categorical column. @default 10000 */
  readonly maxCategories?: number;
  /**
   * Rows the input probably has: sizes the duplicate and key hash sets up front (no regrowth).
   * @default - grow as needed
   */
  readonly expectedRows?: number;
  /** Examples kept per violation. @default 5 */
  readonly maxExamples?: number;
}

/** What a profiler found: the profile and what the checks need beyond it. */
export interface ProfileResult {
  readonly profile: Profile;
  /** First examples of every row-level violation, by violation id. */
  readonly examples: ExampleLog;
  /** Problems of the file's columns against the contract (missing, unexpected, out of order). */
  readonly schemaProblems: string[];
  /** Contract columns the data does not have (left out of the profile). */
  readonly missingColumns: string[];
}

const RAW = 0x1234567;

/** A profiler's counts in transferable form (see `Profiler.exportState`). */
export interface ProfilerState {
  readonly rows: number;
  readonly malformed: number;
  readonly duplicateRows: number;
  readonly duplicateKeys: number;
  readonly rowSet: HashSetState;
  readonly keySet?: HashSetState;
  readonly keyInts?: Uint8Array;
  readonly columns: ColumnStateData[];
  readonly examples: Array<[string, Example[]]>;
}

/** Where the current row's values can be read back (for examples). */
type RowSource = CsvParser | ArrayLike<unknown> | { buf: Buffer };

/**
 * Builds a profile from records fed one at a time, in memory that does not grow with the number
 * of rows except for the duplicate and key hash sets (8 bytes per distinct row in each, at most
 * 3/4 full). Feed CSV records from `CsvParser` with `addCsvRecord`, or values with `addRow`
 * (positional) or `addObject` (by column name); then call `finish()`.
 *
 * Row-level contract checks (types, nulls in non-nullable columns, ranges, allowed values,
 * duplicates) are counted as the rows stream by, with the first examples of each.
 */
export class Profiler {
  readonly contract: Contract;
  private readonly cols: ColumnState[];
  private readonly byName = new Map<string, number>();
  private readonly keyCols: boolean[];
  private readonly hasKey: boolean;
  private readonly uniqueId: string;
  private readonly rowSet: HashSet64;
  private readonly keySet: HashSet64 | undefined;
  /** Single int key: values in [0, 2^28) go to a bitmap, others to `keySet`. */
  private readonly keyInts: DenseIntSet | undefined;
  /**
   * The current row's key, when it is a whole number the bitmap can hold (else NaN); in a typed
   * array, so setting it once per row allocates nothing.
   */
  private readonly keyIntBox = Float64Array.of(NaN);
  private readonly hasher = new RowHasher();
  private readonly keyHasher = new RowHasher();
  private readonly emptyIsNull: boolean;
  private readonly nullTokens: Buffer[];
  private readonly examples: ExampleLog;
  private readonly schemaProblems: string[] = [];
  private readonly missing = new Set<number>();
  private readonly unknownKeys = new Set<string>();

  // Layout of the CSV being read, and scratch space of the one-pass line path.
  private colOfField = new Int32Array(0);
  private fieldCount = 0;
  private delim = 44;
  private readonly fStart: Int32Array;
  private readonly fEnd: Int32Array;
  private readonly fFast: Uint8Array;
  private readonly fVal: Float64Array;
  private readonly fHash: Int32Array;

  /** The current line, for duplicate-key examples. */
  private readonly lineSource: { buf: Buffer } = { buf: Buffer.alloc(0) };

  private rows = 0;
  private malformed = 0;
  private duplicateRows = 0;
  private duplicateKeys = 0;
  private line = 0;

  constructor(contract: Contract, options: ProfilerOptions = {}) {
    this.contract = contract;
    const specs = new Map(contract.columns.map((c) => [c.name, c]));
    const names = options.columns ?? contract.columns.map((c) => c.name);
    const maxCategories = options.maxCategories ?? 10000;
    this.cols = names.map((n) => {
      const spec = specs.get(n);
      if (!spec) throw new Error(`column "${n}" is not in the contract`);
      return new ColumnState(spec, contract.key.includes(n), maxCategories);
    });
    this.cols.forEach((c, i) => this.byName.set(c.name, i));
    this.keyCols = this.cols.map((c) => c.isKey);
    this.hasKey = contract.key.length > 0 && contract.key.every((k) => this.byName.has(k));
    const capacity = Math.ceil(((options.expectedRows ?? 0) * 4) / 3) + 16;
    this.rowSet = new HashSet64(Math.max(1 << 16, capacity));
    const intKey = this.hasKey && contract.key.length === 1 && this.cols[this.byName.get(contract.key[0])!].kind === K_INT;
    this.keyInts = intKey ? new DenseIntSet() : undefined;
    this.keySet = this.hasKey ? new HashSet64(intKey ? 1 << 10 : Math.max(1 << 16, capacity)) : undefined;
    this.uniqueId = `unique:${contract.key.join('+')}`;
    this.emptyIsNull = contract.format.nullValues.includes('');
    this.nullTokens = contract.format.nullValues.filter((v) => v !== '').map((v) => Buffer.from(v, 'utf8'));
    this.examples = new ExampleLog(options.maxExamples ?? 5);
    const n = this.cols.length;
    this.fStart = new Int32Array(n);
    this.fEnd = new Int32Array(n);
    this.fFast = new Uint8Array(n);
    this.fVal = new Float64Array(n);
    this.fHash = new Int32Array(n * 2);
    for (const c of this.cols) {
      const edges = referenceEdgesOf(c.spec, options.baseline);
      if (edges) c.setReferenceEdges(edges);
    }
  }

  /** Names of the profiled columns, in record order. */
  get columnNames(): string[] {
    return this.cols.map((c) => c.name);
  }

  /** Marks a column the input does not have: it is left out of the profile and of row hashes. */
  setMissing(name: string): void {
    const i = this.byName.get(name);
    if (i !== undefined) this.missing.add(i);
  }

  /** Records a problem with the input's columns (`schema:columns`). */
  addSchemaProblem(message: string): void {
    this.schemaProblems.push(message);
  }

  /**
   * Counts a row that cannot be profiled (wrong number of fields, broken quoting, invalid JSON).
   */
  addMalformed(line: number | undefined, message: string, value?: string): void {
    this.rows++;
    this.malformed++;
    if (this.examples.wants('malformed_rows')) {
      this.examples.add('malformed_rows', { row: this.rows, ...(line !== undefined ? { line } : {}), ...(value !== undefined ? { value: shorten(value) } : {}), message });
    }
  }

  /**
   * Adds the current record of a CSV parser. `fieldOf[j]` is the field index of profiled column j
   * (-1 when missing); `fieldCount` the number of fields every record must have.
   */
  addCsvRecord(p: CsvParser, fieldOf: Int32Array, fieldCount: number): void {
    const count = p.count;
    if (count !== fieldCount) {
      this.addMalformed(p.line, `has ${count} field${count === 1 ? '' : 's'}, expected ${fieldCount}`, p.buf.toString('utf8', p.starts[0], p.ends[Math.min(count, p.starts.length) - 1]));
      return;
    }
    const flags = p.flags;
    if (p.hasQuotes) {
      for (let f = 0; f < count; f++) {
        if (flags[f] & BAD_QUOTE) {
          this.addMalformed(p.line, `field ${f + 1} has a quote inside an unquoted value or text after a closing quote`, p.buf.toString('utf8', p.starts[f], p.ends[f]));
          return;
        }
      }
    }
    this.rows++;
    this.line = p.line;
    const cols = this.cols;
    const starts = p.starts;
    const ends = p.ends;
    const checkUtf8 = p.badUtf8;
    this.hasher.reset(RAW);
    if (this.hasKey) this.keyHasher.reset(RAW);
    this.keyIntBox[0] = NaN;
    for (let j = 0; j < cols.length; j++) {
      const col = cols[j];
      const f = fieldOf[j];
      if (f < 0) {
        this.hasher.add(NULL_A, NULL_B);
        continue;
      }
      let buf: Uint8Array = p.buf;
      let s = starts[f];
      let e = ends[f];
      if (flags[f] & ESCAPED) {
        buf = p.unescapeField(f);
        s = 0;
        e = buf.length;
      }
      if (checkUtf8 && !isUtf8(buf.subarray(s, e))) {
        col.invalid++;
        this.exampleBytes(col.idType, col, buf, s, e, 'is not valid UTF-8');
        hashBytes(buf, s, e);
      } else {
        this.addField(col, buf, s, e);
      }
      this.hasher.add(LANES[0], LANES[1]);
      if (this.keyCols[j]) this.keyHasher.add(LANES[0], LANES[1]);
    }
    this.finishRow(p, fieldOf);
  }

  /**
   * Declares the field layout of the CSV lines given to `addCsvLine`: `fieldOf[j]` is the field
   * of profiled column j (-1: missing), `fieldCount` the fields per record.
   */
  setCsvLayout(fieldOf: Int32Array, fieldCount: number, delimiter: number): void {
    this.colOfField = new Int32Array(fieldCount).fill(-1);
    fieldOf.forEach((f, j) => { if (f >= 0) this.colOfField[f] = j; });
    this.fieldCount = fieldCount;
    this.delim = delimiter;
  }

  /**
   * Adds one CSV line without quotes, `buf[start, end)`, in a single pass over its bytes: numbers
   * are parsed and strings hashed while the field ends are found. Returns false, having counted
   * nothing, when the line does not split into the declared number of fields; the caller then
   * passes it to `addCsvRecord`, which reports it.
   */
  addCsvLine(buf: Buffer, start: number, end: number, line: number): boolean {
    const D = this.delim;
    const colOfField = this.colOfField;
    const last = this.fieldCount - 1;
    const cols = this.cols;
    const fStart = this.fStart;
    const fEnd = this.fEnd;
    const fFast = this.fFast;
    const fVal = this.fVal;
    const fHash = this.fHash;
    let i = start;
    for (let f = 0; f <= last; f++) {
      const j = colOfField[f];
      const s = i;
      if (j < 0) {
        while (i < end && buf[i] !== D) i++;
      } else {
        const kind = cols[j].kind;
        fFast[j] = 0;
        if (kind === K_FLOAT || kind === K_INT) {
          i = kind === K_FLOAT ? scanFloat(buf, i, end) : scanInt(buf, i, end);
          if (i < end && buf[i] !== D) {
            while (i < end && buf[i] !== D) i++;
          } else if (parsed.code === OK) {
            fFast[j] = 1;
            fVal[j] = PARSED[0];
          }
        } else if (kind === K_STRING) {
          i = scanHashBytes(buf, i, end, D);
          fFast[j] = 2;
          fHash[j << 1] = LANES[0];
          fHash[(j << 1) + 1] = LANES[1];
        } else {
          while (i < end && buf[i] !== D) i++;
        }
        fStart[j] = s;
        fEnd[j] = i;
      }
      if (f < last) {
        if (i >= end) return false;
        i++;
      } else if (i !== end) {
        return false;
      }
    }
    this.rows++;
    this.line = line;
    this.hasher.reset(RAW);
    const hasKey = this.hasKey;
    if (hasKey) this.keyHasher.reset(RAW);
    this.keyIntBox[0] = NaN;
    const plainNulls = this.nullTokens.length === 0;
    const someMissing = this.missing.size > 0;
    const keyCols = this.keyCols;
    for (let j = 0; j < cols.length; j++) {
      const col = cols[j];
      const s = fStart[j];
      const e = fEnd[j];
      const fast = fFast[j];
      if (someMissing && this.missing.has(j)) {
        LANES[0] = NULL_A;
        LANES[1] = NULL_B;
      } else if (fast === 1 && plainNulls) {
        PARSED[0] = fVal[j];
        this.addNumber(col, buf, s, e);
      } else if (fast === 2 && s < e && plainNulls) {
        this.addString(col, buf, s, e, fHash[j << 1]);
        LANES[0] = fHash[j << 1];
        LANES[1] = fHash[(j << 1) + 1];
      } else {
        this.addField(col, buf, s, e);
      }
      this.hasher.add(LANES[0], LANES[1]);
      if (hasKey && keyCols[j]) this.keyHasher.add(LANES[0], LANES[1]);
    }
    this.lineSource.buf = buf;
    this.finishRow(this.lineSource, undefined);
    return true;
  }

  /** Adds one record of values in profiled-column order (JSON values, Parquet cells, strings). */
  addRow(values: ArrayLike<unknown>, line?: number): void {
    if (values.length !== this.cols.length) {
      this.addMalformed(line, `has ${values.length} values, expected ${this.cols.length}`);
      return;
    }
    this.rows++;
    this.line = line ?? 0;
    this.hasher.reset(RAW);
    if (this.hasKey) this.keyHasher.reset(RAW);
    this.keyIntBox[0] = NaN;
    for (let j = 0; j < this.cols.length; j++) {
      this.addValue(this.cols[j], values[j]);
      this.hasher.add(LANES[0], LANES[1]);
      if (this.keyCols[j]) this.keyHasher.add(LANES[0], LANES[1]);
    }
    this.finishRow(values, undefined);
  }

  /** Adds one record given as an object keyed by column name; absent keys are nulls. */
  addObject(obj: Record<string, unknown>, line?: number): void {
    const values = new Array(this.cols.length);
    for (const k of Object.keys(obj)) {
      const j = this.byName.get(k);
      if (j === undefined) {
        if (!this.unknownKeys.has(k) && this.unknownKeys.size < 20) {
          this.unknownKeys.add(k);
          this.addSchemaProblem(`unexpected column "${k}"${line !== undefined ? ` (first seen at line ${line})` : ''}`);
        }
        continue;
      }
      values[j] = obj[k];
    }
    this.addRow(values, line);
  }

  /** Rows counted so far (malformed ones included). */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * Everything counted so far, as plain data and typed arrays another thread can send (the
   * profiler should not be used afterwards).
   */
  exportState(): ProfilerState {
    return {
      rows: this.rows,
      malformed: this.malformed,
      duplicateRows: this.duplicateRows,
      duplicateKeys: this.duplicateKeys,
      rowSet: this.rowSet.exportState(),
      keySet: this.keySet?.exportState(),
      keyInts: this.keyInts?.exportState(),
      columns: this.cols.map((c) => c.exportState()),
      examples: this.examples.entries(),
    };
  }

  /**
   * Adds the state of a profiler that read a later part of the same input, with the same
   * contract, columns and layout. Its rows and lines are numbered after `rowOffset` and
   * `lineOffset`; rows and keys it shares with the parts already counted become duplicates.
   */
  mergeState(o: ProfilerState, rowOffset: number, lineOffset: number): void {
    this.rows += o.rows;
    this.malformed += o.malformed;
    const repeatedRows = this.rowSet.mergeState(o.rowSet);
    this.duplicateRows += o.duplicateRows + repeatedRows;
    if (this.keySet && o.keySet) this.duplicateKeys += o.duplicateKeys + this.keySet.mergeState(o.keySet);
    if (this.keyInts && o.keyInts) this.duplicateKeys += this.keyInts.mergeState(o.keyInts);
    this.cols.forEach((c, i) => c.mergeState(o.columns[i]));
    this.examples.mergeShifted(o.examples, rowOffset, lineOffset);
  }

  /** The profile and the findings; the profiler should not be fed afterwards. */
  finish(): ProfileResult {
    const columns: Profile['columns'] = {};
    this.cols.forEach((c, i) => {
      if (!this.missing.has(i)) columns[c.name] = c.toProfile(this.contract.drift.bins);
    });
    const profile: Profile = {
      format: 'aidlc-profile',
      version: 1,
      dataset: this.contract.dataset,
      rows: this.rows,
      malformedRows: this.malformed,
      duplicateRows: this.duplicateRows,
      duplicateKeys: this.duplicateKeys,
      key: this.hasKey ? [...this.contract.key] : [],
      columns,
    };
    return {
      profile,
      examples: this.examples,
      schemaProblems: [...this.schemaProblems],
      missingColumns: [...this.missing].map((i) => this.cols[i].name),
    };
  }

  private finishRow(source: RowSource, fieldOf: Int32Array | undefined): void {
    this.hasher.finish();
    if (!this.rowSet.add(LANES[0], LANES[1])) {
      this.duplicateRows++;
      if (this.examples.wants('duplicate_rows')) this.examples.add('duplicate_rows', { row: this.rows, ...this.lineRef(), message: 'repeats an earlier row' });
    }
    if (this.hasKey) {
      let fresh: boolean;
      if (this.keyInts !== undefined && DenseIntSet.fits(this.keyIntBox[0])) {
        fresh = this.keyInts.add(this.keyIntBox[0] | 0); // below 2^28: an int crosses the call unboxed
      } else {
        this.keyHasher.finish();
        fresh = this.keySet!.add(LANES[0], LANES[1]);
      }
      if (!fresh) {
        this.duplicateKeys++;
        if (this.examples.wants(this.uniqueId)) {
          const key = this.cols.map((c, j) => (c.isKey ? `${c.name}=${this.valueText(source, fieldOf, j)}` : '')).filter((x) => x).join(', ');
          this.examples.add(this.uniqueId, { row: this.rows, ...this.lineRef(), value: shorten(key), message: 'repeats the key of an earlier row' });
        }
      }
    }
  }

  private valueText(source: RowSource, fieldOf: Int32Array | undefined, j: number): string {
    if (source instanceof CsvParser) {
      const f = fieldOf![j];
      return f >= 0 ? source.fieldText(f) : '';
    }
    if (source === this.lineSource) return this.lineSource.buf.toString('utf8', this.fStart[j], this.fEnd[j]);
    const v = (source as ArrayLike<unknown>)[j];
    return v === null || v === undefined ? '' : String(v);
  }

  private lineRef(): { line?: number } {
    return this.line > 0 ? { line: this.line } : {};
  }

  /** Parses and counts field bytes [s, e) of column `col`; leaves its hash in `LANES`. */
  private addField(col: ColumnState, buf: Uint8Array, s: number, e: number): void {
    if (s === e ? this.emptyIsNull : this.nullTokens.length > 0 && this.isNullToken(buf, s, e)) {
      this.addNull(col);
      return;
    }
    switch (col.kind) {
      case K_INT:
      case K_FLOAT: {
        const st = col.kind === K_INT ? parseIntBytes(buf, s, e) : parseFloatBytes(buf, s, e);
        if (st === OK) {
          this.addNumber(col, buf, s, e);
        } else {
          col.invalid++;
          this.exampleBytes(col.idType, col, buf, s, e, describeProblem(st, col.spec.type));
          hashBytes(buf, s, e);
        }
        return;
      }
      case K_STRING: {
        hashBytes(buf, s, e);
        this.addString(col, buf, s, e, LANES[0]);
        return;
      }
      case K_BOOL: {
        const st = parseBoolBytes(buf, s, e);
        if (st === OK) {
          this.addBool(col, PARSED[0]);
        } else {
          col.invalid++;
          this.exampleBytes(col.idType, col, buf, s, e, describeProblem(st, 'bool'));
          hashBytes(buf, s, e);
        }
        return;
      }
      default: {
        const st = parseTimestampBytes(buf, s, e);
        if (st === OK) {
          this.addTime(col);
        } else {
          col.invalid++;
          this.exampleBytes(col.idType, col, buf, s, e, describeProblem(st, 'timestamp'));
          hashBytes(buf, s, e);
        }
      }
    }
  }

  /** Counts a string value whose bytes hash (lane A) is `h`; the caller leaves its lanes in `LANES`. */
  private addString(col: ColumnState, buf: Uint8Array, s: number, e: number, h: number): void {
    col.count++;
    col.hll.add(h);
    const i = col.dict!.add(buf, s, e, h);
    if (col.hasAllowed && !col.dict!.isAllowed(i)) {
      col.notAllowed++;
      this.exampleBytes(col.idAllowed, col, buf, s, e, 'is not an allowed value');
    }
  }

  private addNull(col: ColumnState): void {
    col.nulls++;
    if (!col.nullable && this.examples.wants(col.idNull)) {
      this.examples.add(col.idNull, { row: this.rows, ...this.lineRef(), column: col.name, message: 'is empty in a column that is not nullable' });
    }
    LANES[0] = NULL_A;
    LANES[1] = NULL_B;
  }

  /**
   * Counts the number in `PARSED[0]` (a typed array: a double handed to a function that is not
   * inlined would be boxed on the heap, once per value); `buf[s, e)` is its text, if any.
   */
  private addNumber(col: ColumnState, buf: Uint8Array | undefined, s: number, e: number): void {
    const v = PARSED[0];
    if (col.isKey) this.keyIntBox[0] = v;
    col.count++;
    const acc = col.acc;
    if (v < acc[0]) acc[0] = v;
    if (v > acc[1]) acc[1] = v;
    // Neumaier's compensated sum keeps the mean exact to the last few bits over millions of rows.
    const sum = acc[2];
    const t = sum + v;
    if ((sum >= 0 ? sum : -sum) >= (v >= 0 ? v : -v)) acc[3] += (sum - t) + v;
    else acc[3] += (v - t) + sum;
    acc[2] = t;
    hashNumber(v);
    const bucket = col.sketch!.addBits(LANES[1], LANES[0]);
    col.hll.add(fmix(LANES[0] ^ Math.imul(LANES[1], 0x9e3779b1)));
    if (col.refEdges !== undefined) {
      let bin = col.refBlocks !== undefined ? col.refBin(bucket) : -1;
      if (bin < 0) bin = binOf(col.refEdges, v);
      col.refCounts![bin]++;
    }
    if (col.hasRange && (v < col.lo || v > col.hi)) {
      col.outOfRange++;
      if (this.examples.wants(col.idRange)) {
        const bounds = `[${col.spec.min ?? '-inf'}, ${col.spec.max ?? '+inf'}]`;
        this.exampleValue(col.idRange, col, buf ? Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8') : String(v), `is outside ${bounds}`);
      }
    }
    if (col.numbers !== undefined) {
      col.numbers.add(v);
      if (!col.allowedNumbers!.has(v)) {
        col.notAllowed++;
        if (this.examples.wants(col.idAllowed)) {
          this.exampleValue(col.idAllowed, col, buf ? Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8') : String(v), 'is not an allowed value');
        }
      }
    }
  }

  private addBool(col: ColumnState, v: number): void {
    col.count++;
    if (v === 1) col.trues++;
    else col.falses++;
    LANES[0] = v === 1 ? 0x74727565 : 0x66616c73;
    LANES[1] = 0x7ff4b001;
    col.hll.add(fmix(LANES[0]));
  }

  /** Counts the epoch milliseconds in `PARSED[0]`. */
  private addTime(col: ColumnState): void {
    const ms = PARSED[0];
    col.count++;
    if (ms < col.min) col.min = ms;
    if (ms > col.max) col.max = ms;
    hashNumber(ms);
    col.hll.add(fmix(LANES[0] ^ Math.imul(LANES[1], 0x9e3779b1)));
  }

  /** A JavaScript value of column `col` (from JSON, Parquet or a caller); leaves its hash in `LANES`. */
  private addValue(col: ColumnState, v: unknown): void {
    if (v === null || v === undefined) {
      this.addNull(col);
      return;
    }
    if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8');
      this.addField(col, b, 0, b.length);
      return;
    }
    if (v instanceof Uint8Array) {
      if (isUtf8(v)) this.addField(col, v, 0, v.length);
      else this.invalidValue(col, Buffer.from(v).toString('hex'), 'is binary data, not text');
      return;
    }
    const kind = col.kind;
    if (typeof v === 'number' || typeof v === 'bigint') {
      const n = Number(v);
      if (kind === K_STRING) {
        const b = Buffer.from(String(v), 'utf8');
        this.addField(col, b, 0, b.length);
        return;
      }
      if (kind === K_BOOL && (n === 0 || n === 1)) {
        this.addBool(col, n);
        return;
      }
      const ok = typeof v === 'bigint'
        ? kind === K_INT && v <= 9223372036854775807n && v >= -9223372036854775808n
        : (kind === K_INT && Number.isInteger(n)) || (kind === K_FLOAT && Number.isFinite(n));
      if (ok) {
        PARSED[0] = n === 0 ? 0 : n;
        this.addNumber(col, undefined, 0, 0);
        return;
      }
      this.invalidValue(col, String(v), kind === K_INT && Number.isFinite(n) ? 'is not a whole number' : Number.isFinite(n) ? `is a number, not a ${col.spec.type}` : 'is not a finite number');
      return;
    }
    if (typeof v === 'boolean') {
      if (kind === K_BOOL) this.addBool(col, v ? 1 : 0);
      else if (kind === K_STRING) this.addValue(col, String(v));
      else this.invalidValue(col, String(v), `is a boolean, not a ${col.spec.type}`);
      return;
    }
    if (v instanceof Date) {
      const ms = v.getTime();
      if (kind === K_TIME && Number.isFinite(ms)) {
        PARSED[0] = ms;
        this.addTime(col);
      } else {
        this.invalidValue(col, String(v), `is a date, not a ${col.spec.type}`);
      }
      return;
    }
    this.invalidValue(col, shorten(JSON.stringify(v) ?? String(v)), Array.isArray(v) ? 'is a list, not a single value' : 'is an object, not a single value');
  }

  private invalidValue(col: ColumnState, text: string, message: string): void {
    col.invalid++;
    this.exampleValue(col.idType, col, text, message);
    const b = Buffer.from(text, 'utf8');
    hashBytes(b, 0, b.length);
  }

  private isNullToken(buf: Uint8Array, s: number, e: number): boolean {
    const n = e - s;
    for (const t of this.nullTokens) {
      if (t.length !== n) continue;
      let same = true;
      for (let k = 0; k < n; k++) {
        if (t[k] !== buf[s + k]) { same = false; break; }
      }
      if (same) return true;
    }
    return false;
  }

  private exampleBytes(id: string, col: ColumnState, buf: Uint8Array, s: number, e: number, message: string): void {
    if (!this.examples.wants(id)) return;
    const text = Buffer.from(buf.buffer, buf.byteOffset + s, Math.min(e - s, 400)).toString('utf8');
    this.exampleValue(id, col, text, message);
  }

  private exampleValue(id: string, col: ColumnState, text: string, message: string): void {
    if (!this.examples.wants(id)) return;
    this.examples.add(id, { row: this.rows, ...this.lineRef(), column: col.name, value: shorten(text), message: `value "${shorten(text, 40)}" ${message}` });
  }
}
