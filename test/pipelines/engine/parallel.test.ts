import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { prng } from '../../support/data-sources';

/**
 * Threads exist only in the bundled engine, so this builds the CLI bundle and runs it on files
 * big enough (over 8 MiB) to be cut into ranges, comparing every figure with a one-thread read.
 */
describe('reading one CSV file with several threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aidlc-parallel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = join(dir, 'aidlc.js');
  const contract = join(dir, 'contract.json');

  beforeAll(() => {
    buildSync({ entryPoints: [join(__dirname, '..', '..', '..', 'pipelines', 'cli', 'main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: cli, logLevel: 'error' });
    writeFileSync(contract, JSON.stringify({
      version: 1,
      dataset: 'p',
      format: { type: 'csv', delimiter: ',', header: true, nullValues: [''] },
      columns: [
        { name: 'id', type: 'int', nullable: false },
        { name: 'x', type: 'float', nullable: true, maxNullRatio: 0.5, min: 0, max: 90 },
        { name: 'note', type: 'string', nullable: true },
        { name: 'kind', type: 'string', nullable: false, allowed: ['a', 'b', 'c'] },
      ],
      key: ['id'],
      target: 'kind',
      minRows: 1,
      maxDuplicateRows: 0,
      drift: { psiThreshold: 0.2, ksThreshold: 0.1, bins: 10, epsilon: 0.0001 },
    }));
  });

  /** ~10 MB of rows with repeated rows and keys far apart (in different ranges), quotes, nulls and bad values. */
  function rows(bigFieldAt = -1): string[] {
    const rand = prng(21);
    const lines = ['id,x,note,kind'];
    for (let i = 0; i < 110000; i++) {
      let line = `${i},${rand() < 0.1 ? '' : (rand() * 100).toFixed(3)},${rand() < 0.05 ? '"quoted, with comma"' : `note ${i % 97} ${'-'.repeat(60)}`},${'abcd'[Math.floor(rand() * 4)]}`;
      if (i % 25000 === 7) line = lines[2];
      if (i % 30000 === 11) line = `${i - 20000},1,x,a`;
      if (i === bigFieldAt) line = `${i},1,"${'many\nlines\n'.repeat(20000)}",a`;
      lines.push(line);
    }
    return lines;
  }

  function write(name: string, lines: string[]): { file: string; text: string } {
    const text = lines.join('\n') + '\n';
    const file = join(dir, name);
    writeFileSync(file, text);
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    return { file, text };
  }

  function gate(file: string, threads: number): any {
    const report = join(dir, `report-${threads}.json`);
    try {
      // Ranges of 1 MiB, so these 10 MB files are read by every thread asked for.
      const env = { ...process.env, AIDLC_GATE_BYTES_PER_THREAD: String(1024 * 1024) };
      execFileSync(process.execPath, [cli, 'gate', '--contract', contract, '--data', file, '--threads', String(threads), '--report', report], { stdio: 'pipe', env });
    } catch (e) {
      if ((e as { status: number }).status !== 1) throw e;
    }
    return { ...JSON.parse(readFileSync(report, 'utf8')), seconds: 0 };
  }

  test('three threads count exactly what one thread counts, duplicates across ranges included', () => {
    const lines = rows();
    const { file } = write('data.csv', lines);
    const one = gate(file, 1);
    const three = gate(file, 3);
    const data = lines.slice(1);
    const truth = { rows: data.length, duplicateRows: data.length - new Set(data).size, duplicateKeys: data.length - new Set(data.map((l) => l.split(',')[0])).size };
    expect(truth.duplicateRows).toBe(5);
    for (const r of [one, three]) {
      expect({ rows: r.profile.rows, duplicateRows: r.profile.duplicateRows, duplicateKeys: r.profile.duplicateKeys }).toEqual(truth);
    }
    // A row that repeats a row of an earlier range is counted but has no example; everything else is identical.
    const withoutRepeatExamples = (r: any) => ({ ...r, violations: r.violations.map((v: any) => (v.id === 'duplicate_rows' || v.id === 'unique:id' ? { ...v, examples: [] } : v)) });
    expect(withoutRepeatExamples(three)).toEqual(withoutRepeatExamples(one));
    for (const v of three.violations.filter((x: any) => x.id === 'duplicate_rows')) {
      for (const e of v.examples) expect(data.indexOf(data[e.row - 1])).toBeLessThan(e.row - 1);
    }
  }, 180000);

  test('a cut inside a quoted field with line breaks falls back to one thread, with the same result', () => {
    // Put the multi-line field where the two-thread cut lands.
    let at = 50000;
    for (let round = 0; round < 3; round++) {
      const lines = rows(at);
      const text = lines.join('\n') + '\n';
      const header = lines[0].length + 1;
      const middle = header + Math.floor((text.length - header) / 2);
      const start = lines.slice(0, at + 1).join('\n').length + 1;
      const end = start + lines[at + 1].length;
      if (start < middle && middle < end) break;
      at += Math.round((middle - (start + end) / 2) / 95);
    }
    const lines = rows(at);
    const { file, text } = write('quoted.csv', lines);
    const header = lines[0].length + 1;
    const middle = header + Math.floor((text.length - header) / 2);
    const start = lines.slice(0, at + 1).join('\n').length + 1;
    expect(start < middle && middle < start + lines[at + 1].length).toBe(true);
    expect(gate(file, 2)).toEqual(gate(file, 1));
  }, 180000);
});
