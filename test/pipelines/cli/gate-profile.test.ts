import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as cli } from '../../support/cli-run';

const CONTRACT = join(__dirname, '..', 'engine', 'fixtures', 'churn-contract.json');
const SAMPLE = join(__dirname, '..', '..', 'fixtures', 'sample.csv');

describe('aidlc profile and aidlc gate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aidlc-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('profile writes a baseline; the sample passes the gate against it; report and summary are written', async () => {
    const profile = join(dir, 'baselines', 'profile.json'); // a folder that does not exist yet
    const p = await cli('profile', '--contract', CONTRACT, '--data', SAMPLE, '--out', profile);
    expect(p).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(readFileSync(profile, 'utf8'))).toMatchObject({ format: 'aidlc-profile', rows: 2000 });

    const report = join(dir, 'gate', 'out', 'report.json');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const g = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--baseline', profile, '--report', report, '--summary', summary);
    expect(g.code).toBe(0);
    expect(g.out).toMatch(/^gate pass: churn .* 2,000 rows, 0 violations/);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ verdict: 'pass', drift: { drifted: [] } });
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## ✅ Data gate: pass')).toBe(true);
  });

  test('gate --profile-out writes the same profile as aidlc profile, in the same read', async () => {
    const viaProfile = join(dir, 'via-profile.json');
    const viaGate = join(dir, 'nested', 'via-gate.json');
    expect((await cli('profile', '--contract', CONTRACT, '--data', SAMPLE, '--out', viaProfile)).code).toBe(0);
    expect((await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--profile-out', viaGate)).code).toBe(0);
    expect(readFileSync(viaGate, 'utf8')).toBe(readFileSync(viaProfile, 'utf8'));
  });

  test('violations exit 1 and name the first example', async () => {
    const data = join(dir, 'bad.csv');
    const lines = readFileSync(SAMPLE, 'utf8').split('\n');
    lines[5] = lines[5].replace(/^(\d+),([^,]+),(\d+),/, '$1,$2,150,');
    writeFileSync(data, lines.join('\n'));
    const g = await cli('gate', '--contract', CONTRACT, '--data', data, '--json');
    expect(g.code).toBe(1);
    const report = JSON.parse(g.out);
    expect(report.violations.map((v: { id: string }) => v.id)).toEqual(['range:age']);
    expect(report.violations[0].examples[0]).toMatchObject({ row: 5, line: 6, column: 'age', value: '150' });
  });

  test('unreadable data, a bad contract, a bad baseline and bad options exit 2', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    let r = await cli('gate', '--contract', CONTRACT, '--data', empty);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the file is empty/);
    r = await cli('gate', '--contract', CONTRACT, '--data', join(dir, 'missing.csv'));
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/no such file/) });
    const badContract = join(dir, 'contract.json');
    writeFileSync(badContract, JSON.stringify({ version: 1, dataset: 'x', columns: [{ name: 'a', type: 'decimal' }], target: 'b' }));
    r = await cli('gate', '--contract', badContract, '--data', SAMPLE);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/columns\[0\]\.type: must be one of int, float, string, bool, timestamp/);
    expect(r.err).toMatch(/target: "b" is not a column/);
    r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--baseline', CONTRACT);
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/is not an aidlc profile/) });
    r = await cli('gate', '--contract', CONTRACT);
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/--data = \(not set\): is required/) });
    r = await cli('gate', '--contract', CONTRACT, '--data', SAMPLE, '--colour');
    expect(r.code).toBe(2);
    r = await cli('profile', '--contract', CONTRACT, '--data', empty, '--out', join(dir, 'p.json'));
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/--data = ".*empty.csv": cannot be read \(the file is empty.*\). Fix: /) });
  });

  test('profile of data that breaks the contract is written but exits 1', async () => {
    const data = join(dir, 'dupes.csv');
    const text = readFileSync(SAMPLE, 'utf8');
    writeFileSync(data, text + text.split('\n')[1] + '\n');
    const r = await cli('profile', '--contract', CONTRACT, '--data', data, '--out', join(dir, 'dupes-profile.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/duplicate_rows/);
  });

  test('help lists both commands', async () => {
    const r = await cli('--help');
    expect(r.out).toMatch(/gate +Check a dataset/);
    expect(r.out).toMatch(/profile +Profile a dataset/);
  });
});
