/**
 * One `aidlc` subcommand. `run` returns the process exit code:
 * 0 success, 1 a negative verdict (violations, a failed pipeline), 2 unusable input or usage.
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

/** Bad arguments or unusable input: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = { OK: 0, VERDICT: 1, USAGE: 2 } as const;
