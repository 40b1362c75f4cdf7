import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ColumnType } from '../../../src/core/enums';
import { requestColumns } from '../../../src/core/request-schema';
import { ResolvedContract } from '../../../src/core/resolved';
import { fileSource, formatOf } from '../../engine/sources';
import { UsageError } from '../command';

/** One row as read from a file: column name to value (text from CSV, JSON values otherwise). */
export type RawRow = Record<string, unknown>;

/** A row as the API takes it: the contract's columns without the target, typed. */
export type Instance = Record<string, unknown>;

/** Rows of a file and what was left out of them. */
export interface RowsRead {
  readonly rows: RawRow[];
  /** Whether the file holds more rows than were asked for. */
  readonly truncated: boolean;
}

/**
 * Reads up to `limit` rows of a CSV (header row first), JSON Lines, JSON (`{"instances": [...]}`
 * or an array of objects) or Parquet file, given as `flag` (named in errors).
 */
export async function readRows(path: string, flag: string, limit = Number.POSITIVE_INFINITY): Promise<RowsRead> {
  const bad = (message: string, fix: string) => new UsageError({ path: flag, value: path, message, fix });
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return take(jsonRows(readText(path, bad), bad), limit);
  const { format, gzip } = formatOf(path);
  if (gzip) throw bad('is compressed', 'decompress it first: requests are built from plain CSV, JSON Lines, JSON or Parquet files');
  if (format === 'parquet') return parquetRows(path, limit, bad);
  if (format === 'jsonl') return take(jsonLines(readText(path, bad), path), limit);
  return take(csvRows(readText(path, bad), bad), limit);
}

/** The error for the file as a whole: what is wrong with it, and the fix. */
type BadFile = (message: string, fix: string) => UsageError;

function readText(path: string, bad: BadFile): string {
  try {
    return readFileSync(path, 'utf-8');
  } catch (e) {
    throw bad(`cannot be read (${(e as Error).message})`, 'check the path and its permissions');
  }
}

function take(rows: RawRow[], limit: number): RowsRead {
  return rows.length > limit ? { rows: rows.slice(0, limit), truncated: true } : { rows, truncated: false };
}

function csvRows(text: string, bad: BadFile): RawRow[] {
  try {
    return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as RawRow[];
  } catch (e) {
    throw bad(`is not a CSV file with a header row (${(e as Error).message})`, 'write a header row of the column names, then one row per line');
  }
}

function jsonLines(text: string, path: string): RawRow[] {
  return text.split(/\r?\n/).flatMap((line, i) => {
    if (line.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new UsageError({ path: `${path}:${i + 1}`, value: line, message: `is not JSON (${(e as Error).message})`, fix: 'write one JSON object per line' });
    }
    if (!isObject(value)) throw new UsageError({ path: `${path}:${i + 1}`, value: line, message: 'is not a JSON object', fix: 'write one JSON object per line' });
    return [value];
  });
}

function jsonRows(text: string, bad: BadFile): RawRow[] {
  const shape = 'write {"instances": [ {...}, ... ]} or an array of objects';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw bad(`is not JSON (${(e as Error).message})`, shape);
  }
  const rows = isObject(value) && Array.isArray(value.instances) ? value.instances : value;
  if (!Array.isArray(rows) || !rows.every(isObject)) throw bad('holds no list of row objects', shape);
  return rows;
}

async function parquetRows(path: string, limit: number, bad: BadFile): Promise<RowsRead> {
  // eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
  const { parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  const file = await fileSource(path).ranges();
  try {
    const metadata = await parquetMetadataAsync(file);
    const total = Number(metadata.num_rows);
    const rowEnd = Math.min(total, limit);
    const rows = await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd }) as RawRow[];
    return { rows: rows.map(plainValues), truncated: total > rowEnd };
  } catch (e) {
    throw bad(`is not a readable Parquet file (${(e as Error).message})`, 'give a Parquet file, or the rows as CSV, JSON Lines or JSON');
  } finally {
    await file.close();
  }
}

/** Parquet's int64 cells arrive as bigint and timestamps as dates; JSON has neither. */
function plainValues(row: RawRow): RawRow {
  const out: RawRow = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

/**
 * A value as JSON carries it for a column of the given type. Text that does not parse stays text,
 * so the schema names the column and the value instead of this function guessing.
 */
export function typedValue(value: unknown, type: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return null;
  switch (type) {
    case ColumnType.INT:
      return INT.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : value;
    case ColumnType.FLOAT:
      return FLOAT.test(text) ? Number(text) : value;
    case ColumnType.BOOL: {
      const lower = text.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : value;
    }
    default:
      return value;
  }
}

/**
 * A row as the API takes it: the contract's columns without the target, typed by the contract.
 * Columns the contract does not know are kept, so the API (or the local check) names them.
 * Empty cells become null.
 */
export function toInstance(row: RawRow, contract: ResolvedContract): Instance {
  const columns = new Map(requestColumns(contract).map((c) => [c.name, c]));
  const out: Instance = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === contract.targetColumn) continue;
    const column = columns.get(name);
    out[name] = column ? typedValue(value, column.type) : value;
  }
  return out;
}
