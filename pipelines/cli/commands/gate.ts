import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ContractError, GateReport, ProfileFormatError, describeLocation, loadContract, loadProfile, openSource, renderMarkdown, runGate } from '../../engine';
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
  --threads N         threads for a local CSV file of 8 MiB or more (default: the CPUs, at most 4)
  --json              print the JSON report on stdout instead of the text summary

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
    });
    const contract = asUsage(() => loadContract(required(o, 'contract')));
    const data = required(o, 'data');
    const format = formatOption(o.format);
    const baseline = typeof o.baseline === 'string' ? asUsage(() => loadProfile(o.baseline as string)) : undefined;
    const threads = threadsOption(o.threads);
    const report = await runGate(contract, openSource(data), { baseline, format, threads });
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

/** The `--threads` option, checked; by default the CPUs, at most 4. */
export function threadsOption(v: unknown): number {
  if (v === undefined) return Math.max(1, Math.min(availableParallelism(), 4));
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads must be a whole number from 1 to 64, got "${String(v)}"`);
  return n;
}

/** The `--format` option, checked. */
export function formatOption(v: unknown): 'csv' | 'jsonl' | 'parquet' | undefined {
  if (v === undefined) return undefined;
  if (v === 'csv' || v === 'jsonl' || v === 'parquet') return v;
  throw new UsageError(`--format must be csv, jsonl or parquet, got "${String(v)}"`);
}
