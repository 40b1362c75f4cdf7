import { Contract } from '../contract';
import { Profile } from '../profile';
import { GateReport, ScanCost } from '../report';
import { gateResult } from '../run';
import { QueryResults, ResultRow, assembleProfile } from './assemble';
import { CompiledGate, CompiledQuery } from './compile';

/** What running one compiled query gave. */
export interface QueryOutcome {
  readonly rows: ResultRow[];
  /** Bytes the engine read for it (Athena's DataScannedInBytes). */
  readonly bytesScanned?: number;
  /** The engine's id of the query (Athena's QueryExecutionId). */
  readonly id?: string;
}

/** Runs one query (Athena, or DuckDB offline). */
export type QueryExecutor = (query: CompiledQuery) => Promise<QueryOutcome>;

export interface SqlGateOptions {
  readonly baseline?: Profile;
  /** Problems of the dataset's header (checked outside SQL). */
  readonly schemaProblems?: string[];
  /** Turns the scanned bytes into the report's cost section. */
  readonly cost?: (queries: Array<{ name: string; id?: string; bytesScanned: number }>) => ScanCost;
}

/**
 * The data gate through SQL: runs the compiled queries one after the other, builds the profile
 * from their results and makes the report with the streaming engine's checks and drift code.
 */
export async function runSqlGate(
  contract: Contract, source: string, plan: CompiledGate, execute: QueryExecutor, options: SqlGateOptions = {},
): Promise<GateReport> {
  const t0 = performance.now();
  const results: Record<string, ResultRow[]> = {};
  const scanned: Array<{ name: string; id?: string; bytesScanned: number }> = [];
  for (const q of plan.queries) {
    const outcome = await execute(q);
    results[q.name] = outcome.rows;
    scanned.push({ name: q.name, ...(outcome.id ? { id: outcome.id } : {}), bytesScanned: outcome.bytesScanned ?? 0 });
  }
  const result = assembleProfile(contract, plan, results as unknown as QueryResults, {
    baseline: options.baseline,
    schemaProblems: options.schemaProblems,
  });
  const report = gateResult(contract, source, result, options.baseline, (performance.now() - t0) / 1000);
  return options.cost ? { ...report, cost: options.cost(scanned) } : report;
}
