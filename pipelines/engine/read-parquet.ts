import { InputError } from './errors';
import { Profiler } from './profiler';
import { RangeReader } from './sources';

/**
 * Reads a Parquet file into a profiler, one row group at a time (memory follows the largest row
 * group, not the file), with hyparquet. Columns are matched by name; missing and unexpected
 * columns are schema problems. Int64 cells arrive as bigint and timestamps as dates; the
 * profiler checks them like any other value. Throws `InputError` when the file is not Parquet or
 * uses a codec hyparquet cannot read.
 */
export async function readParquet(file: RangeReader, profiler: Profiler): Promise<void> {
  // Loaded on use: hyparquet is an ES module, bundled into the CLI and the Lambda.
  const { parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  if (file.byteLength < 12) throw new InputError(`the file is ${file.byteLength} bytes, too short to be Parquet`);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new InputError(`not a readable Parquet file: ${(e as Error).message}`);
  }
  const fileColumns = metadata.schema.slice(1).filter((el) => el.num_children === undefined || el.num_children === 0).map((el) => el.name);
  const present = new Set(fileColumns);
  const names = profiler.columnNames;
  const missing = names.filter((n) => !present.has(n));
  const expected = new Set(names);
  const unexpected = fileColumns.filter((n) => !expected.has(n));
  if (missing.length) profiler.addSchemaProblem(`missing column${missing.length > 1 ? 's' : ''}: ${missing.map((n) => JSON.stringify(n)).join(', ')}`);
  if (unexpected.length) profiler.addSchemaProblem(`unexpected column${unexpected.length > 1 ? 's' : ''}: ${unexpected.map((n) => JSON.stringify(n)).join(', ')}`);
  for (const n of missing) profiler.setMissing(n);
  const columns = names.filter((n) => present.has(n));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await parquetReadObjects({ file, metadata, columns, rowStart, rowEnd });
    } catch (e) {
      throw new InputError(`cannot read Parquet rows ${rowStart + 1}-${rowEnd}: ${(e as Error).message}`);
    }
    for (const r of rows) profiler.addObject(r);
    rowStart = rowEnd;
  }
}
