import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GateReport, Violation, parseContract, renderMarkdown, runGate } from '../../../pipelines/engine';
import { contract } from '../../support/contracts';
import { memorySource } from '../../support/data-sources';

const C = contract([
  { name: 'id', type: 'int', nullable: false, min: 1 },
  { name: 'when', type: 'timestamp', nullable: false },
  { name: 'amount', type: 'float', nullable: true, maxNullRatio: 0.25, min: 0, max: 100 },
  { name: 'kind', type: 'string', nullable: false, allowed: ['a', 'b'] },
  { name: 'flag', type: 'bool', nullable: false },
  { name: 'label', type: 'int', nullable: false, allowed: ['0', '1'] },
], { key: ['id'], maxDuplicateRows: 0, minRows: 2 });

const HEADER = 'id,when,amount,kind,flag,label\n';

async function gate(body: string, sizes?: number[]): Promise<GateReport> {
  return runGate(C, memorySource('data.csv', HEADER + body, sizes));
}
function byId(r: GateReport): Record<string, Violation> {
  return Object.fromEntries(r.violations.map((v) => [v.id, v]));
}

describe('contract checks', () => {
  test('clean data passes with exact statistics', async () => {
    const r = await gate('1,2024-01-01,10.5,a,true,0\n2,2024-01-02T10:00:00Z,,b,false,1\n3,2024-01-03,20,a,1,1\n4,2024-01-04,30,b,0,0\n');
    expect(r.verdict).toBe('pass');
    expect(r.violations).toEqual([]);
    const p = r.profile!;
    expect(p.rows).toBe(4);
    expect(p.columns.amount).toMatchObject({ count: 3, nulls: 1, invalid: 0, min: 10.5, max: 30, mean: 60.5 / 3, outOfRange: 0 });
    expect(p.columns.kind).toMatchObject({
      count: 4, distinct: 2, distinctExact: true, categories: { values: { a: 2, b: 2 }, other: 0, complete: true }, notAllowed: 0,
    });
    expect(p.columns.flag.categories!.values).toEqual({ false: 2, true: 2 });
    expect(p.columns.label).toMatchObject({ min: 0, max: 1, mean: 0.5, categories: { values: { 0: 2, 1: 2 } } });
    expect(p.columns.when).toMatchObject({ earliest: '2024-01-01T00:00:00Z', latest: '2024-01-04T00:00:00Z' });
    expect(p.columns.id.bins!.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  test('every row-level violation is counted with its first examples (row, line, column)', async () => {
    const r = await gate([
      '1,2024-01-01,150,a,true,0', // amount out of range
      '2,2024-01-01,,c,true,1', // kind not allowed
      '3,,5,a,true,7', // when null (not nullable), label not allowed
      '4,2024-01-01,abc,a,maybe,1', // amount and flag of the wrong type
      '1,2024-01-02,5,b,false,0', // repeats key 1
      '1,2024-01-02,5,b,false,0', // duplicate row (and key)
      '',
    ].join('\n'));
    expect(r.verdict).toBe('fail');
    const v = byId(r);
    expect(Object.keys(v).sort()).toEqual(['allowed:kind', 'allowed:label', 'duplicate_rows', 'not_null:when', 'range:amount', 'type:amount', 'type:flag', 'unique:id'].sort());
    expect(v['range:amount']).toMatchObject({ count: 1, examples: [{ row: 1, line: 2, column: 'amount', value: '150' }] });
    expect(v['allowed:kind'].examples[0]).toMatchObject({ row: 2, line: 3, value: 'c' });
    expect(v['allowed:label'].examples[0]).toMatchObject({ row: 3, value: '7' });
    expect(v['not_null:when'].examples[0]).toMatchObject({ row: 3, column: 'when' });
    expect(v['type:amount'].examples[0]).toMatchObject({ row: 4, value: 'abc', message: 'value "abc" is not a number' });
    expect(v['type:flag'].examples[0].message).toMatch(/not true\/false/);
    expect(v['unique:id']).toMatchObject({ count: 2, examples: [{ row: 5, value: 'id=1' }, { row: 6 }] });
    expect(v.duplicate_rows).toMatchObject({ count: 1, observed: 1, limit: 0, examples: [{ row: 6, line: 7 }] });
  });

  test('the share of nulls of a nullable column is checked against its limit', async () => {
    const ok = await gate('1,2024-01-01,,a,true,0\n2,2024-01-01,1,a,true,0\n3,2024-01-01,1,a,true,0\n4,2024-01-01,1,a,true,0\n');
    expect(ok.verdict).toBe('pass');
    const r = await gate('1,2024-01-01,,a,true,0\n2,2024-01-01,,a,true,0\n3,2024-01-01,1,a,true,0\n4,2024-01-01,1,a,true,0\n');
    expect(byId(r)['null_ratio:amount']).toMatchObject({ count: 2, observed: 0.5, limit: 0.25, message: '50.00 % of "amount" is empty (2 of 4 rows), the contract allows 25.00 %' });
  });

  test('repeated keys are found whether they are small whole numbers, negative, huge or not numbers at all', async () => {
    const rows = ['5', '-3', '9007199254740993', '-3', '5', '300000000', '300000000', 'x1', 'x1', '9007199254740993']
      .map((k, i) => `${k},2024-01-01,${i},a,true,0`).join('\n');
    const r = await gate(rows + '\n');
    expect(byId(r)['unique:id']).toMatchObject({ count: 5, examples: [{ row: 4, value: 'id=-3' }, { row: 5, value: 'id=5' }, { row: 7, value: 'id=300000000' }, { row: 9, value: 'id=x1' }, { row: 10, value: 'id=9007199254740993' }] });
    expect(byId(r)['type:id'].count).toBe(2);
  });

  test('1e309, NaN and -0', async () => {
    const r = await gate('1,2024-01-01,1e309,a,true,0\n2,2024-01-01,NaN,a,true,0\n3,2024-01-01,-0,a,true,0\n');
    const v = byId(r);
    expect(v['type:amount'].count).toBe(2);
    expect(v['type:amount'].examples.map((e) => e.message)).toEqual([
      'value "1e309" is outside the float64 range',
      'value "NaN" is not a finite number (NaN and Infinity are not allowed)',
    ]);
    expect(Object.is(r.profile!.columns.amount.min, 0)).toBe(true);
  });

  test('ragged rows and broken quotes are malformed rows with their line, left out of the statistics', async () => {
    const r = await gate('1,2024-01-01,1,a,true,0\n2,2024-01-01,1,a,true\n3,2024-01-01,1,a,true,0,extra\n4,2024-01-01,"1"x,a,true,0\n5,2024-01-01,1,a,true,0\n');
    const v = byId(r);
    expect(v.malformed_rows.count).toBe(3);
    expect(v.malformed_rows.examples.map((e) => [e.line, e.message])).toEqual([
      [3, 'has 5 fields, expected 6'],
      [4, 'has 7 fields, expected 6'],
      [5, 'field 3 has a quote inside an unquoted value or text after a closing quote'],
    ]);
    expect(r.profile!.rows).toBe(5);
    expect(r.profile!.columns.id.count).toBe(2);
  });

  test('invalid UTF-8 is reported at its row and column', async () => {
    const body = Buffer.concat([Buffer.from('1,2024-01-01,1,a,true,0\n2,2024-01-01,1,'), Buffer.from([0xc3, 0x28]), Buffer.from(',true,0\n')]);
    const r = await runGate(C, memorySource('data.csv', Buffer.concat([Buffer.from(HEADER), body]), [7]));
    expect(byId(r)['type:kind']).toMatchObject({ count: 1, examples: [{ row: 2, line: 3, column: 'kind', message: expect.stringMatching(/not valid UTF-8/) }] });
  });

  test('a header that does not match: missing, unexpected and reordered columns', async () => {
    let r = await runGate(C, memorySource('d.csv', 'id,when,amount,kind,extra,label\n1,2024-01-01,1,a,x,0\n2,2024-01-01,1,a,x,0\n'));
    expect(byId(r)['schema:columns'].message).toBe('the columns do not match the contract: missing column: "flag"; unexpected column: "extra"');
    expect(r.profile!.columns.flag).toBeUndefined();
    expect(r.profile!.columns.label.count).toBe(2);
    r = await runGate(C, memorySource('d.csv', 'when,id,amount,kind,flag,label\n2024-01-01,1,1,a,true,0\n2024-01-01,2,1,a,true,0\n'));
    expect(byId(r)['schema:columns'].message).toMatch(/out of order/);
    expect(r.profile!.columns.id).toMatchObject({ min: 1, max: 2 });
  });

  test('a missing column is a null in every row, quoted or not: without the key column every key repeats the first', async () => {
    const r = await runGate(C, memorySource('d.csv', 'when,amount,kind,flag,label\n2024-01-01,1,a,true,0\n2024-01-02,2,"b",true,0\n2024-01-03,3,a,true,1\n"2024-01-04",4,b,false,1\n'));
    expect(byId(r)['schema:columns'].message).toBe('the columns do not match the contract: missing column: "id"');
    expect(r.profile!.duplicateKeys).toBe(3);
    expect(r.profile!.duplicateRows).toBe(0);
  });

  test('an empty file, a header-only file and too few rows', async () => {
    let r = await runGate(C, memorySource('d.csv', ''));
    expect(r).toMatchObject({ verdict: 'error', error: { message: 'the file is empty: there is no header line' } });
    r = await runGate(C, memorySource('d.csv', '\uFEFF'));
    expect(r.verdict).toBe('error');
    r = await runGate(C, memorySource('d.csv', HEADER));
    expect(byId(r).row_count).toMatchObject({ observed: 0, limit: 2 });
  });

  test('an unterminated quote and a very long line are errors with their line', async () => {
    let r = await gate('1,2024-01-01,1,a,true,0\n2,2024-01-01,"1,a,true,0\n3,2024-01-01,1,a,true,0\n');
    expect(r).toMatchObject({ verdict: 'error', error: { location: { line: 3 } } });
    r = await runGate(C, memorySource('d.csv', HEADER + '1,2024-01-01,1,a,true,0\n' + 'x'.repeat(3000) + '\n'), { maxRecordBytes: 1024 });
    expect(r).toMatchObject({ verdict: 'error', error: { location: { line: 3 } } });
  });

  test('the result does not depend on how the bytes are chunked', async () => {
    const body = '1,2024-01-01,10.5,a,true,0\n2,"2024-01-02",,b,false,1\r\n3,2024-01-03,20,"a",1,1\n4,2024-01-04,300,b,0,9\n4,2024-01-04,300,b,0,9\n';
    const whole = await gate(body);
    for (const sizes of [[1], [3, 5], [17]]) {
      const r = await gate(body, sizes);
      expect({ ...r, seconds: 0 }).toEqual({ ...whole, seconds: 0 });
    }
    // A quoted field takes the byte-wise path; its row must count the same as an unquoted one.
    expect(whole.profile!.columns.kind.categories!.values).toEqual({ a: 2, b: 3 });
    expect(whole.profile!.duplicateRows).toBe(1);
  });

  test('the Markdown summary lists violations with examples and escapes cell text', async () => {
    const r = await gate('1,2024-01-01,150,a,true,0\n2,2024-01-01,1,"x|y",true,0\n');
    const md = renderMarkdown(r);
    expect(md).toContain('## ❌ Data gate: fail · test');
    expect(md).toContain('| `range:amount` | 1 |');
    expect(md).toContain('| 1 | 2 | amount | `150` |');
    expect(md).toContain('x\\|y');
  });
});

describe('the churn sample', () => {
  const contractJson = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'churn-contract.json'), 'utf8'));
  const sample = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sample.csv'));

  test('passes the default contract', async () => {
    const r = await runGate(parseContract(contractJson), memorySource('sample.csv', sample));
    expect(r.violations).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.rows).toBe(2000);
  });
});
