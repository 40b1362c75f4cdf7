// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import type { AthenaClient } from '@aws-sdk/client-athena';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import type { S3Client } from '@aws-sdk/client-s3';
import { Contract } from '../contract';
import { CsvParser } from '../csv';
import { InputError } from '../errors';
import { Profile } from '../profile';
import { compareHeader } from '../read-csv';
import { GateReport, errorReport } from '../report';
import { parseS3Url } from '../sources';
import { ResultRow } from './assemble';
import { CompiledGate, SqlRelation, compileGate, tableName } from './compile';
import { athenaCost } from './cost';
import { TRINO, ident, str } from './dialect';
import { QueryOutcome, runSqlGate } from './run-sql';

/**
 * The data gate on Athena: the compiled queries run in a workgroup (which sets the encrypted
 * result location and the bytes-scanned limit) against the gate's Glue table, which reads every
 * column as text. The dataset is one partition of that table (partition projection: the
 * partition key is not a contract column and is left out of every check), optionally narrowed to
 * one object with `"$path"`.
 */
export interface AthenaTarget {
  readonly workgroup: string;
  readonly database: string;
  readonly table: string;
  /** @default "AwsDataCatalog" */
  readonly catalog?: string;
  /** Partition key values that select the dataset, e.g. `{ dataset: "2026-12" }`. @default the whole table */
  readonly partition?: Record<string, string>;
  /** Only this object's rows (`s3://bucket/key`). @default every object of the partition */
  readonly object?: string;
}

export interface AthenaGateOptions {
  readonly baseline?: Profile;
  readonly client?: AthenaClient;
  /** Reads the header of `target.object` for the schema check. @default a client for the environment */
  readonly s3?: S3Client;
  /** Longest the queries may take together before they are stopped. @default 14 minutes */
  readonly timeoutMs?: number;
  /** First wait between status polls; it doubles up to 5 s. @default 500 */
  readonly pollMs?: number;
  /** The name the report gives the dataset. @default the object, else the table and partition */
  readonly source?: string;
}

/** A query Athena refused or could not finish (bytes-scanned limit, bad data, syntax). */
export class AthenaQueryError extends Error {
  constructor(message: string, readonly queryExecutionId?: string) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

/** The relation of the gate table restricted to the dataset. */
export function athenaRelation(target: AthenaTarget): SqlRelation {
  const where = [
    ...Object.entries(target.partition ?? {}).map(([k, v]) => `${ident(k.toLowerCase())} = ${str(v)}`),
    ...(target.object ? [`"$path" = ${str(target.object)}`] : []),
  ];
  return { from: tableName(target.database, target.table), ...(where.length ? { where: where.join(' AND ') } : {}) };
}

/** The queries the gate would run on Athena (what `aidlc gate --engine athena --dry-run` prints). */
export function compileAthenaGate(contract: Contract, target: AthenaTarget, baseline?: Profile): CompiledGate {
  return compileGate(contract, athenaRelation(target), TRINO, { baseline });
}

/**
 * Checks a dataset on Athena and reports like the streaming engine, with the bytes scanned and
 * their estimated cost. A query Athena refuses or cannot finish (the workgroup's bytes-scanned
 * limit, unreadable data) gives a report with verdict `error`; AWS errors (throttling, access)
 * are thrown, so the caller retries.
 */
export async function runAthenaGate(contract: Contract, target: AthenaTarget, options: AthenaGateOptions = {}): Promise<GateReport> {
  const t0 = performance.now();
  const source = options.source ?? target.object ?? `${target.database}.${target.table}${target.partition ? ` (${Object.entries(target.partition).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`;
  const plan = compileAthenaGate(contract, target, options.baseline);
  const athena = options.client ?? new (await import('@aws-sdk/client-athena')).AthenaClient({});
  const deadline = Date.now() + (options.timeoutMs ?? 14 * 60_000);
  try {
    const schemaProblems = target.object && contract.format.type === 'csv' && contract.format.header
      ? await headerProblems(contract, target.object, options.s3)
      : [];
    return await runSqlGate(contract, source, plan, (q) => runQuery(athena, target, q.sql, deadline, options.pollMs ?? 500), {
      baseline: options.baseline,
      schemaProblems,
      cost: athenaCost,
    });
  } catch (e) {
    if (e instanceof AthenaQueryError || e instanceof InputError) {
      return errorReport(contract.dataset, source, e.message, {}, (performance.now() - t0) / 1000);
    }
    throw e;
  }
}

/** Runs one query to the end and reads all its result rows. */
async function runQuery(athena: AthenaClient, target: AthenaTarget, sql: string, deadline: number, pollMs: number): Promise<QueryOutcome> {
  const { StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand, StopQueryExecutionCommand } = await import('@aws-sdk/client-athena');
  const started = await athena.send(new StartQueryExecutionCommand({
    QueryString: sql,
    WorkGroup: target.workgroup,
    QueryExecutionContext: { Database: target.database, Catalog: target.catalog ?? 'AwsDataCatalog' },
  }));
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena returned no query execution id');
  let wait = pollMs;
  for (;;) {
    const { QueryExecution: qe } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = qe?.Status?.State;
    if (state === 'SUCCEEDED') {
      const rows = await readResults(athena, id, GetQueryResultsCommand);
      return { rows, id, bytesScanned: qe?.Statistics?.DataScannedInBytes ?? 0 };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = qe?.Status?.StateChangeReason ?? qe?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
      throw new AthenaQueryError(`Athena query ${id} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${reason}`, id);
    }
    if (Date.now() + wait > deadline) {
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new AthenaQueryError(`Athena query ${id} did not finish in time and was stopped`, id);
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 5000);
  }
}

type ResultsCommand = typeof import('@aws-sdk/client-athena').GetQueryResultsCommand;

/** Every result row as column name to text; the first row of the first page is the header. */
async function readResults(athena: AthenaClient, id: string, Command: ResultsCommand): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  let names: string[] | undefined;
  let token: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new Command({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
    names ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const rows = page.ResultSet?.Rows ?? [];
    rows.forEach((r, k) => {
      if (first && k === 0) return; // the column names
      const rec: ResultRow = {};
      (r.Data ?? []).forEach((d, j) => { rec[names![j]] = d.VarCharValue ?? null; });
      out.push(rec);
    });
    first = false;
    token = page.NextToken;
  } while (token);
  return out;
}

/** The schema check of one CSV object: its header (first 64 KB) against the contract. */
async function headerProblems(contract: Contract, object: string, client?: S3Client): Promise<string[]> {
  const loc = parseS3Url(object);
  if (!loc) throw new InputError(`${object}: not an s3://bucket/key URL`);
  const { GetObjectCommand, S3Client: Client } = await import('@aws-sdk/client-s3');
  const s3 = client ?? new Client({});
  let bytes: Uint8Array;
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: 'bytes=0-65535' }));
    bytes = await r.Body!.transformToByteArray();
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'NoSuchKey' || name === 'NotFound') throw new InputError(`${object}: no such object`);
    throw e;
  }
  let header: string[] | undefined;
  const parser = new CsvParser((p) => {
    if (header) return;
    header = [];
    for (let i = 0; i < Math.min(p.count, p.starts.length); i++) header.push(p.fieldText(i));
  }, { delimiter: contract.format.delimiter.charCodeAt(0) });
  const buf = Buffer.from(bytes);
  const lf = buf.indexOf(10);
  parser.push(lf >= 0 ? buf.subarray(0, lf + 1) : buf);
  if (lf < 0) parser.end();
  if (!header) throw new InputError(`${object}: the file is empty: there is no header line`);
  return compareHeader(header, contract.columns.map((c) => c.name)).problems;
}
