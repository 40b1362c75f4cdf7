import { Contract } from './contract';
import { CsvParser } from './csv';
import { InputError } from './errors';
import { Profiler } from './profiler';

/** Options of `readCsv`. */
export interface ReadCsvOptions {
  /** Longest record in bytes. @default 16 MiB */
  readonly maxRecordBytes?: number;
}

/**
 * Streams CSV bytes into a profiler. With a header, file columns are matched to the profiler's
 * columns by name (differences are schema problems; missing columns are left out); without one,
 * by position. Throws `InputError` when the input is unusable (empty, unterminated quote, a record
 * over the size limit).
 */
export async function readCsv(
  chunks: AsyncIterable<Uint8Array>, profiler: Profiler, contract: Contract, options: ReadCsvOptions = {},
): Promise<void> {
  const names = profiler.columnNames;
  let sawHeader = !contract.format.header;
  let records = 0;
  const delimiter = contract.format.delimiter.charCodeAt(0);
  const parser: CsvParser = new CsvParser((p) => {
    records++;
    if (!sawHeader) {
      sawHeader = true;
      const header: string[] = [];
      for (let i = 0; i < Math.min(p.count, p.starts.length); i++) header.push(p.fieldText(i));
      useLines(matchHeader(header, names, profiler), p.count);
      return;
    }
    profiler.addCsvRecord(p);
  }, { delimiter, maxRecordBytes: options.maxRecordBytes });
  const useLines = (fieldOf: Int32Array, fieldCount: number): void => {
    profiler.setCsvLayout(fieldOf, fieldCount, delimiter);
    parser.onLine = (buf, start, end, line) => profiler.addCsvLine(buf, start, end, line);
  };
  if (sawHeader) useLines(Int32Array.from(names.map((_, i) => i)), names.length);
  for await (const chunk of chunks) parser.push(chunk);
  parser.end();
  if (records === 0) {
    throw new InputError(contract.format.header ? 'the file is empty: there is no header line' : 'the file is empty');
  }
}

/**
 * Maps profiled columns to header positions and records every difference from the expected
 * header as a schema problem.
 */
export function matchHeader(header: string[], names: string[], profiler: Profiler): Int32Array {
  const { problems, missing, position } = compareHeader(header, names);
  for (const p of problems) profiler.addSchemaProblem(p);
  for (const n of missing) profiler.setMissing(n);
  return Int32Array.from(names.map((n) => position.get(n) ?? -1));
}

/**
 * How a file's header differs from the expected column names: missing, unexpected, repeated or
 * out-of-order columns, one sentence each (the `schema:columns` violation).
 */
export function compareHeader(header: string[], names: string[]): { problems: string[]; missing: string[]; position: Map<string, number> } {
  const position = new Map<string, number>();
  const repeated: string[] = [];
  header.forEach((h, i) => {
    if (position.has(h)) repeated.push(h);
    else position.set(h, i);
  });
  const missing = names.filter((n) => !position.has(n));
  const known = new Set(names);
  const unexpected = header.filter((h) => !known.has(h));
  const problems: string[] = [];
  if (missing.length) problems.push(`missing column${missing.length > 1 ? 's' : ''}: ${missing.map(q).join(', ')}`);
  if (unexpected.length) problems.push(`unexpected column${unexpected.length > 1 ? 's' : ''}: ${unexpected.map(q).join(', ')}`);
  if (repeated.length) problems.push(`repeated column${repeated.length > 1 ? 's' : ''}: ${repeated.map(q).join(', ')}`);
  const present = header.filter((h) => known.has(h));
  const expectedOrder = names.filter((n) => position.has(n));
  if (!missing.length && !unexpected.length && !repeated.length && present.join('\u0000') !== expectedOrder.join('\u0000')) {
    problems.push(`columns are out of order: expected ${names.map(q).join(', ')}, found ${header.map(q).join(', ')}`);
  }
  return { problems, missing, position };
}

function q(s: string): string {
  return JSON.stringify(s);
}
