import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Contract, ContractError, GateReport, Profile, ProfileFormatError, describeLocation, loadContract, loadProfile, openSource, parseS3Url, renderMarkdown, runGate } from '../../engine';
import { AthenaTarget, compileAthenaGate, runAthenaGate } from '../../engine/sql/athena';
import { formatBytes } from '../../engine/sql/cost';
import { DEFAULT_ATHENA_THRESHOLD_BYTES, GATE_ENGINES, GateEngineName, chooseEngine } from '../../engine/sql/engine-choice';
import { CliCommand, EXIT, UsageError } from '../command';
import { writeOutput } from '../output';

const USAGE = `Usage: aidlc gate --contract FILE --data FILE|s3://BUCKET/KEY [options]

Checks a dataset against the data contract and, with a baseline, for drift.

Options:
  --contract FILE     the data contract (data/contract.json)
  --data LOCATION     a CSV, JSON Lines or Parquet file (optionally .gz), or s3://bucket/key
  --baseline FILE     a profile from "aidlc profile" to score drift against
  --report FILE       write the JSON report here
  --summary FILE      append a Markdown summary here (e.g. "$GITHUB_STEP_SUMMARY")
  --profile-out FILE  also write the dataset's profile (what "aidlc profile" writes): one read
                      of the data gates it and makes the baseline
  --format FORMAT     csv, jsonl or parquet (default: from the file name, else the contract)
  --threads N         most threads for a local CSV file, one per 64 MiB of it (default: the
                      CPUs, at most 4; $AIDLC_GATE_BYTES_PER_THREAD sets the 64 MiB)
  --json              print the JSON report on stdout instead of the text summary

Engines:
  --engine ENGINE     streaming (this process reads the data), athena (SQL where the data
                      lives) or auto (athena from --athena-threshold-gb on); default
                      $AIDLC_GATE_ENGINE, else streaming
  --athena-threshold-gb N   size from which auto uses Athena (default
                      $AIDLC_GATE_ATHENA_THRESHOLD_GB, else 5)
  --workgroup NAME    Athena workgroup (default $AIDLC_ATHENA_WORKGROUP)
  --database NAME     Glue database of the gate table (default $AIDLC_GLUE_DATABASE)
  --table NAME        the gate table, every column as text (default $AIDLC_GATE_TABLE)
  --partition K=V     partition of the gate table that holds the dataset (repeatable); the
                      data stack's table: upload_folder=<folder of the upload under the raw prefix>
  --dry-run           print the SQL the athena engine would run, and stop

With athena, --data is an s3:// object (only its rows are read) or folder URL.

Exit codes: 0 pass, 1 violations, 2 unusable input or usage.`;

export const gateCommand: CliCommand = {
  name: 'gate',
  summary: 'Check a dataset against the data contract (and drift against a baseline)',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const o = parseOptions(argv, {
      'contract': { type: 'string' },
      'data': { type: 'string' },
      'baseline': { type: 'string' },
      'report': { type: 'string' },
      'summary': { type: 'string' },
      'profile-out': { type: 'string' },
      'format': { type: 'string' },
      'threads': { type: 'string' },
      'json': { type: 'boolean' },
      'engine': { type: 'string' },
      'athena-threshold-gb': { type: 'string' },
      'workgroup': { type: 'string' },
      'database': { type: 'string' },
      'table': { type: 'string' },
      'partition': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
    });
    const contract = asUsage(() => loadContract(required(o, 'contract')));
    const data = required(o, 'data');
    const format = formatOption(o.format);
    const baseline = typeof o.baseline === 'string' ? asUsage(() => loadProfile(o.baseline as string)) : undefined;
    const threads = threadsOption(o.threads);
    const requested = engineOption(o.engine ?? process.env.AIDLC_GATE_ENGINE);
    const threshold = thresholdOption(o['athena-threshold-gb'] ?? process.env.AIDLC_GATE_ATHENA_THRESHOLD_GB);
    const engine = requested === 'auto' ? chooseEngine('auto', await sizeOf(data), threshold) : requested;
    if (o['dry-run']) {
      if (engine !== 'athena') throw new UsageError(`--dry-run prints the SQL of the athena engine; this run would use the ${engine} engine`);
      process.stdout.write(athenaSql(contract, athenaTarget(o, data, true), baseline, data));
      return EXIT.OK;
    }
    const report = engine === 'athena'
      ? await runAthenaGate(contract, athenaTarget(o, data, false), { baseline, source: data })
      : await runGate(contract, openSource(data), { baseline, format, threads, bytesPerThread: bytesPerThreadOption() });
    if (typeof o.report === 'string') writeOutput(o.report, JSON.stringify(report, null, 2) + '\n');
    // Appended: $GITHUB_STEP_SUMMARY collects every step's summary.
    if (typeof o.summary === 'string') writeOutput(o.summary, renderMarkdown(report) + '\n', { append: true });
    const profileOut = o['profile-out'];
    if (typeof profileOut === 'string' && report.profile) writeOutput(profileOut, JSON.stringify(report.profile, null, 2) + '\n');
    if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
    else process.stdout.write(textSummary(report));
    if (report.verdict === 'error') {
      process.stderr.write(`aidlc gate: cannot read ${data}: ${report.error!.message}\n`);
      return EXIT.USAGE;
    }
    return report.verdict === 'pass' ? EXIT.OK : EXIT.VERDICT;
  },
};

/** A few lines for a terminal or a CI log. */
export function textSummary(r: GateReport): string {
  const lines = [`gate ${r.verdict}: ${r.dataset} (${r.source}), ${r.rows.toLocaleString('en-US')} rows, ${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}, ${r.seconds.toFixed(2)} s`];
  for (const v of r.violations) {
    lines.push(`  ${v.id}: ${v.message}`);
    const e = v.examples[0];
    if (e) lines.push(`    e.g. ${describeLocation({ line: e.line, row: e.row, column: e.column })}${e.message}`);
  }
  if (r.cost) {
    lines.push(`  athena: ${formatBytes(r.cost.bytesScanned)} scanned in ${r.cost.queries.length} quer${r.cost.queries.length === 1 ? 'y' : 'ies'}, about $${r.cost.estimatedUsd.toFixed(4)} at $${r.cost.usdPerTb}/TB`);
  }
  if (r.drift) {
    for (const [name, d] of Object.entries(r.drift.columns)) {
      lines.push(`  drift ${name}: PSI ${d.psi.toFixed(4)}${d.ks === undefined ? '' : `, KS ${d.ks.toFixed(4)}`}${d.drifted ? ' (drifted)' : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** `parseArgs` in strict mode, with its errors turned into usage errors (exit code 2). */
export function parseOptions<T extends Options>(argv: string[], options: T): Record<keyof T, string | boolean | undefined> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return values as unknown as Record<keyof T, string | boolean | undefined>;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** A required string option. */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`--${name} is required`);
  return v;
}

/** Runs `fn`, turning unreadable contracts and profiles into usage errors (exit code 2). */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ContractError || e instanceof ProfileFormatError) throw new UsageError(e.message);
    throw e;
  }
}

/** Bytes of file per thread from $AIDLC_GATE_BYTES_PER_THREAD, checked (undefined: the engine's 64 MiB). */
export function bytesPerThreadOption(v: string | undefined = process.env.AIDLC_GATE_BYTES_PER_THREAD): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1024 * 1024) throw new UsageError(`AIDLC_GATE_BYTES_PER_THREAD must be a whole number of bytes, at least 1048576, got "${v}"`);
  return n;
}

/** The `--threads` option, checked; by default the CPUs, at most 4. */
export function threadsOption(v: unknown): number {
  if (v === undefined) return Math.max(1, Math.min(availableParallelism(), 4));
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads must be a whole number from 1 to 64, got "${String(v)}"`);
  return n;
}

/** The `--engine` option (or its environment variable), checked. */
export function engineOption(v: unknown): GateEngineName {
  if (v === undefined || v === '') return 'streaming';
  const e = String(v).toLowerCase();
  if ((GATE_ENGINES as readonly string[]).includes(e)) return e as GateEngineName;
  throw new UsageError(`--engine must be streaming, athena or auto, got "${String(v)}"`);
}

/** The `--athena-threshold-gb` option (or its environment variable) in bytes. */
function thresholdOption(v: unknown): number {
  if (v === undefined || v === '') return DEFAULT_ATHENA_THRESHOLD_BYTES;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--athena-threshold-gb must be a number of GiB (0 or more), got "${String(v)}"`);
  return n * 1024 ** 3;
}

/** Where the athena engine reads the dataset, from the options and the environment. */
function athenaTarget(o: Record<string, unknown>, data: string, dryRun: boolean): AthenaTarget {
  const pick = (name: string, env: string): string => {
    const v = o[name] ?? process.env[env];
    if (typeof v === 'string' && v.length > 0) return v;
    if (dryRun && name === 'workgroup') return '';
    throw new UsageError(`the athena engine needs --${name} (or ${env})`);
  };
  const s3 = parseS3Url(data);
  if (!s3 && !dryRun) throw new UsageError(`the athena engine reads data in S3: --data must be an s3:// URL, got "${data}"`);
  const partition: Record<string, string> = {};
  for (const p of (o.partition as string[] | undefined) ?? []) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new UsageError(`--partition must be KEY=VALUE, got "${p}"`);
    partition[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return {
    workgroup: pick('workgroup', 'AIDLC_ATHENA_WORKGROUP'),
    database: pick('database', 'AIDLC_GLUE_DATABASE'),
    table: pick('table', 'AIDLC_GATE_TABLE'),
    ...(Object.keys(partition).length ? { partition } : {}),
    ...(s3 && !data.endsWith('/') ? { object: data } : {}),
  };
}

/** The queries of the athena engine as a SQL script. */
function athenaSql(contract: Contract, target: AthenaTarget, baseline: Profile | undefined, data: string): string {
  const plan = compileAthenaGate(contract, target, baseline);
  const head = [`-- aidlc gate: the Athena queries for ${data}`, `-- table ${target.database}.${target.table}${target.workgroup ? `, workgroup ${target.workgroup}` : ''}; ${plan.queries.length} scans of the dataset`];
  return [...head, ...plan.queries.map((q, i) => `\n-- ${i + 1}/${plan.queries.length}: ${q.name}\n${q.sql};`)].join('\n') + '\n';
}

/** Bytes of a local file or an S3 object or folder (undefined when unknown). */
async function sizeOf(data: string): Promise<number | undefined> {
  const s3 = parseS3Url(data);
  if (!s3) {
    try {
      return statSync(data).size;
    } catch {
      return undefined; // the streaming engine reports why it cannot be read
    }
  }
  const { S3Client, HeadObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = new S3Client({});
  if (!data.endsWith('/')) {
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: s3.key }));
    return Number(head.ContentLength ?? 0);
  }
  let total = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.key, ...(token ? { ContinuationToken: token } : {}) }));
    for (const obj of page.Contents ?? []) total += Number(obj.Size ?? 0);
    token = page.NextContinuationToken;
  } while (token);
  return total;
}

/** The `--format` option, checked. */
export function formatOption(v: unknown): 'csv' | 'jsonl' | 'parquet' | undefined {
  if (v === undefined) return undefined;
  if (v === 'csv' || v === 'jsonl' || v === 'parquet') return v;
  throw new UsageError(`--format must be csv, jsonl or parquet, got "${String(v)}"`);
}
