import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * hyparquet is an ES module that jest's CommonJS runtime cannot load, so Parquet is tested
 * through the bundled CLI, the way it runs in the chain. Fixtures: the churn sample written by
 * DuckDB (snappy), whole and with a column dropped and one added.
 */
describe('Parquet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aidlc-parquet-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = join(dir, 'aidlc.js');
  const fixtures = join(__dirname, 'fixtures');
  const contract = join(fixtures, 'churn-contract.json');

  beforeAll(() => {
    buildSync({ entryPoints: [join(__dirname, '..', '..', '..', 'pipelines', 'cli', 'main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: cli, logLevel: 'error' });
  });

  function gate(data: string): { code: number; report: any; err: string } {
    const report = join(dir, 'report.json');
    try {
      execFileSync(process.execPath, [cli, 'gate', '--contract', contract, '--data', data, '--report', report], { stdio: 'pipe' });
      return { code: 0, report: JSON.parse(readFileSync(report, 'utf8')), err: '' };
    } catch (e) {
      const x = e as { status: number; stderr: Buffer };
      return { code: x.status, report: JSON.parse(readFileSync(report, 'utf8')), err: x.stderr.toString() };
    }
  }

  test('the sample as Parquet passes with the same profile as the CSV', () => {
    const pq = gate(join(fixtures, 'sample.parquet'));
    const csv = gate(join(__dirname, '..', '..', 'fixtures', 'sample.csv'));
    expect(pq.code).toBe(0);
    expect(pq.report.profile).toEqual(csv.report.profile);
  }, 60000);

  test('missing and unexpected columns are schema violations; the other columns are still checked', () => {
    const r = gate(join(fixtures, 'sample-no-age.parquet'));
    expect(r.code).toBe(1);
    expect(r.report.violations.map((v: any) => v.id)).toEqual(['schema:columns', 'row_count']);
    expect(r.report.violations[0].message).toBe('the columns do not match the contract: missing column: "age"; unexpected column: "region"');
    expect(r.report.profile.rows).toBe(200);
    expect(r.report.profile.columns.age).toBeUndefined();
    expect(r.report.profile.columns.signup_date.earliest).toMatch(/^20\d\d-\d\d-\d\dT00:00:00Z$/);
  }, 60000);

  test('a truncated file is unusable input (exit 2) with the reason', () => {
    const bytes = readFileSync(join(fixtures, 'sample.parquet'));
    const broken = join(dir, 'broken.parquet');
    writeFileSync(broken, bytes.subarray(0, bytes.length - 100));
    const r = gate(broken);
    expect(r.code).toBe(2);
    expect(r.report).toMatchObject({ verdict: 'error', error: { message: expect.stringMatching(/^not a readable Parquet file/) } });
  }, 60000);
});
