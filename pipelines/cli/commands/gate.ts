import { statSync } from 'node:fs';
import { Contract, GateReport, Profile, describeLocation, loadProfile, openSource, parseS3Url, renderMarkdown, runGate } from '../../engine';
import { AthenaTarget, compileAthenaGate, runAthenaGate } from '../../engine/sql/athena';
import { formatBytes } from '../../engine/sql/cost';
import { chooseEngine } from '../../engine/sql/engine-choice';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';
import { DATASET_FLAGS, Environment, athenaThresholdFlag, bytesPerThread, contractFlag, engineFlag, formatFlag, readable, threadsFlag } from './gate-options';

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

/** `aidlc gate`. */
export function createGateCommand(io: CliIo = PROCESS_IO, env: Environment = process.env): CliCommand {
  return {
    name: 'gate',
    summary: 'Check a dataset against the data contract (and drift against a baseline)',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, {
        ...DATASET_FLAGS,
        'baseline': 'string',
        'report': 'string',
        'summary': 'string',
        'profile-out': 'string',
        'json': 'boolean',
        'engine': 'string',
        'athena-threshold-gb': 'string',
        'workgroup': 'string',
        'database': 'string',
        'table': 'string',
        'partition': 'list',
        'dry-run': 'boolean',
      });
      const contract = contractFlag(flags);
      const data = flags.required('data');
      const format = formatFlag(flags);
      const baselineFile = flags.string('baseline');
      const baseline = baselineFile === undefined ? undefined : readable(() => loadProfile(baselineFile));
      const threads = threadsFlag(flags);
      const requested = engineFlag(flags, env);
      const threshold = athenaThresholdFlag(flags, env);
      const engine = requested === 'auto' ? chooseEngine('auto', await sizeOf(data), threshold) : requested;
      if (flags.boolean('dry-run')) {
        if (engine !== 'athena') {
          throw new UsageError({ path: '--dry-run', value: true, message: `prints the SQL of the athena engine, and this run would use the ${engine} engine`, fix: 'add --engine athena' });
        }
        io.out(athenaSql(contract, athenaTarget(flags, env, data, true), baseline, data));
        return EXIT.OK;
      }
      const report = engine === 'athena'
        ? await runAthenaGate(contract, athenaTarget(flags, env, data, false), { baseline, source: data })
        : await runGate(contract, openSource(data), { baseline, format, threads, bytesPerThread: bytesPerThread(env) });
      const reportFile = flags.string('report');
      if (reportFile) io.writeText(reportFile, JSON.stringify(report, null, 2) + '\n');
      // Appended: $GITHUB_STEP_SUMMARY collects every step's summary.
      const summaryFile = flags.string('summary');
      if (summaryFile) io.append(summaryFile, renderMarkdown(report) + '\n');
      const profileOut = flags.string('profile-out');
      if (profileOut && report.profile) io.writeText(profileOut, JSON.stringify(report.profile, null, 2) + '\n');
      io.out(flags.boolean('json') ? JSON.stringify(report) : textSummary(report));
      if (report.verdict === 'error') {
        io.err(`aidlc gate: cannot read ${data}: ${report.error!.message}`);
        return EXIT.USAGE;
      }
      return report.verdict === 'pass' ? EXIT.OK : EXIT.VERDICT;
    },
  };
}

export const gateCommand = createGateCommand();

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
  return lines.join('\n');
}

/** Where the athena engine reads the dataset, from the options and the environment. */
function athenaTarget(flags: Flags, env: Environment, data: string, dryRun: boolean): AthenaTarget {
  const pick = (name: string, variable: string): string => {
    const v = flags.string(name) ?? env[variable];
    if (v !== undefined && v.length > 0) return v;
    if (dryRun && name === 'workgroup') return '';
    throw new UsageError({ path: `--${name}`, message: 'is required by the athena engine', fix: `pass --${name} NAME, or set ${variable}` });
  };
  const s3 = parseS3Url(data);
  if (!s3 && !dryRun) {
    throw new UsageError({ path: '--data', value: data, message: 'is not in S3, where the athena engine reads data', fix: 'pass an s3://bucket/key or s3://bucket/prefix/ URL' });
  }
  const partition: Record<string, string> = {};
  for (const p of flags.list('partition')) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new UsageError({ path: '--partition', value: p, message: 'is not KEY=VALUE', fix: 'write --partition KEY=VALUE, e.g. --partition upload_folder=2026-12' });
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
  return [...head, ...plan.queries.map((q, i) => `\n-- ${i + 1}/${plan.queries.length}: ${q.name}\n${q.sql};`)].join('\n');
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
