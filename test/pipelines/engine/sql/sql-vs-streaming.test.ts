import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ColumnProfile, GateReport, fileSource, loadContract, loadProfile, runGate } from '../../../../pipelines/engine';
import { sqlGateOnDuckDb, generateDataset } from '../../../support/duckdb-sql-gate';

const NEUTRAL = join(__dirname, '../../../../bench/neutral-contract.mjs');

/** The harness's dataset with the engine's contract and baseline. */
function dataset(rows: number, options: { faults?: boolean; seed?: number } = {}) {
  const files = generateDataset(rows, options);
  const contract = files.csv.replace(/data\.csv$/, 'engine-contract.json');
  const baseline = files.csv.replace(/data\.csv$/, 'baseline.json');
  execFileSync(process.execPath, [NEUTRAL, files.contract, contract, baseline]);
  return { ...files, contract: loadContract(contract), baseline: loadProfile(baseline), truth: JSON.parse(readFileSync(files.truth, 'utf8')) };
}

/** Everything of a report the two engines must agree on: all but examples' locations and estimates. */
function comparable(r: GateReport) {
  return {
    verdict: r.verdict,
    rows: r.rows,
    violations: r.violations.map(({ examples, ...v }) => v),
    drift: r.drift,
    profile: {
      ...r.profile!,
      columns: Object.fromEntries(Object.entries(r.profile!.columns).map(([name, c]) => [name, counts(c)])),
    },
  };
}

/** A column profile without the distinct estimate and with the mean rounded (summation order). */
function counts(c: ColumnProfile) {
  const { distinct, mean, ...rest } = c;
  return { ...rest, ...(c.distinctExact ? { distinct } : {}), ...(mean !== undefined ? { mean: Number(mean.toPrecision(12)) } : {}) };
}

describe('the compiled SQL on DuckDB gives the streaming engine\'s report', () => {
  test('50,000 rows with the harness\'s faults: every count, violation, profile and drift score', async () => {
    const d = dataset(50_000);
    const streaming = await runGate(d.contract, fileSource(d.csv), { baseline: d.baseline });
    const { report: sql } = await sqlGateOnDuckDb(d.contract, d.csv, d.baseline);
    expect(comparable(sql)).toEqual(comparable(streaming));
    // And both match the generator's ground truth.
    expect(sql.violations.map((v) => v.id).sort()).toEqual([...d.truth.violations].sort());
    expect(sql.profile!.duplicateRows).toBe(d.truth.counts.duplicate_rows);
    expect(sql.profile!.duplicateKeys).toBe(d.truth.counts.duplicate_keys);
  });
});
