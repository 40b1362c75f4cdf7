import { AidlcConfigOptions } from '../../src/config';
import { validateConfig } from '../../src/config/resolve';
import { Problem } from '../../src/core/problem';

export const VALID: AidlcConfigOptions = { modelName: 'churn', githubRepository: 'acme/churn' };

/** The problems of VALID with some fields replaced. */
export function problemsOf(overrides: Partial<Record<keyof AidlcConfigOptions, unknown>>): Problem[] {
  return validateConfig({ ...VALID, ...overrides } as AidlcConfigOptions);
}

/** The single problem at `path`, failing the test when there is none. */
export function problemAt(problems: Problem[], path: string): Problem {
  const found = problems.filter((p) => p.path === path);
  if (found.length === 0) {
    throw new Error(`expected a problem at ${path}, got: ${problems.map((p) => p.path).join(', ') || 'none'}`);
  }
  return found[0];
}
