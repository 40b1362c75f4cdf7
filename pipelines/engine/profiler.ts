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

/** Seed of the row and key hashes. */
const RAW = 0x1234567;

/** Where `profileRow` reads the values of the row being counted. */
const FROM_LINE = 0; // a quote-free CSV line that `addCsvLine` split (and partly parsed) itself
const FROM_RECORD = 1; // the current record of a `CsvParser`
const FROM_VALUES = 2; // JavaScript values in column order (`addRow`, `addObject`)

/** How `addCsvLine` reads a column's field while it looks for the field's end (chosen per column). */
const SCAN_SKIP = 0; // only find the end: the value is parsed later, from its bytes
const SCAN_FLOAT = 1;
const SCAN_INT = 2;
const SCAN_STRING = 3; // hash the bytes

/** What that scan left for the current line's field of a column. */
const SCANNED_NOTHING = 0;
const SCANNED_NUMBER = 1; // a valid number, in `scannedNumber`
const SCANNED_STRING = 2; // the bytes' hash lanes, in `scannedHash`

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

/**
 * Builds a profile from records fed one at a time, in memory that does not grow with the number
 * of rows except for the duplicate and key hash sets (8 bytes per distinct row in each, at most
 * 3/4 full). Feed CSV with `addCsvLine` (quote-free lines) and `addCsvRecord` (records a
 * `CsvParser` split), laid out by `setCsvLayout`; or values with `addRow` (positional) or
 * `addObject` (by column name); then call `finish()`.
 *
 * Row-level contract checks (types, nulls in non-nullable columns, ranges, allowed values,
 * duplicates) are counted as the rows stream by, with the first examples of each. Every kind of
 * input goes through one row path, `profileRow`; only how a column's value is read differs.
 */
export class Profiler {
  readonly contract: Contract;
  private readonly columns: ColumnState[];
  private readonly columnIndex = new Map<string, number>();
  private readonly isKeyColumn: boolean[];
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
  private readonly rowHasher = new RowHasher();
  private readonly keyHasher = new RowHasher();
  private readonly emptyIsNull: boolean;
  private readonly nullTokens: Buffer[];
  private readonly examples: ExampleLog;
  private readonly schemaProblems: string[] = [];
  /** Columns the input does not have (left out of the profile). */
  private readonly missing = new Set<number>();
  /**
   * 1 for a column whose value no row holds: missing from the input, or without a field in the
   * CSV layout. Its value hashes as a null and counts nothing.
   */
  private readonly absent: Uint8Array;
  private readonly unknownKeys = new Set<string>();

  // The CSV layout (`setCsvLayout`): by position until one is declared.
  private fieldOfColumn: Int32Array;
  private columnOfField: Int32Array;
  private fieldCount: number;
  private delimiter = 44;
  /** Per column, how `addCsvLine` reads its field (`SCAN_*`). */
  private readonly scanAs: Uint8Array;

  // The current line of `addCsvLine`: each column's field bytes and what the scan made of them.
  private lineBytes: Buffer = Buffer.alloc(0);
  private readonly fieldStart: Int32Array;
  private readonly fieldEnd: Int32Array;
  private readonly scanned: Uint8Array;
  private readonly scannedNumber: Float64Array;
  /** Lanes A and B of each column's hashed string, interleaved. */
  private readonly scannedHash: Int32Array;

  /** Where the current row's values are read (`FROM_*`), and the record or values themselves. */
  private rowSource = FROM_LINE;
  private record: CsvParser | undefined;
  private values: ArrayLike<unknown> | undefined;

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
    this.columns = names.map((n) => {
      const spec = specs.get(n);
      if (!spec) throw new Error(`column "${n}" is not in the contract`);
      return new ColumnState(spec, contract.key.includes(n), maxCategories);
    });
    this.columns.forEach((c, j) => this.columnIndex.set(c.name, j));
    this.isKeyColumn = this.columns.map((c) => c.isKey);
    this.hasKey = contract.key.length > 0 && contract.key.every((k) => this.columnIndex.has(k));
    const capacity = Math.ceil(((options.expectedRows ?? 0) * 4) / 3) + 16;
    this.rowSet = new HashSet64(Math.max(1 << 16, capacity));
    const intKey = this.hasKey && contract.key.length === 1 && this.columns[this.columnIndex.get(contract.key[0])!].kind === K_INT;
    this.keyInts = intKey ? new DenseIntSet() : undefined;
    this.keySet = this.hasKey ? new HashSet64(intKey ? 1 << 10 : Math.max(1 << 16, capacity)) : undefined;
    this.uniqueId = `unique:${contract.key.join('+')}`;
    this.emptyIsNull = contract.format.nullValues.includes('');
    this.nullTokens = contract.format.nullValues.filter((v) => v !== '').map((v) => Buffer.from(v, 'utf8'));
    this.examples = new ExampleLog(options.maxExamples ?? 5);
    const n = this.columns.length;
    this.absent = new Uint8Array(n);
    this.fieldOfColumn = Int32Array.from(this.columns, (_, j) => j);
    this.columnOfField = Int32Array.from(this.columns, (_, j) => j);
    this.fieldCount = n;
    // A scan that parses or hashes while it looks for the delimiter saves a second pass over the
    // bytes; with null tokens other than the empty field, values go through `addField`, which
    // knows them.
    const scanValues = this.nullTokens.length === 0;
    this.scanAs = Uint8Array.from(this.columns, (c) => !scanValues ? SCAN_SKIP
      : c.kind === K_FLOAT ? SCAN_FLOAT : c.kind === K_INT ? SCAN_INT : c.kind === K_STRING ? SCAN_STRING : SCAN_SKIP);
    this.fieldStart = new Int32Array(n);
    this.fieldEnd = new Int32Array(n);
    this.scanned = new Uint8Array(n);
    this.scannedNumber = new Float64Array(n);
    this.scannedHash = new Int32Array(n * 2);
    for (const c of this.columns) {
      const edges = referenceEdgesOf(c.spec, options.baseline);
      if (edges) c.setReferenceEdges(edges);
    }
  }

  /** Names of the profiled columns, in record order. */
  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** Marks a column the input does not have: it is left out of the profile and of row hashes. */
  setMissing(name: string): void {
    const j = this.columnIndex.get(name);
    if (j === undefined) return;
    this.missing.add(j);
    this.absent[j] = 1;
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
   * Declares the layout of the CSV given to `addCsvLine` and `addCsvRecord`: `fieldOf[j]` is the
   * field of profiled column j (-1: the file does not have it), `fieldCount` the fields every
   * record must have. Until it is called, fields are the profiled columns in order.
   */
  setCsvLayout(fieldOf: Int32Array, fieldCount: number, delimiter: number): void {
    this.fieldOfColumn = Int32Array.from(fieldOf);
    this.columnOfField = new Int32Array(fieldCount).fill(-1);
    fieldOf.forEach((field, j) => {
      if (field >= 0) this.columnOfField[field] = j;
      this.absent[j] = field < 0 || this.missing.has(j) ? 1 : 0;
    });
    this.fieldCount = fieldCount;
    this.delimiter = delimiter;
  }

  /**
   * Adds the current record of a CSV parser, laid out as `setCsvLayout` declared; a record with
   * another number of fields or broken quoting counts as malformed.
   */
  addCsvRecord(record: CsvParser): void {
    const count = record.count;
    if (count !== this.fieldCount) {
      const text = record.buf.toString('utf8', record.starts[0], record.ends[Math.min(count, record.starts.length) - 1]);
      this.addMalformed(record.line, `has ${count} field${count === 1 ? '' : 's'}, expected ${this.fieldCount}`, text);
      return;
    }
    if (record.hasQuotes) {
      for (let field = 0; field < count; field++) {
        if (record.flags[field] & BAD_QUOTE) {
          this.addMalformed(record.line, `field ${field + 1} has a quote inside an unquoted value or text after a closing quote`, record.buf.toString('utf8', record.starts[field], record.ends[field]));
          return;
        }
      }
    }
    this.record = record;
    this.profileRow(FROM_RECORD, record.line);
    this.record = undefined;
  }

  /**
   * Adds one CSV line without quotes, `bytes[start, end)`, laid out as `setCsvLayout` declared,
   * in a single pass over its bytes: numbers are parsed and strings hashed while the field ends
   * are found. Returns false, having counted nothing, when the line does not split into the
   * declared number of fields; the caller then passes it to `addCsvRecord`, which reports it.
   */
  addCsvLine(bytes: Buffer, start: number, end: number, line: number): boolean {
    const delimiter = this.delimiter;
    const columnOfField = this.columnOfField;
    const lastField = this.fieldCount - 1;
    const scanAs = this.scanAs;
    const fieldStart = this.fieldStart;
    const fieldEnd = this.fieldEnd;
    const scanned = this.scanned;
    const scannedNumber = this.scannedNumber;
    const scannedHash = this.scannedHash;
    let pos = start;
    for (let field = 0; field <= lastField; field++) {
      const j = columnOfField[field];
      const valueStart = pos;
      if (j < 0) {
        while (pos < end && bytes[pos] !== delimiter) pos++;
      } else {
        const scan = scanAs[j];
        scanned[j] = SCANNED_NOTHING;
        if (scan === SCAN_FLOAT || scan === SCAN_INT) {
          pos = scan === SCAN_FLOAT ? scanFloat(bytes, pos, end) : scanInt(bytes, pos, end);
          if (pos < end && bytes[pos] !== delimiter) {
            while (pos < end && bytes[pos] !== delimiter) pos++;
          } else if (parsed.code === OK) {
            scanned[j] = SCANNED_NUMBER;
            scannedNumber[j] = PARSED[0];
          }
        } else if (scan === SCAN_STRING) {
          pos = scanHashBytes(bytes, pos, end, delimiter);
          scanned[j] = SCANNED_STRING;
          scannedHash[j << 1] = LANES[0];
          scannedHash[(j << 1) + 1] = LANES[1];
        } else {
          while (pos < end && bytes[pos] !== delimiter) pos++;
        }
        fieldStart[j] = valueStart;
        fieldEnd[j] = pos;
      }
      if (field < lastField) {
        if (pos >= end) return false;
        pos++;
      } else if (pos !== end) {
        return false;
      }
    }
    this.lineBytes = bytes;
    this.profileRow(FROM_LINE, line);
    return true;
  }

  /** Adds one record of values in profiled-column order (JSON values, Parquet cells, strings). */
  addRow(values: ArrayLike<unknown>, line?: number): void {
    if (values.length !== this.columns.length) {
      this.addMalformed(line, `has ${values.length} values, expected ${this.columns.length}`);
      return;
    }
    this.values = values;
    this.profileRow(FROM_VALUES, line ?? 0);
    this.values = undefined;
  }

  /** Adds one record given as an object keyed by column name; absent keys are nulls. */
  addObject(obj: Record<string, unknown>, line?: number): void {
    const values = new Array(this.columns.length);
    for (const k of Object.keys(obj)) {
      const j = this.columnIndex.get(k);
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
      columns: this.columns.map((c) => c.exportState()),
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
    this.columns.forEach((c, j) => c.mergeState(o.columns[j]));
    this.examples.mergeShifted(o.examples, rowOffset, lineOffset);
  }

  /** The profile and the findings; the profiler should not be fed afterwards. */
  finish(): ProfileResult {
    const columns: Profile['columns'] = {};
    this.columns.forEach((c, j) => {
      if (!this.missing.has(j)) columns[c.name] = c.toProfile(this.contract.drift.bins);
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
      missingColumns: [...this.missing].map((j) => this.columns[j].name),
    };
  }

  /**
   * Counts one row of any input: each column's value, read from `source`, is counted and hashed
   * into the row hash (and the key hash, for key columns); then the row and its key are looked
   * up for duplicates.
   */
  private profileRow(source: number, line: number): void {
    this.rows++;
    this.line = line;
    this.rowSource = source;
    const rowHasher = this.rowHasher;
    const keyHasher = this.keyHasher;
    const hasKey = this.hasKey;
    rowHasher.reset(RAW);
    if (hasKey) keyHasher.reset(RAW);
    this.keyIntBox[0] = NaN;
    const columns = this.columns;
    const absent = this.absent;
    const isKeyColumn = this.isKeyColumn;
    // What addCsvLine's scan left, read in the loop below (the hot path: most CSV rows are lines).
    const lineBytes = this.lineBytes;
    const fieldStart = this.fieldStart;
    const fieldEnd = this.fieldEnd;
    const scanned = this.scanned;
    const scannedHash = this.scannedHash;
    for (let j = 0; j < columns.length; j++) {
      const column = columns[j];
      if (absent[j] === 1) {
        LANES[0] = NULL_A;
        LANES[1] = NULL_B;
      } else if (source === FROM_LINE) {
        // Column j's field of the line, counted from what the scan found.
        const start = fieldStart[j];
        const end = fieldEnd[j];
        const found = scanned[j];
        if (found === SCANNED_NUMBER) {
          PARSED[0] = this.scannedNumber[j];
          this.addNumber(column, lineBytes, start, end);
        } else if (found === SCANNED_STRING && start < end) {
          const laneA = scannedHash[j << 1];
          this.addString(column, lineBytes, start, end, laneA);
          LANES[0] = laneA;
          LANES[1] = scannedHash[(j << 1) + 1];
        } else {
          this.addField(column, lineBytes, start, end);
        }
      } else if (source === FROM_RECORD) {
        this.addRecordField(column, j);
      } else {
        this.addValue(column, this.values![j]);
      }
      rowHasher.add(LANES[0], LANES[1]);
      if (hasKey && isKeyColumn[j]) keyHasher.add(LANES[0], LANES[1]);
    }
    this.finishRow();
  }

  /** Counts column j's field of the current `CsvParser` record (unescaped, checked as UTF-8). */
  private addRecordField(column: ColumnState, j: number): void {
    const record = this.record!;
    const field = this.fieldOfColumn[j];
    let bytes: Uint8Array = record.buf;
    let start = record.starts[field];
    let end = record.ends[field];
    if (record.flags[field] & ESCAPED) {
      bytes = record.unescapeField(field);
      start = 0;
      end = bytes.length;
    }
    if (record.badUtf8 && !isUtf8(bytes.subarray(start, end))) {
      column.invalid++;
      this.exampleBytes(column.idType, column, bytes, start, end, 'is not valid UTF-8');
      hashBytes(bytes, start, end);
    } else {
      this.addField(column, bytes, start, end);
    }
  }

  /** Looks the row hash (in `rowHasher`) and the key up for duplicates. */
  private finishRow(): void {
    this.rowHasher.finish();
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
          const key = this.columns.map((c, j) => (c.isKey ? `${c.name}=${this.valueText(j)}` : '')).filter((x) => x).join(', ');
          this.examples.add(this.uniqueId, { row: this.rows, ...this.lineRef(), value: shorten(key), message: 'repeats the key of an earlier row' });
        }
      }
    }
  }

  /** The text of column j's value in the current row ('' for an absent column or a null). */
  private valueText(j: number): string {
    if (this.absent[j] === 1) return '';
    if (this.rowSource === FROM_LINE) return this.lineBytes.toString('utf8', this.fieldStart[j], this.fieldEnd[j]);
    if (this.rowSource === FROM_RECORD) return this.record!.fieldText(this.fieldOfColumn[j]);
    const value = this.values![j];
    return value === null || value === undefined ? '' : String(value);
  }

  private lineRef(): { line?: number } {
    return this.line > 0 ? { line: this.line } : {};
  }

  /** Parses and counts field bytes [start, end) of `column`; leaves its hash in `LANES`. */
  private addField(column: ColumnState, bytes: Uint8Array, start: number, end: number): void {
    if (start === end ? this.emptyIsNull : this.nullTokens.length > 0 && this.isNullToken(bytes, start, end)) {
      this.addNull(column);
      return;
    }
    switch (column.kind) {
      case K_INT:
      case K_FLOAT: {
        const status = column.kind === K_INT ? parseIntBytes(bytes, start, end) : parseFloatBytes(bytes, start, end);
        if (status === OK) {
          this.addNumber(column, bytes, start, end);
        } else {
          column.invalid++;
          this.exampleBytes(column.idType, column, bytes, start, end, describeProblem(status, column.spec.type));
          hashBytes(bytes, start, end);
        }
        return;
      }
      case K_STRING: {
        hashBytes(bytes, start, end);
        this.addString(column, bytes, start, end, LANES[0]);
        return;
      }
      case K_BOOL: {
        const status = parseBoolBytes(bytes, start, end);
        if (status === OK) {
          this.addBool(column, PARSED[0]);
        } else {
          column.invalid++;
          this.exampleBytes(column.idType, column, bytes, start, end, describeProblem(status, 'bool'));
          hashBytes(bytes, start, end);
        }
        return;
      }
      default: {
        const status = parseTimestampBytes(bytes, start, end);
        if (status === OK) {
          this.addTime(column);
        } else {
          column.invalid++;
          this.exampleBytes(column.idType, column, bytes, start, end, describeProblem(status, 'timestamp'));
          hashBytes(bytes, start, end);
        }
      }
    }
  }

  /** Counts a string value whose bytes' hash (lane A) is `laneA`; the caller leaves its lanes in `LANES`. */
  private addString(column: ColumnState, bytes: Uint8Array, start: number, end: number, laneA: number): void {
    column.count++;
    column.hll.add(laneA);
    const entry = column.dictionary!.add(bytes, start, end, laneA);
    if (column.hasAllowed && !column.dictionary!.isAllowed(entry)) {
      column.notAllowed++;
      this.exampleBytes(column.idAllowed, column, bytes, start, end, 'is not an allowed value');
    }
  }

  private addNull(column: ColumnState): void {
    column.nulls++;
    if (!column.nullable && this.examples.wants(column.idNull)) {
      this.examples.add(column.idNull, { row: this.rows, ...this.lineRef(), column: column.name, message: 'is empty in a column that is not nullable' });
    }
    LANES[0] = NULL_A;
    LANES[1] = NULL_B;
  }

  /**
   * Counts the number in `PARSED[0]` (a typed array: a double handed to a function that is not
   * inlined would be boxed on the heap, once per value); `bytes[start, end)` is its text, if any.
   */
  private addNumber(column: ColumnState, bytes: Uint8Array | undefined, start: number, end: number): void {
    const value = PARSED[0];
    if (column.isKey) this.keyIntBox[0] = value;
    column.count++;
    const stats = column.numberStats;
    if (value < stats[0]) stats[0] = value;
    if (value > stats[1]) stats[1] = value;
    // Neumaier's compensated sum keeps the mean exact to the last few bits over millions of rows.
    const sum = stats[2];
    const total = sum + value;
    if ((sum >= 0 ? sum : -sum) >= (value >= 0 ? value : -value)) stats[3] += (sum - total) + value;
    else stats[3] += (value - total) + sum;
    stats[2] = total;
    hashNumber(value);
    const bucket = column.sketch!.addBits(LANES[1], LANES[0]);
    column.hll.add(fmix(LANES[0] ^ Math.imul(LANES[1], 0x9e3779b1)));
    if (column.referenceEdges !== undefined) {
      let bin = column.referenceBinBlocks !== undefined ? column.referenceBinOfBucket(bucket) : -1;
      if (bin < 0) bin = binOf(column.referenceEdges, value);
      column.referenceCounts![bin]++;
    }
    if (column.hasRange && (value < column.lo || value > column.hi)) {
      column.outOfRange++;
      if (this.examples.wants(column.idRange)) {
        const bounds = `[${column.spec.min ?? '-inf'}, ${column.spec.max ?? '+inf'}]`;
        this.exampleValue(column.idRange, column, bytes ? numberText(bytes, start, end) : String(value), `is outside ${bounds}`);
      }
    }
    if (column.numberCounts !== undefined) {
      column.numberCounts.add(value);
      if (!column.allowedNumbers!.has(value)) {
        column.notAllowed++;
        if (this.examples.wants(column.idAllowed)) {
          this.exampleValue(column.idAllowed, column, bytes ? numberText(bytes, start, end) : String(value), 'is not an allowed value');
        }
      }
    }
  }

  /** Counts a bool given as 1 (true) or 0 (false). */
  private addBool(column: ColumnState, value: number): void {
    column.count++;
    if (value === 1) column.trues++;
    else column.falses++;
    LANES[0] = value === 1 ? 0x74727565 : 0x66616c73;
    LANES[1] = 0x7ff4b001;
    column.hll.add(fmix(LANES[0]));
  }

  /** Counts the epoch milliseconds in `PARSED[0]`. */
  private addTime(column: ColumnState): void {
    const ms = PARSED[0];
    column.count++;
    if (ms < column.min) column.min = ms;
    if (ms > column.max) column.max = ms;
    hashNumber(ms);
    column.hll.add(fmix(LANES[0] ^ Math.imul(LANES[1], 0x9e3779b1)));
  }

  /** A JavaScript value of `column` (from JSON, Parquet or a caller); leaves its hash in `LANES`. */
  private addValue(column: ColumnState, value: unknown): void {
    if (value === null || value === undefined) {
      this.addNull(column);
      return;
    }
    if (typeof value === 'string') {
      const bytes = Buffer.from(value, 'utf8');
      this.addField(column, bytes, 0, bytes.length);
      return;
    }
    if (value instanceof Uint8Array) {
      if (isUtf8(value)) this.addField(column, value, 0, value.length);
      else this.invalidValue(column, Buffer.from(value).toString('hex'), 'is binary data, not text');
      return;
    }
    const kind = column.kind;
    if (typeof value === 'number' || typeof value === 'bigint') {
      const n = Number(value);
      if (kind === K_STRING) {
        const bytes = Buffer.from(String(value), 'utf8');
        this.addField(column, bytes, 0, bytes.length);
        return;
      }
      if (kind === K_BOOL && (n === 0 || n === 1)) {
        this.addBool(column, n);
        return;
      }
      const ok = typeof value === 'bigint'
        ? kind === K_INT && value <= 9223372036854775807n && value >= -9223372036854775808n
        : (kind === K_INT && Number.isInteger(n)) || (kind === K_FLOAT && Number.isFinite(n));
      if (ok) {
        PARSED[0] = n === 0 ? 0 : n;
        this.addNumber(column, undefined, 0, 0);
        return;
      }
      this.invalidValue(column, String(value), kind === K_INT && Number.isFinite(n) ? 'is not a whole number' : Number.isFinite(n) ? `is a number, not a ${column.spec.type}` : 'is not a finite number');
      return;
    }
    if (typeof value === 'boolean') {
      if (kind === K_BOOL) this.addBool(column, value ? 1 : 0);
      else if (kind === K_STRING) this.addValue(column, String(value));
      else this.invalidValue(column, String(value), `is a boolean, not a ${column.spec.type}`);
      return;
    }
    if (value instanceof Date) {
      const ms = value.getTime();
      if (kind === K_TIME && Number.isFinite(ms)) {
        PARSED[0] = ms;
        this.addTime(column);
      } else {
        this.invalidValue(column, String(value), `is a date, not a ${column.spec.type}`);
      }
      return;
    }
    this.invalidValue(column, shorten(JSON.stringify(value) ?? String(value)), Array.isArray(value) ? 'is a list, not a single value' : 'is an object, not a single value');
  }

  private invalidValue(column: ColumnState, text: string, message: string): void {
    column.invalid++;
    this.exampleValue(column.idType, column, text, message);
    const bytes = Buffer.from(text, 'utf8');
    hashBytes(bytes, 0, bytes.length);
  }

  private isNullToken(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    for (const token of this.nullTokens) {
      if (token.length !== length) continue;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (token[k] !== bytes[start + k]) { same = false; break; }
      }
      if (same) return true;
    }
    return false;
  }

  private exampleBytes(id: string, column: ColumnState, bytes: Uint8Array, start: number, end: number, message: string): void {
    if (!this.examples.wants(id)) return;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(end - start, 400)).toString('utf8');
    this.exampleValue(id, column, text, message);
  }

  private exampleValue(id: string, column: ColumnState, text: string, message: string): void {
    if (!this.examples.wants(id)) return;
    this.examples.add(id, { row: this.rows, ...this.lineRef(), column: column.name, value: shorten(text), message: `value "${shorten(text, 40)}" ${message}` });
  }
}

/** The text of a number's field bytes, for an example. */
function numberText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}
