import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Contract, GateReport, Profile } from '../../pipelines/engine';
import { compareHeader } from '../../pipelines/engine/read-csv';
import { ResultRow } from '../../pipelines/engine/sql/assemble';
import { CompiledGate, compileGate } from '../../pipelines/engine/sql/compile';
import { DUCKDB, str } from '../../pipelines/engine/sql/dialect';
import { runSqlGate } from '../../pipelines/engine/sql/run-sql';

/**
 * Runs the gate's compiled SQL offline on DuckDB over a local CSV file: the same queries Athena
 * runs, in DuckDB's spelling of the few functions that differ (`dialect.ts`). Every column is read
 * as text, as the Athena gate table does.
 */
export async function sqlGateOnDuckDb(contract: Contract, csv: string, baseline?: Profile): Promise<{ report: GateReport; plan: CompiledGate }> {
  const plan = compileGate(contract, { from: duckDbCsv(contract, csv) }, DUCKDB, { baseline });
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const execute = async (sql: string) => ({ rows: textRows((await con.runAndReadAll(sql)).getRowObjectsJS()) });
    const report = await runSqlGate(contract, csv, plan, (q) => execute(q.sql), {
      baseline,
      schemaProblems: contract.format.header
        ? compareHeader(readHeader(csv, contract.format.delimiter), contract.columns.map((c) => c.name)).problems
        : [],
    });
    return { report, plan };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** A CSV file as a relation of text columns named as the contract's (by position). */
export function duckDbCsv(contract: Contract, csv: string): string {
  const f = contract.format;
  const columns = `{${contract.columns.map((c) => `${str(c.name)}: 'VARCHAR'`).join(', ')}}`;
  // No text becomes NULL on reading: the compiled SQL decides what is null, as with Athena.
  return `read_csv(${str(resolve(csv))}, header = ${f.header}, auto_detect = false, all_varchar = true, delim = ${str(f.delimiter)}, quote = '"', escape = '"', nullstr = '\u0001never\u0001', columns = ${columns})`;
}

/** Values as Athena returns them: text, or null. */
function textRows(rows: Array<Record<string, unknown>>): ResultRow[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)])));
}

function readHeader(csv: string, delimiter: string): string[] {
  const fd = openSync(csv, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    const nl = text.indexOf('\n');
    return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '').split(delimiter);
  } finally {
    closeSync(fd);
  }
}

/** The benchmark harness's dataset generator (`../shared/bench`), found beside the repository. */
export function benchGenerator(): string {
  const root = resolve(__dirname, '../..');
  const candidates = [process.env.AIDLC_BENCH_DIR, join(root, '..', 'shared', 'bench'), join(root, '..', '..', 'shared', 'bench')]
    .filter((d): d is string => !!d)
    .map((d) => join(d, 'gen-dataset.mjs'));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the benchmark harness's gen-dataset.mjs is not in ${candidates.join(' or ')}; set AIDLC_BENCH_DIR to its folder`);
  return found;
}

/** Generates a harness dataset: the CSV, its neutral contract and the ground truth. */
export function generateDataset(rows: number, options: { faults?: boolean; seed?: number } = {}): { csv: string; contract: string; truth: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aidlc-sql-'));
  const csv = join(dir, 'data.csv');
  const contract = join(dir, 'contract.json');
  const truth = join(dir, 'truth.json');
  execFileSync(process.execPath, [benchGenerator(), '--rows', String(rows), '--seed', String(options.seed ?? 42), ...(options.faults === false ? [] : ['--faults']), '--out', csv, '--contract', contract, '--truth', truth], { stdio: 'ignore' });
  return { csv, contract, truth };
}
