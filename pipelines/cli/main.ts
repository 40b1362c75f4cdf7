import { CliCommand, EXIT, UsageError } from './command';
import { gateCommand } from './commands/gate';
import { githubSetupCommand } from './commands/github-setup';
import { pipelineStartCommand } from './commands/pipeline-start';
import { pipelineStatusCommand } from './commands/pipeline-status';
import { pipelineTrainCommand } from './commands/pipeline-train';
import { profileCommand } from './commands/profile';
import { reportComplianceCommand } from './commands/report-compliance';

/** Every subcommand, in the order `aidlc --help` lists them. */
const COMMANDS: CliCommand[] = [
  gateCommand,
  profileCommand,
  reportComplianceCommand,
  pipelineStartCommand,
  pipelineStatusCommand,
  pipelineTrainCommand,
  githubSetupCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'aidlc: the runtime of an aidlc-pipeline repository',
    '',
    'Usage: aidlc <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "aidlc <command> --help" for the options of a command.',
  ].join('\n');
}

/** Finds the longest command name that prefixes argv (so `pipeline start` wins over `pipeline`). */
export function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
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
