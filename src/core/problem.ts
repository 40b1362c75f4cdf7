/**
 * The one style of every error about a value someone gave: a config field, a construct prop, a
 * command-line flag, an environment variable, a field of a file. Each problem names where the
 * value is, the value given, what is wrong with it and the fix:
 *
 *     training.maxWaitSeconds = 600: is below maxRuntimeSeconds (3600); SageMaker requires wait >= runtime. Fix: set maxWaitSeconds to at least 3600, e.g. 7200
 */

/**
 * One thing wrong with a value: where, what was given, why it is wrong and how to fix it.
 */
export interface Problem {
  /**
   * Where the value is: a field path (`training.maxWaitSeconds`, `data.contract.columns[2].type`),
   * a prop (`rawToGlacierDays`), a flag (`--threads`) or an environment variable.
   */
  readonly path: string;
  /** The value given (absent when the problem is a missing value). */
  readonly value?: unknown;
  /** What is wrong. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Renders a value the way it was written: strings quoted, `(not set)` for a missing one. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** One problem on one line: `path = value: message. Fix: fix`. */
export function formatProblem(problem: Problem): string {
  return `${problem.path} = ${formatValue(problem.value)}: ${problem.message}. Fix: ${problem.fix}`;
}

/**
 * Values someone gave are wrong. The message is the subject, then the problem on the same line,
 * or, for several, one line each: every problem shows at once.
 */
export class InvalidValuesError extends Error {
  public readonly problems: Problem[];

  /**
   * @param subject what holds the values, e.g. `DataLake` or `pipelines/aidlc.json`
   * @param problems what is wrong with them (at least one)
   */
  constructor(subject: string, problems: Problem[]) {
    super(problems.length === 1
      ? `${subject}: ${formatProblem(problems[0])}`
      : `${subject}: ${problems.length} problems:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'InvalidValuesError';
    this.problems = problems;
  }
}

/**
 * Thrown when the config is invalid. Lists every problem at once, so one run of `npx projen`
 * shows all of them; nothing is written when it is thrown.
 */
export class ConfigValidationError extends Error {
  public readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`Invalid aidlc-pipeline config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ConfigValidationError';
    this.problems = problems;
  }
}
