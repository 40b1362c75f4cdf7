import { parse } from 'csv-parse/sync';
import { CsvParser, InputError } from '../../../pipelines/engine';
import { BAD_QUOTE, ESCAPED, QUOTED } from '../../../pipelines/engine/csv';
import { prng } from '../../support/data-sources';

/** Every record as field texts, feeding the parser in chunks of the given sizes. */
function records(input: Buffer | string, sizes: number[] = [1024 * 1024], options = {}): string[][] {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const out: string[][] = [];
  const p = new CsvParser((q) => {
    const fields: string[] = [];
    for (let i = 0; i < q.count; i++) fields.push(q.fieldText(i));
    out.push(fields);
  }, options);
  let i = 0;
  for (let off = 0; off < buf.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]);
    p.push(buf.subarray(off, off + n));
    off += n;
  }
  p.end();
  return out;
}

/** Lines seen by the line fast path and records seen by the field path, with their lines. */
function lines(input: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const p = new CsvParser((q) => { out.push([`record:${q.fieldText(0)}`, q.line]); });
  p.onLine = (buf, s, e, line) => { out.push([buf.toString('utf8', s, e), line]); return true; };
  p.push(Buffer.from(input));
  p.end();
  return out;
}

describe('CsvParser (RFC 4180)', () => {
  test('splits simple records, with or without a final line break', () => {
    expect(records('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(records('a,b,c\n1,2,3')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
  });

  test('quoted fields keep delimiters, doubled quotes and line breaks', () => {
    expect(records('"a,b","say ""hi""","two\nlines"\n')).toEqual([['a,b', 'say "hi"', 'two\nlines']]);
  });

  test('CRLF line ends are stripped, a CR inside quotes is kept', () => {
    expect(records('a,b\r\n1,"x\r\ny"\r\n')).toEqual([['a', 'b'], ['1', 'x\r\ny']]);
    expect(records('a,"b"\r\n')).toEqual([['a', 'b']]);
  });

  test('a UTF-8 byte order mark is skipped, even split across chunks', () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,é\n')]);
    expect(records(input, [1])).toEqual([['id', 'name'], ['1', 'é']]);
  });

  test('empty fields, trailing delimiters and blank lines', () => {
    expect(records('a,,c\n,\n\n\r\nx,\n')).toEqual([['a', '', 'c'], ['', ''], ['x', '']]);
    expect(records('""\n')).toEqual([['']]);
  });

  test('flags quoted, escaped and broken fields', () => {
    const flags: number[][] = [];
    const p = new CsvParser((q) => { flags.push(Array.from(q.flags.subarray(0, q.count))); });
    p.push(Buffer.from('"a","b""c",d"e,"f"g\n'));
    p.end();
    expect(flags).toEqual([[QUOTED, QUOTED + ESCAPED, BAD_QUOTE, QUOTED + BAD_QUOTE]]);
  });

  test('an unterminated quote is an input error at the line where the quote opened', () => {
    expect(() => records('a,b\n1,"open\n2,3\n')).toThrow(InputError);
    try {
      records('a,b\n1,"open\n2,3\n');
    } catch (e) {
      expect((e as InputError).location.line).toBe(2);
      expect((e as InputError).message).toMatch(/line 2: .*never closes/);
    }
  });

  test('a record longer than the limit stops the parse instead of growing without bound', () => {
    const long = 'x'.repeat(5000);
    expect(() => records(`a\n${long}\n`, [100], { maxRecordBytes: 1000 })).toThrow(/line 2: the record starting here is longer than 1000 bytes/);
    expect(() => records(`a\n"${long}`, [100], { maxRecordBytes: 1000 })).toThrow(/still open after 1000 bytes/);
    expect(records(`a\n${long}\n`, [100], { maxRecordBytes: 10000 })[1][0]).toHaveLength(5000);
  });

  test('quote-free lines go to onLine with their physical line numbers; quoted records to onRecord', () => {
    expect(lines('a,b\n"q\nq",1\n\nc,d\r\n')).toEqual([['a,b', 1], ['record:q\nq', 2], ['c,d', 5]]);
  });

  test('matches csv-parse on generated inputs fed in random chunks', () => {
    const rand = prng(7);
    const alphabet = ['a', 'b', 'Z', '0', '9', ' ', ',', '"', '\n', '\r\n', 'é', '€', '😀', ';', '\t', 'x'];
    for (let round = 0; round < 300; round++) {
      const crlf = rand() < 0.5;
      const nfields = 2 + Math.floor(rand() * 5);
      const nrecords = 1 + Math.floor(rand() * 12);
      const rows: string[][] = [];
      for (let r = 0; r < nrecords; r++) {
        const row: string[] = [];
        for (let f = 0; f < nfields; f++) {
          let v = '';
          const len = Math.floor(rand() * 7);
          for (let k = 0; k < len; k++) v += alphabet[Math.floor(rand() * alphabet.length)];
          row.push(v);
        }
        rows.push(row);
      }
      const text = rows.map((row) => row.map((v) => (/[",\r\n]/.test(v) || (v.length > 0 && rand() < 0.2) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join(crlf ? '\r\n' : '\n') + (rand() < 0.7 ? (crlf ? '\r\n' : '\n') : '');
      const expected = parse(text, { bom: true, relax_column_count: true, record_delimiter: crlf ? '\r\n' : '\n' }) as string[][];
      const sizes = Array.from({ length: 5 }, () => 1 + Math.floor(rand() * 17));
      expect({ round, got: records(text, sizes) }).toEqual({ round, got: expected });
      expect({ round, got: records(text) }).toEqual({ round, got: expected });
    }
  });
});
