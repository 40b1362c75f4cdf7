import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli as cli } from '../../support/cli-run';

const CONTRACT = join(__dirname, '..', 'engine', 'fixtures', 'churn-contract.json');
const SAMPLE = join(__dirname, '..', '..', 'fixtures', 'sample.csv');

describe('aidlc gate --engine', () => {
  const ATHENA = ['--workgroup', 'aidlc-churn-gate', '--database', 'aidlc_churn', '--table', 'churn_gate', '--partition', 'dataset=2026-12'];

  test('--engine athena --dry-run prints the queries for the object and partition, and runs nothing', async () => {
    const r = await cli('gate', '--contract', CONTRACT, '--data', 's3://raw/raw/churn/2026-12/train.csv', '--engine', 'athena', '--dry-run', ...ATHENA);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^-- aidlc gate: the Athena queries for s3:\/\/raw\/raw\/churn\/2026-12\/train.csv\n-- table aidlc_churn.churn_gate, workgroup aidlc-churn-gate; 2 scans of the dataset\n/);
    expect(r.out).toContain('-- 1/2: summary\nSELECT count(*) AS "rows"');
    expect(r.out).toContain('-- 2/2: frequencies\nSELECT g, v, n, distinct_values');
    expect(r.out).toContain('FROM "aidlc_churn"."churn_gate" WHERE "dataset" = \'2026-12\' AND "$path" = \'s3://raw/raw/churn/2026-12/train.csv\'');
    expect(r.out.match(/;\n/g)).toHaveLength(2);
  });

  test('the printed queries parse and run (in DuckDB\'s spelling they are the tested ones)', async () => {
    const r = await cli('gate', '--contract', CONTRACT, '--data', 's3://raw/x/', '--engine', 'athena', '--dry-run', '--database', 'db', '--table', 't');
    // DuckDB reads the Trino text as far as the grammar goes: EXPLAIN each query over a stand-in table.
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    const cols = [...new Set([...r.out.matchAll(/"([a-z_]+)" AS t\d+/g)].map((m) => m[1]))];
    await con.run('CREATE SCHEMA db');
    await con.run(`CREATE TABLE db.t (${cols.map((c) => `"${c}" VARCHAR`).join(', ')})`);
    const duckSpelling = r.out
      .replace(/regexp_like\(/g, 'regexp_matches(').replace(/approx_distinct\(/g, 'approx_count_distinct(')
      .replace(/json_format\(CAST\((.*?) AS JSON\)\)/g, 'to_json($1)').replace(/\) \/ \(/g, ') // (');
    const statements = duckSpelling.split(/;\n/).map((s) => s.replace(/^(--.*\n|\n)*/g, '')).filter((s) => s.trim());
    expect(statements).toHaveLength(2);
    for (const s of statements) await con.run(`EXPLAIN ${s}`);
    con.closeSync();
    instance.closeSync();
  });

  test('auto picks the streaming engine below the threshold and Athena above it', async () => {
    let r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--engine', 'auto');
    expect(r.out).toMatch(/^gate pass: churn/);
    r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--engine', 'auto', '--athena-threshold-gb', '0', '--dry-run', '--database', 'db', '--table', 't');
    expect(r.out).toMatch(/^-- aidlc gate: the Athena queries/);
    r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--engine', 'auto', '--dry-run');
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--dry-run = true: prints the SQL of the athena engine, and this run would use the streaming engine. Fix: add --engine athena') });
  });

  test('bad engine options are usage errors that name the fix', async () => {
    let r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--engine', 'spark');
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--engine = "spark": is not a gate engine. Fix: use streaming, athena or auto') });
    r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--engine', 'athena', ...ATHENA);
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/--data = ".*sample.csv": is not in S3, where the athena engine reads data. Fix: pass an s3:\/\/bucket\/key/) });
    r = await cli('gate', '--contract', CONTRACT, '--data', 's3://b/k.csv', '--engine', 'athena', '--database', 'db', '--table', 't');
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--workgroup = (not set): is required by the athena engine. Fix: pass --workgroup NAME, or set AIDLC_ATHENA_WORKGROUP') });
    r = await cli('gate', '--contract', CONTRACT, '--data', 's3://b/k.csv', '--engine', 'athena', '--dry-run', '--database', 'db', '--table', 't', '--partition', 'oops');
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--partition = "oops": is not KEY=VALUE') });
    r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--engine', 'auto', '--athena-threshold-gb=-1');
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--athena-threshold-gb = "-1": must be a number of GiB, 0 or more') });
  });
});
