import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ColumnProfile, GateReport, fileSource, profileSource, runGate } from '../../../../pipelines/engine';
import { bucketIndex } from '../../../../pipelines/engine/sketch';
import { compileGate } from '../../../../pipelines/engine/sql/compile';
import { DUCKDB, TRINO, dbl } from '../../../../pipelines/engine/sql/dialect';
import { contract } from '../../../support/contracts';
import { prng } from '../../../support/data-sources';
import { sqlGateOnDuckDb } from '../../../support/duckdb-sql-gate';

function csvFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aidlc-sql-edge-'));
  const path = join(dir, 'data.csv');
  writeFileSync(path, text);
  return path;
}

function comparable(r: GateReport) {
  return {
    verdict: r.verdict,
    rows: r.rows,
    violations: r.violations.map(({ examples, ...v }) => v),
    drift: r.drift,
    profile: { ...r.profile!, columns: Object.fromEntries(Object.entries(r.profile!.columns).map(([n, c]) => [n, counts(c)])) },
  };
}

function counts(c: ColumnProfile) {
  const { distinct, mean, ...rest } = c;
  return { ...rest, ...(c.distinctExact ? { distinct } : {}), ...(mean !== undefined ? { mean: Number(mean.toPrecision(12)) } : {}) };
}

const EDGE = contract([
  { name: 'id', type: 'int', nullable: false, min: 0 },
  { name: 'x', type: 'float', nullable: true, maxNullRatio: 0.3, min: -100, max: 100 },
  { name: 'flag', type: 'bool', nullable: true },
  { name: 'at', type: 'timestamp', nullable: true },
  { name: 'kind', type: 'string', nullable: false, allowed: ['a', 'b', 'c, d'] },
  { name: 'label', type: 'int', nullable: false, allowed: ['0', '1'] },
], { key: ['id'], format: { type: 'csv', delimiter: ',', header: true, nullValues: ['', 'NA'] } });

// Every form the engine's parsers accept or refuse, with null tokens, duplicates that only the
// parsed values reveal (1 and 1.0, +1 and 01) and quoted fields.
const EDGE_ROWS = [
  'id,x,flag,at,kind,label',
  '1,1.5,true,2024-01-01,a,0',
  '01,1.50,TRUE,2024-01-01T00:00:00Z,a,0',
  '+2,-0,1,2024-02-29 12:30,b,1',
  '3,-0.0,0,2024-02-29T12:30:59.9999+01:00,"c, d",01',
  '4,.5,False,2023-02-29,b,1',
  '5,1.,yes,2024-13-01,e,2',
  '6,1e309,tRuE,2024-01-01T24:00,a,1',
  '7,NaN,,2024-01-01T10:00:60,a,0',
  '8,Infinity,NA,2024-01-01T10:00:00+0530,a,0',
  '9, 1,NA,2024-01-01t10:00:00-05:,a,0',
  '10,1e5,false,2024-01-01T10:00:00+24:00,b,0',
  '11,,true,2024-01-01T10:00,NA,0',
  '12,NA,true,0000-02-28T00:00:00,b,1',
  '13,-1e-320,true,9999-12-31T23:59:59.123456789Z,b,1',
  '14,5e-324,0,2024-06-30T00:00:00,b,1',
  '15,-200,1,2024-06-30T00:00:00.5,b,1',
  '-3,3.5e2,1,1970-01-01,b,1',
  '9223372036854775808,2,1,1970-01-01,b,1',
  'x,2,1,1970-01-01,b,1',
  '16,abc,1,1970-01-01 ,b,1',
  '17,1.0e-7,,,"b",1',
  '17,1.0e-7,,,b,1',
  '18,1.0E-7,,,b,1',
  '',
].join('\n');

describe('the compiled SQL agrees with the streaming engine on tricky values', () => {
  test('types, null tokens, -0, offsets, calendar checks, duplicates by value, quoted fields', async () => {
    const path = csvFile(EDGE_ROWS);
    const streaming = await runGate(EDGE, fileSource(path));
    const { report: sql } = await sqlGateOnDuckDb(EDGE, path);
    expect(comparable(sql)).toEqual(comparable(streaming));
    // The figures are not trivially equal: the file breaks most rules.
    expect(streaming.violations.map((v) => v.id)).toEqual(expect.arrayContaining([
      'type:id', 'type:x', 'type:flag', 'type:at', 'not_null:kind', 'range:x', 'range:id', 'allowed:kind', 'allowed:label', 'unique:id', 'duplicate_rows',
    ]));
    // Examples carry the offending values with the engine's own wording.
    const type = sql.violations.find((v) => v.id === 'type:x')!;
    expect(type.examples.map((e) => e.value)).toEqual([' 1', '1e309', 'Infinity', 'NaN', 'abc']);
    expect(type.examples[0].message).toBe('value " 1" has leading or trailing spaces');
    expect(type.examples[1].message).toBe('value "1e309" is outside the float64 range');
  });

  test('drift against a baseline with sketches (KS on sketch buckets) and numeric categories', async () => {
    const rnd = prng(7);
    const row = (i: number, shift: number) => `${i},${(rnd() * 50 + shift).toFixed(3)},${rnd() < 0.5},2024-01-0${1 + Math.floor(rnd() * 9)},${'ab'[Math.floor(rnd() * 2)]},${rnd() < 0.3 ? 1 : 0}`;
    const header = 'id,x,flag,at,kind,label';
    const base = csvFile([header, ...Array.from({ length: 3000 }, (_, i) => row(i, 0))].join('\n'));
    const current = csvFile([header, ...Array.from({ length: 3000 }, (_, i) => row(i, i < 1500 ? 0 : 20))].join('\n'));
    const baseline = (await profileSource(EDGE, fileSource(base))).profile;
    expect(baseline.columns.x.sketch).toBeDefined();
    const streaming = await runGate(EDGE, fileSource(current), { baseline });
    const { report: sql } = await sqlGateOnDuckDb(EDGE, current, baseline);
    expect(streaming.drift!.columns.x.ksMethod).toBe('sketch');
    expect(streaming.drift!.drifted).toContain('x');
    expect(comparable(sql)).toEqual(comparable(streaming));
  });
});

describe('sketch buckets in SQL', () => {
  test('the arithmetic bucket of a value is the engine\'s bucket of its float64 bits', async () => {
    const rnd = prng(11);
    const values = [0, 1, -1, 2, -2, 0.5, -0.5, 1 + 1 / 128, -(1 + 1 / 128), 1 + 1 / 256, 5e-324, -5e-324, 2 ** -1022, -(2 ** -1022),
      2 ** -1022 * (1 - 2 ** -52), 1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53, 0.1, 1e-300, 123456.789];
    for (let i = 0; i < 300; i++) values.push((rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20));
    const c = contract([{ name: 'v', type: 'float', nullable: false }]);
    const plan = compileGate(c, { from: `(SELECT CAST(v AS VARCHAR) AS v FROM (VALUES ${values.map((v) => `(${dbl(v)})`).join(', ')}) AS t(v))` }, DUCKDB);
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    const rows = (await con.runAndReadAll(plan.queries[1].sql)).getRowObjectsJS();
    con.closeSync();
    instance.closeSync();
    const expected = new Map<number, number>();
    for (const v of values) expected.set(bucketIndex(v), (expected.get(bucketIndex(v)) ?? 0) + 1);
    const got = new Map(rows.map((r) => [Number(r.v), Number(r.n)]));
    expect(got).toEqual(expected);
  });
});

describe('the Trino spelling', () => {
  test('uses the Trino functions and lower-case column names', () => {
    const plan = compileGate(EDGE, { from: '"db"."t"', where: '"dataset" = \'x\'' }, TRINO);
    const sql = plan.queries.map((q) => q.sql).join('\n');
    expect(sql).toContain('regexp_like(');
    expect(sql).toContain('approx_distinct(');
    expect(sql).toContain('json_format(CAST(');
    expect(sql).toContain('FROM "db"."t" WHERE "dataset" = \'x\'');
    expect(sql).not.toMatch(/regexp_matches|approx_count_distinct|to_json|\/\//);
  });
});
