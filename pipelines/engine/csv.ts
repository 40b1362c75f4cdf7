/* eslint-disable no-bitwise -- byte classification of the input */
import { isUtf8 } from 'node:buffer';
import { InputError } from './errors';

/** The field was quoted. */
export const QUOTED = 1;
/** The quoted field holds doubled quotes that stand for one quote each. */
export const ESCAPED = 2;
/** A quote inside an unquoted field, or text after a closing quote. */
export const BAD_QUOTE = 4;

const LF = 10;
const CR = 13;

/** Where the scan is: before a field, inside an unquoted or a quoted field, just after a quote in a quoted one. */
const S_FIELD = 0;
const S_UNQUOTED = 1;
const S_QUOTED = 2;
const S_QUOTE_IN_QUOTED = 3;

export interface CsvParserOptions {
  /** Field delimiter byte. @default 44 (comma) */
  readonly delimiter?: number;
  /** Quote byte. @default 34 (double quote) */
  readonly quote?: number;
  /** Longest record in bytes. @default 16 MiB */
  readonly maxRecordBytes?: number;
  /** Fields stored per record (more are counted, not stored). @default 65536 */
  readonly maxFields?: number;
  /** Number of the first physical line (for a part of a file that starts later). @default 1 */
  readonly firstLine?: number;
  /** Whether the bytes start at the beginning of a file (a byte order mark is skipped). @default true */
  readonly atFileStart?: boolean;
}

/**
 * A streaming CSV tokenizer (RFC 4180): quoted fields, doubled quotes, line breaks inside quotes,
 * LF or CRLF line ends, a UTF-8 byte order mark, no trailing line break. Blank lines are skipped.
 *
 * Memory is one working buffer that holds the unfinished record plus one chunk; a record longer
 * than `maxRecordBytes` (usually an unterminated quote) stops the parse with an `InputError`.
 *
 * For each record the parser calls `onRecord(this)`; the record's fields are byte ranges
 * `[starts[i], ends[i])` of `buf`, valid only during the call. Quoted fields exclude their quotes;
 * a field with doubled quotes has the `ESCAPED` flag (see `fieldText`/`unescapeField`).
 */
export class CsvParser {
  /** Bytes of the current record (and more). */
  buf: Buffer;
  /** Fields in the current record (may exceed the stored `maxFields`). */
  count = 0;
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  /** Physical line (1-based) where the current record starts. */
  line = 1;
  /** Records emitted before this one (the header counts). */
  index = 0;
  /** Whether the current record overlaps bytes that are not valid UTF-8. */
  badUtf8 = false;
  /** Whether the current record has a quoted field. */
  hasQuotes = false;
  /**
   * Optional handler of whole lines without quotes (valid UTF-8, no line break, CR stripped):
   * `buf[start, end)` from physical line `line`. Returning true consumes the line as a record;
   * false hands it to `onRecord` split into fields.
   */
  onLine: ((buf: Buffer, start: number, end: number, line: number) => boolean) | undefined;

  private len = 0;
  private pos = 0;
  private state = S_FIELD;
  private recStart = 0;
  private fieldStart = 0;
  private fieldFlags = 0;
  private curLine = 1;
  private quoteLine = 1;
  private nextQuote = -2;
  private validated = 0;
  private badFrom = -1;
  private badTo = -1;
  private started = false;
  private base = 0;
  private nextStart = 0;
  private ended = false;
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly maxRecordBytes: number;
  private readonly maxFields: number;

  constructor(private readonly onRecord: (p: CsvParser) => void, options: CsvParserOptions = {}) {
    this.delimiter = options.delimiter ?? 44;
    this.quote = options.quote ?? 34;
    this.maxRecordBytes = options.maxRecordBytes ?? 16 * 1024 * 1024;
    this.maxFields = options.maxFields ?? 65536;
    this.curLine = this.line = this.quoteLine = options.firstLine ?? 1;
    this.started = options.atFileStart === false;
    this.buf = Buffer.allocUnsafe(256 * 1024);
    this.starts = new Int32Array(64);
    this.ends = new Int32Array(64);
    this.flags = new Uint8Array(64);
  }

  /** Feeds the next bytes of the input. */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CsvParser.push after end');
    if (chunk.length === 0) return;
    if (this.len + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    this.nextQuote = -2;
    if (!this.started) {
      if (this.len < 3) return;
      this.skipBom();
    }
    this.checkUtf8(false);
    this.scan();
  }

  /** Finishes the input: emits a last record without a line break, or throws on an open quote. */
  end(): void {
    if (this.ended) return;
    if (!this.started) this.skipBom();
    this.checkUtf8(true);
    if (this.state !== S_FIELD || this.count > 0 || this.pos < this.len) {
      // A virtual line break closes the last record; inside an open quote it changes nothing.
      const unterminated = this.state === S_QUOTED;
      if (!unterminated) {
        this.push(Buffer.from([LF]));
      } else {
        throw new InputError(`a quoted field opened here never closes (unterminated quote, field ${this.count + 1})`, { line: this.quoteLine });
      }
    }
    this.ended = true;
  }

  /** During `onRecord`: the byte offset in the input just after the record's line break. */
  get nextRecordOffset(): number {
    return this.base + this.nextStart;
  }

  /** Physical lines read so far. */
  get lines(): number {
    return this.curLine;
  }

  /** Whether everything pushed so far ends exactly at a record boundary (not inside a record or quote). */
  get atRecordBoundary(): boolean {
    return this.state === S_FIELD && this.count === 0 && this.recStart === this.len;
  }

  /** The text of field `i` of the current record, unquoted and unescaped, as UTF-8. */
  fieldText(i: number): string {
    if (this.flags[i] & ESCAPED) {
      const b = this.unescapeField(i);
      return b.toString('utf8');
    }
    return this.buf.toString('utf8', this.starts[i], this.ends[i]);
  }

  /** Field `i` with doubled quotes collapsed, as a new buffer. */
  unescapeField(i: number): Buffer {
    const s = this.starts[i];
    const e = this.ends[i];
    const out = Buffer.allocUnsafe(e - s);
    let n = 0;
    for (let k = s; k < e; k++) {
      out[n++] = this.buf[k];
      if (this.buf[k] === this.quote && k + 1 < e && this.buf[k + 1] === this.quote) k++;
    }
    return out.subarray(0, n);
  }

  private skipBom(): void {
    this.started = true;
    const b = this.buf;
    if (this.len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      this.pos = this.recStart = this.validated = 3;
    }
  }

  private scan(): void {
    const buf = this.buf;
    const len = this.len;
    const filled = buf.subarray(0, len);
    const delimiter = this.delimiter;
    const quote = this.quote;
    let pos = this.pos;
    let state = this.state;
    while (pos < len) {
      if (state === S_FIELD && this.count === 0) {
        // Fast path: a whole line before the next quote.
        let nextQuote = this.nextQuote;
        if (nextQuote === -2 || (nextQuote >= 0 && nextQuote < pos)) {
          nextQuote = filled.indexOf(quote, pos);
          this.nextQuote = nextQuote;
        }
        const lineFeed = filled.indexOf(LF, pos);
        if (lineFeed >= 0 && (nextQuote < 0 || nextQuote > lineFeed)) {
          let end = lineFeed;
          if (end > pos && buf[end - 1] === CR) end--;
          if (end - pos > this.maxRecordBytes) this.tooLong();
          if (end > pos) {
            const onLine = this.onLine;
            this.nextStart = lineFeed + 1;
            if (onLine !== undefined && !(this.badTo > pos && this.badFrom < end) && onLine(buf, pos, end, this.curLine)) {
              this.index++;
            } else {
              let fieldStart = pos;
              for (let i = pos; i < end; i++) {
                if (buf[i] === delimiter) {
                  this.pushField(fieldStart, i, 0);
                  fieldStart = i + 1;
                }
              }
              this.pushField(fieldStart, end, 0);
              this.emit(pos, end);
            }
          }
          this.curLine++;
          pos = lineFeed + 1;
          this.recStart = pos;
          this.line = this.curLine;
          continue;
        }
      }
      if (state === S_FIELD) {
        if (buf[pos] === quote) {
          state = S_QUOTED;
          this.fieldFlags = QUOTED;
          this.fieldStart = pos + 1;
          this.quoteLine = this.curLine;
          this.hasQuotes = true;
          pos++;
          continue;
        }
        this.fieldStart = pos;
        this.fieldFlags = 0;
        state = S_UNQUOTED;
      }
      if (state === S_UNQUOTED) {
        while (pos < len) {
          const byte = buf[pos];
          if (byte === delimiter) {
            this.pushField(this.fieldStart, pos, this.fieldFlags);
            state = S_FIELD;
            pos++;
            break;
          }
          if (byte === LF) {
            let end = pos;
            if (end > this.fieldStart && buf[end - 1] === CR) end--;
            if (this.count > 0 || end > this.fieldStart || this.fieldFlags !== 0) {
              this.pushField(this.fieldStart, end, this.fieldFlags);
              this.nextStart = pos + 1;
              this.emit(this.recStart, end);
            }
            state = S_FIELD;
            pos++;
            this.endLine(pos);
            break;
          }
          if (byte === quote) this.fieldFlags |= BAD_QUOTE;
          pos++;
        }
        continue;
      }
      if (state === S_QUOTED) {
        while (pos < len) {
          const byte = buf[pos];
          if (byte === quote) break;
          if (byte === LF) this.curLine++;
          pos++;
        }
        if (pos >= len) break;
        state = S_QUOTE_IN_QUOTED;
        pos++;
        continue;
      }
      // S_QUOTE_IN_QUOTED: the byte after a quote inside a quoted field
      const byte = buf[pos];
      if (byte === quote) {
        this.fieldFlags |= ESCAPED;
        state = S_QUOTED;
        pos++;
        continue;
      }
      const end = pos - 1;
      if (byte === delimiter) {
        this.pushField(this.fieldStart, end, this.fieldFlags);
        state = S_FIELD;
        pos++;
        continue;
      }
      if (byte === LF || byte === CR) {
        if (byte === CR) {
          if (pos + 1 >= len) break;
          if (buf[pos + 1] !== LF) {
            this.fieldFlags |= BAD_QUOTE;
            state = S_UNQUOTED;
            continue;
          }
          pos++;
        }
        this.pushField(this.fieldStart, end, this.fieldFlags);
        this.nextStart = pos + 1;
        this.emit(this.recStart, end + 1);
        state = S_FIELD;
        pos++;
        this.endLine(pos);
        continue;
      }
      this.fieldFlags |= BAD_QUOTE;
      state = S_UNQUOTED;
    }
    this.pos = pos;
    this.state = state;
    if (this.len - this.recStart > this.maxRecordBytes) {
      if (state === S_QUOTED || state === S_QUOTE_IN_QUOTED) {
        throw new InputError(`a quoted field opened here is still open after ${this.maxRecordBytes} bytes (unterminated quote?)`, { line: this.quoteLine });
      }
      this.tooLong();
    }
  }

  private tooLong(): never {
    throw new InputError(`the record starting here is longer than ${this.maxRecordBytes} bytes`, { line: this.line });
  }

  private endLine(next: number): void {
    this.curLine++;
    this.recStart = next;
    this.line = this.curLine;
  }

  private pushField(start: number, end: number, fieldFlags: number): void {
    const n = this.count;
    if (n >= this.starts.length) {
      if (n >= this.maxFields) {
        this.count++;
        return;
      }
      const cap = Math.min(this.starts.length * 2, this.maxFields);
      const starts = new Int32Array(cap);
      const ends = new Int32Array(cap);
      const flags = new Uint8Array(cap);
      starts.set(this.starts);
      ends.set(this.ends);
      flags.set(this.flags);
      this.starts = starts;
      this.ends = ends;
      this.flags = flags;
    }
    this.starts[n] = start;
    this.ends[n] = end;
    this.flags[n] = fieldFlags;
    this.count = n + 1;
  }

  private emit(start: number, end: number): void {
    if (end - start > this.maxRecordBytes) this.tooLong();
    this.badUtf8 = this.badTo > start && this.badFrom < end;
    this.onRecord(this);
    this.index++;
    this.count = 0;
    this.hasQuotes = false;
  }

  private checkUtf8(final: boolean): void {
    const from = this.validated;
    let to: number;
    if (final) {
      to = this.len;
    } else {
      const lf = this.buf.subarray(0, this.len).lastIndexOf(LF);
      if (lf < from) return;
      to = lf + 1; // a line feed byte never sits inside a multi-byte sequence
    }
    if (to <= from) return;
    if (!isUtf8(this.buf.subarray(from, to))) {
      if (this.badTo <= this.recStart) this.badFrom = from;
      this.badTo = to;
    }
    this.validated = to;
  }

  private makeRoom(incoming: number): void {
    const shift = this.recStart;
    const keep = this.len - shift;
    const need = keep + incoming;
    let target = this.buf;
    if (need > this.buf.length) {
      target = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    }
    this.buf.copy(target, 0, shift, this.len);
    this.buf = target;
    this.base += shift;
    this.len = keep;
    this.pos -= shift;
    this.recStart = 0;
    this.fieldStart -= shift;
    this.validated -= shift;
    this.badFrom -= shift;
    this.badTo -= shift;
    const n = Math.min(this.count, this.starts.length);
    for (let i = 0; i < n; i++) {
      this.starts[i] -= shift;
      this.ends[i] -= shift;
    }
  }
}
