import { InvalidValuesError, Problem, formatProblem } from '../../src/core/problem';

/**
 * One `aidlc` subcommand. `run` returns the process exit code:
 * 0 success, 1 a negative verdict (violations, a failed pipeline), 2 unusable input or usage.
 *
 * Each command module exports `create<Name>Command(io, ...)`, which takes what the command
 * touches outside itself (`CliIo`, AWS or GitHub clients) so tests can pass stand-ins, and
 * `<name>Command`, the command made with the real ones, which `main.ts` loads.
 */
export interface CliCommand {
  /** The word after `aidlc`, e.g. `gate`. Nested commands use a space: `pipeline start`. */
  readonly name: string;
  /** One line for `aidlc --help`. */
  readonly summary: string;
  /** Full usage text for `aidlc <name> --help`. */
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

/**
 * Bad arguments or unusable input: printed without a stack trace, exit code 2. A problem with a
 * value given (a flag, a file, an environment variable) is written in the one error style:
 * `--threads = "0": must be a whole number from 1 to 64. Fix: ...`.
 */
export class UsageError extends Error {
  constructor(problem: string | Problem) {
    super(typeof problem === 'string' ? problem : formatProblem(problem));
    this.name = 'UsageError';
  }
}

/** Whether an error is the user's to fix (exit code 2, no stack trace): a usage error or invalid values. */
export function isUsageError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof InvalidValuesError;
}

export const EXIT = { OK: 0, VERDICT: 1, USAGE: 2 } as const;
