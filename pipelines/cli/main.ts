import { isMainThread } from 'node:worker_threads';
import { CliCommand, EXIT, UsageError } from './command';

/**
 * Every subcommand, in the order `aidlc --help` lists them. Commands load on demand: `aidlc gate`
 * should not pay for the AWS SDK clients and Octokit the pipeline and GitHub commands need.
 * (A synchronous `require` keeps dispatch simple; esbuild bundles each module behind it lazily.)
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: ReadonlyArray<{ readonly name: string; load(): CliCommand }> = [
  { name: 'gate', load: () => require('./commands/gate').gateCommand },
  { name: 'profile', load: () => require('./commands/profile').profileCommand },
  { name: 'report compliance', load: () => require('./commands/report-compliance').reportComplianceCommand },
  { name: 'pipeline start', load: () => require('./commands/pipeline-start').pipelineStartCommand },
  { name: 'pipeline status', load: () => require('./commands/pipeline-status').pipelineStatusCommand },
  { name: 'pipeline train', load: () => require('./commands/pipeline-train').pipelineTrainCommand },
  { name: 'github setup', load: () => require('./commands/github-setup').githubSetupCommand },
  { name: 'invoke', load: () => require('./commands/invoke').invokeCommand },
  { name: 'smoke-test', load: () => require('./commands/smoke-test').smokeTestCommand },
];

// The parallel CSV reader's worker threads load this same bundle; with commands loaded on demand,
// its module must be loaded here for a worker to find its entry point.
if (!isMainThread) require('../engine/read-csv-parallel');
/* eslint-enable @typescript-eslint/no-require-imports */

function help(): string {
  const commands = COMMANDS.map((c) => c.load());
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'aidlc: the runtime of an aidlc-pipeline repository',
    '',
    'Usage: aidlc <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "aidlc <command> --help" for the options of a command.',
  ].join('\n');
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

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(help() + '\n');
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(`aidlc: unknown command "${argv.join(' ')}"\n\n${help()}\n`);
    return EXIT.USAGE;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    process.stdout.write(found.command.usage + '\n');
    return EXIT.OK;
  }
  try {
    return await found.command.run(found.rest);
  } catch (e) {
    if (e instanceof UsageError) {
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
