import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { loadContract } from '../../../../pipelines/engine';
import { compileAthenaGate } from '../../../../pipelines/engine/sql/athena';
import { compileGate } from '../../../../pipelines/engine/sql/compile';
import { DUCKDB } from '../../../../pipelines/engine/sql/dialect';
import { contract } from '../../../support/contracts';

/**
 * Trino's own grammar (SqlBase.g4, through dt-sql-parser's antlr4 build) reads every query the
 * Athena gate runs. dt-sql-parser ships ES modules with directory imports, which Node cannot
 * load as they are: esbuild bundles its Trino parser once for the test.
 */
function trinoParser(): { validate(sql: string): Array<{ message: string }> } {
  const out = join(mkdtempSync(join(tmpdir(), 'aidlc-trino-')), 'trino-parser.js');
  buildSync({
    stdin: { contents: "export { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';", resolveDir: join(__dirname, '../../../..'), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TrinoSQL } = require(out);
  return new TrinoSQL();
}

const EVERY_TYPE = contract([
  { name: 'Id', type: 'int', nullable: false, min: 1 },
  { name: 'x', type: 'float', nullable: true, maxNullRatio: 0.1, min: -1.5e-7, max: 1e300 },
  { name: 'ok', type: 'bool', nullable: true },
  { name: 'at', type: 'timestamp', nullable: false },
  { name: 'kind', type: 'string', nullable: false, allowed: ["it's", 'b'] },
  { name: 'label', type: 'int', nullable: false, allowed: ['0', '1'] },
], { key: ['Id', 'at'], format: { type: 'csv', delimiter: ',', header: true, nullValues: ['', 'NA'] } });

const BASELINE = {
  format: 'aidlc-profile' as const,
  version: 1 as const,
  dataset: 'test',
  rows: 10,
  malformedRows: 0,
  duplicateRows: 0,
  duplicateKeys: 0,
  key: [],
  columns: { x: { type: 'float' as const, count: 10, nulls: 0, invalid: 0, distinct: 10, distinctExact: true, bins: { edges: [-0.5, 0.25, 1e-9], counts: [1, 2, 3, 4] } } },
};

describe('the Athena gate\'s SQL is Trino SQL', () => {
  const parser = trinoParser();
  const target = { workgroup: 'w', database: 'aidlc_churn', table: 'churn_gate', partition: { dataset: '2026-12' }, object: "s3://b/raw/churn/2026-12/it's.csv" };

  test.each([
    ['every column type, a composite key and two null tokens', EVERY_TYPE],
    ['the sample churn contract', loadContract(join(__dirname, '..', 'fixtures', 'churn-contract.json'))],
  ])('%s', (_, c) => {
    const plan = compileAthenaGate(c, target, BASELINE);
    expect(plan.queries.map((q) => q.name)).toEqual(['summary', 'frequencies']);
    for (const q of plan.queries) expect(parser.validate(q.sql).map((e) => e.message)).toEqual([]);
  });

  test('the check tells dialects apart: DuckDB\'s spelling is not Trino', () => {
    const plan = compileGate(EVERY_TYPE, { from: 't' }, DUCKDB);
    expect(parser.validate(plan.queries[0].sql).length).toBeGreaterThan(0);
  });
});
