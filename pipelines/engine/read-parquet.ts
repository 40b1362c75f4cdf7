import { InputError } from './errors';
import { Profiler } from './profiler';
import { RangeReader } from './sources';

/**
 * Reads a Parquet file into a profiler, one row group at a time (memory follows the largest row
 * group, not the file), with hyparquet: each needed column of the group is decoded as a whole,
 * then the rows are fed from those arrays through one reused record. Columns are matched by name;
 * missing and unexpected columns are schema problems. Int64 cells arrive as bigint and
 * timestamps as dates; the profiler checks them like any other value. Throws `InputError` when
 * the file is not Parquet or uses a codec hyparquet cannot read.
 */
export async function readParquet(file: RangeReader, profiler: Profiler): Promise<void> {
  // Loaded on use: hyparquet is an ES module, bundled into the CLI and the Lambda.
  // eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
  const { parquetMetadataAsync, parquetRead } = await import('hyparquet');
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
  const values: unknown[] = new Array(names.length).fill(null);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const n = rowEnd - rowStart;
    const data: Array<unknown[] | undefined> = names.map((name) => (present.has(name) ? new Array(n).fill(null) : undefined));
    const index = new Map(names.map((name, j) => [name, j]));
    try {
      await parquetRead({
        file,
        metadata,
        columns: names.filter((name) => present.has(name)),
        rowStart,
        rowEnd,
        onChunk: ({ columnName, columnData, rowStart: first }) => {
          const target = data[index.get(columnName)!]!;
          for (let k = 0; k < columnData.length; k++) {
            const row = first + k - rowStart;
            if (row >= 0 && row < n) target[row] = columnData[k];
          }
        },
      });
    } catch (e) {
      throw new InputError(`cannot read Parquet rows ${rowStart + 1}-${rowEnd}: ${(e as Error).message}`);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < names.length; j++) {
        const column = data[j];
        values[j] = column === undefined ? null : column[i];
      }
      profiler.addRow(values);
    }
    rowStart = rowEnd;
  }
}
