import { isMainThread } from 'node:worker_threads';
import { CliCommand, EXIT, isUsageError } from './command';

/**
 * Every subcommand, in the order `aidlc --help` lists them. Commands load on demand: `aidlc gate`
 * should not pay for the AWS SDK clients and Octokit the pipeline and GitHub commands need.
 * (A synchronous `require` keeps dispatch simple; esbuild bundles each module behind it lazily.)
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: ReadonlyArray<{ readonly name: string; load(): CliCommand }> = [
  { name: 'gate', load: () => require('./commands/gate').gateCommand },
  { name: 'gate run', load: () => require('./commands/gate-run').gateRunCommand },
  { name: 'profile', load: () => require('./commands/profile').profileCommand },
  { name: 'report compliance', load: () => require('./commands/report-compliance').reportComplianceCommand },
  { name: 'pipeline start', load: () => require('./commands/pipeline-start').pipelineStartCommand },
  { name: 'pipeline status', load: () => require('./commands/pipeline-status').pipelineStatusCommand },
  { name: 'pipeline train', load: () => require('./commands/pipeline-train').pipelineTrainCommand },
  { name: 'model verify', load: () => require('./commands/model-verify').modelVerifyCommand },
  { name: 'lineage', load: () => require('./commands/lineage').lineageCommand },
  { name: 'github setup', load: () => require('./commands/github-setup').githubSetupCommand },
  { name: 'invoke', load: () => require('./commands/invoke').invokeCommand },
  { name: 'smoke-test', load: () => require('./commands/smoke-test').smokeTestCommand },
];

// The parallel CSV reader's worker threads load this same bundle; with commands loaded on demand,
// its module must be loaded here for a worker to find its entry point.
if (!isMainThread) require('../engine/read-csv-parallel');
/* eslint-enable @typescript-eslint/no-require-imports */

const HELP_FLAGS = new Set(['--help', '-h']);

/** The help of the commands whose names start with `prefix` (all of them for an empty prefix). */
function help(prefix: string[] = []): string {
  const commands = COMMANDS.filter((c) => prefix.every((w, i) => c.name.split(' ')[i] === w)).map((c) => c.load());
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const group = prefix.join(' ');
  return [
    ...(group ? [] : ['aidlc: the runtime of an aidlc-pipeline repository', '']),
    `Usage: aidlc ${group ? `${group} ` : ''}<command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "aidlc ${group ? `${group} ` : ''}<command> --help" for the options of a command.`,
  ].join('\n');
}

/** The words before the first option (`pipeline start` of `pipeline start --wait`). */
function leadingWords(argv: string[]): string[] {
  const i = argv.findIndex((a) => a.startsWith('-'));
  return i < 0 ? argv : argv.slice(0, i);
}

/** The longest group of commands (`pipeline`, `github`, ...) the words name, if any. */
function groupOf(words: string[]): string[] | undefined {
  for (let n = words.length; n > 0; n--) {
    const prefix = words.slice(0, n);
    if (COMMANDS.some((c) => c.name.split(' ').length > n && prefix.every((w, i) => c.name.split(' ')[i] === w))) return prefix;
  }
  return undefined;
}

/** Finds the longest command name that prefixes argv (so `pipeline start` wins over `pipeline`). */
export function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const entry of sorted) {
    const words = entry.name.split(' ');
    if (!words.every((w, i) => argv[i] === w)) continue;
    const command = entry.load();
    if (command.name !== entry.name) throw new Error(`command table names "${entry.name}" but the module is "${command.name}"`);
    return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/**
 * Runs a command line. `--help` (or `-h`) works at every level: `aidlc --help`, `aidlc pipeline
 * --help`, `aidlc pipeline start --help`; `aidlc help <words>` is the same.
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help') return main([...argv.slice(1), '--help']);
  const asksHelp = argv.some((a) => HELP_FLAGS.has(a));
  const found = findCommand(argv);
  if (!found) {
    const words = leadingWords(argv);
    const group = groupOf(words) ?? [];
    if (words.length === group.length) {
      // `aidlc`, `aidlc --help`, `aidlc pipeline`, `aidlc pipeline --help`: the commands there are.
      process.stdout.write(help(group) + '\n');
      return asksHelp ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(`aidlc: unknown command "${words.join(' ')}"\n\n${help(group)}\n`);
    return EXIT.USAGE;
  }
  if (found.rest.some((a) => HELP_FLAGS.has(a))) {
    process.stdout.write(found.command.usage + '\n');
    return EXIT.OK;
  }
  try {
    return await found.command.run(found.rest);
  } catch (e) {
    if (isUsageError(e)) {
      process.stderr.write(`aidlc ${found.command.name}: ${e.message}\n`);
      return EXIT.USAGE;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => {
      process.stderr.write(`aidlc: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = EXIT.USAGE;
    },
  );
}
