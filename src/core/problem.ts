/**
 * One thing wrong with the config: where, what was given, why it is wrong and how to fix it.
 */
export interface Problem {
  /** Field path, e.g. `training.maxWaitSeconds` or `data.contract.columns[2].type`. */
  readonly path: string;
  /** The value given (absent when the problem is a missing value). */
  readonly value?: unknown;
  /** What is wrong. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Renders a value the way the user wrote it in `.projenrc.ts`. */
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

/**
 * Thrown when the config is invalid. Lists every problem at once, so one run of `npx projen`
 * shows all of them; nothing is written when it is thrown.
 */
export class ConfigValidationError extends Error {
  public readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const lines = problems.map((p) => `  - ${p.path} = ${formatValue(p.value)}: ${p.message}. Fix: ${p.fix}`);
    super(`Invalid aidlc-pipeline config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ConfigValidationError';
    this.problems = problems;
  }
}
