import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { GateReport, fileSource, runGate } from '../../../../pipelines/engine';
import { athenaRelation, compileAthenaGate, runAthenaGate } from '../../../../pipelines/engine/sql/athena';
import { compileGate } from '../../../../pipelines/engine/sql/compile';
import { billedBytes } from '../../../../pipelines/engine/sql/cost';
import { DUCKDB } from '../../../../pipelines/engine/sql/dialect';
import { contract as makeContract } from '../../../support/contracts';
import { duckDbCsv } from '../../../support/duckdb-sql-gate';

const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);
afterEach(() => { athena.reset(); s3.reset(); });

const CONTRACT = makeContract([
  { name: 'id', type: 'int', nullable: false },
  { name: 'amount', type: 'float', nullable: true, min: 0 },
  { name: 'Segment', type: 'string', nullable: false, allowed: ['a', 'b'] },
], { key: ['id'] });
const TARGET = { workgroup: 'aidlc-churn-gate', database: 'churn_db', table: 'churn_gate', partition: { dataset: '2026-12' }, object: 's3://raw/raw/churn/2026-12/train.csv' };

/**
 * A stand-in Athena whose queries are answered by DuckDB running the same compiled queries over a
 * local file (in DuckDB's spelling), returned the way Athena returns them: pages of text values
 * after a header row.
 */
async function fakeAthena(csv: string, options: { bytesScanned?: number; fail?: string } = {}) {
  const plan = compileGate(CONTRACT, { from: duckDbCsv(CONTRACT, csv) }, DUCKDB);
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const results = new Map<string, { columns: string[]; rows: Array<Array<string | null>> }>();
  const started: string[] = [];
  athena.on(StartQueryExecutionCommand).callsFake(async (input) => {
    const name = input.QueryString.startsWith('SELECT count(*) AS "rows"') ? 'summary' : 'frequencies';
    const reader = await con.runAndReadAll(plan.queries.find((q) => q.name === name)!.sql);
    const columns = reader.columnNames();
    const rows = reader.getRowsJS().map((r) => r.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v))));
    const id = `q-${started.length}`;
    started.push(input.QueryString);
    results.set(id, { columns, rows });
    return { QueryExecutionId: id };
  });
  const polls = new Map<string, number>();
  athena.on(GetQueryExecutionCommand).callsFake(async ({ QueryExecutionId: id }) => {
    const n = (polls.get(id) ?? 0) + 1;
    polls.set(id, n);
    if (n === 1) return { QueryExecution: { QueryExecutionId: id, Status: { State: 'RUNNING' } } };
    const status = options.fail ? { State: 'FAILED' as const, StateChangeReason: options.fail } : { State: 'SUCCEEDED' as const };
    return { QueryExecution: { QueryExecutionId: id, Status: status, Statistics: { DataScannedInBytes: options.bytesScanned ?? 1234 } } };
  });
  athena.on(GetQueryResultsCommand).callsFake(async ({ QueryExecutionId: id, NextToken, MaxResults }) => {
    const r = results.get(id)!;
    const all = [r.columns, ...r.rows];
    const from = NextToken ? Number(NextToken) : 0;
    const page = all.slice(from, from + MaxResults);
    const next = from + MaxResults < all.length ? String(from + MaxResults) : undefined;
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: r.columns.map((c) => ({ Name: c, Type: 'varchar' })) },
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
      },
      ...(next ? { NextToken: next } : {}),
    };
  });
  athena.on(StopQueryExecutionCommand).resolves({});
  const head = new Uint8Array(readFileSync(csv).subarray(0, 65536));
  s3.on(GetObjectCommand).callsFake(async () => ({ Body: { transformToByteArray: async () => head } as any }));
  return { started, close: () => { con.closeSync(); instance.closeSync(); } };
}

function comparable(r: GateReport) {
  const violations = r.violations.map(({ examples, ...v }) => v);
  return { verdict: r.verdict, rows: r.rows, violations, duplicates: [r.profile?.duplicateRows, r.profile?.duplicateKeys] };
}

describe('the Athena gate', () => {
  test('runs the compiled queries in the workgroup, pages the results and reports like the streaming engine, with the cost', async () => {
    const csv = makeCsv(2500);
    const fake = await fakeAthena(csv, { bytesScanned: 25 * 1024 ** 2 + 1 });
    try {
      const report = await runAthenaGate(CONTRACT, TARGET, { client: new AthenaClient({}), s3: new S3Client({}), pollMs: 1 });
      const streaming = await runGate(CONTRACT, fileSource(csv));
      expect(comparable(report)).toEqual(comparable(streaming));
      expect(report.violations.map((v) => v.id)).toEqual(['range:amount', 'allowed:Segment', 'unique:id', 'duplicate_rows']);
      // More category values than one page of results: the frequencies query came in pages.
      expect(athena.commandCalls(GetQueryResultsCommand).length).toBeGreaterThan(2);
      const start = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
      expect(start.WorkGroup).toBe('aidlc-churn-gate');
      expect(start.QueryExecutionContext).toEqual({ Database: 'churn_db', Catalog: 'AwsDataCatalog' });
      expect(fake.started[0]).toContain('FROM "churn_db"."churn_gate" WHERE "dataset" = \'2026-12\' AND "$path" = \'s3://raw/raw/churn/2026-12/train.csv\'');
      expect(fake.started[0]).toContain('"segment" AS t2');
      expect(report.source).toBe(TARGET.object);
      expect(report.cost).toEqual({
        engine: 'athena',
        bytesScanned: 2 * (25 * 1024 ** 2 + 1),
        estimatedUsd: Math.round((2 * billedBytes(25 * 1024 ** 2 + 1) / 1024 ** 4) * 5 * 1e6) / 1e6,
        usdPerTb: 5,
        priceSource: expect.stringContaining('aws.amazon.com/athena/pricing'),
        queries: [{ name: 'summary', id: 'q-0', bytesScanned: 25 * 1024 ** 2 + 1 }, { name: 'frequencies', id: 'q-1', bytesScanned: 25 * 1024 ** 2 + 1 }],
      });
    } finally {
      fake.close();
    }
  });

  test('a query over the workgroup\'s bytes-scanned limit gives an error report, not an exception', async () => {
    const fake = await fakeAthena(makeCsv(10), { fail: 'Query cancelled! : Bytes scanned limit was exceeded' });
    try {
      const report = await runAthenaGate(CONTRACT, TARGET, { client: new AthenaClient({}), s3: new S3Client({}), pollMs: 1 });
      expect(report.verdict).toBe('error');
      expect(report.error!.message).toBe('Athena query q-0 failed: Query cancelled! : Bytes scanned limit was exceeded');
    } finally {
      fake.close();
    }
  });

  test('a header that differs from the contract is a schema violation', async () => {
    const csv = makeCsv(10);
    const path = join(mkdtempSync(join(tmpdir(), 'aidlc-athena-')), 'swapped.csv');
    writeFileSync(path, readFileSync(csv, 'utf8').replace(/^id,amount,Segment/, 'id,Segment,amount'));
    const fake = await fakeAthena(path);
    try {
      const report = await runAthenaGate(CONTRACT, TARGET, { client: new AthenaClient({}), s3: new S3Client({}), pollMs: 1 });
      expect(report.violations[0].id).toBe('schema:columns');
      expect(report.violations[0].message).toContain('columns are out of order');
    } finally {
      fake.close();
    }
  });

  test('the relation narrows the gate table to the partition and the object', () => {
    expect(athenaRelation({ workgroup: 'w', database: 'db', table: 't' })).toEqual({ from: '"db"."t"' });
    expect(athenaRelation({ workgroup: 'w', database: 'db', table: 't', partition: { Dataset: "it's" } })).toEqual({ from: '"db"."t"', where: '"dataset" = \'it\'\'s\'' });
    expect(compileAthenaGate(CONTRACT, TARGET).queries.map((q) => q.name)).toEqual(['summary', 'frequencies']);
  });

});

/** A CSV with a repeated row, a repeated key, an out-of-range amount and an unknown segment. */
function makeCsv(rows: number): string {
  const lines = ['id,amount,Segment'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${(i % 997) / 4},${i % 2 ? 'a' : 'b'}`);
  lines.push('1,0.25,a', '2,-1,b', '3,5,zz');
  const path = join(mkdtempSync(join(tmpdir(), 'aidlc-athena-')), 'data.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}
