import { ENV, TestEnvironment } from './environments';
import { AidlcConfig, AidlcConfigOptions, ResolvedConfig } from '../../src/config';
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

/**
 * VALID as a generated repository resolves it, deployed to `env` through a real (not placeholder)
 * GitHub connection, with some fields replaced.
 */
export function testConfig(overrides: Partial<AidlcConfigOptions> = {}, env: TestEnvironment = ENV): ResolvedConfig {
  return AidlcConfig.resolve({
    ...VALID,
    githubConnectionArn: `arn:aws:codeconnections:${env.region}:${env.account}:connection/0b2c7a1e-1d2f-4c3b-9a8d-7e6f5a4b3c2d`,
    awsRegion: env.region,
    awsAccount: env.account,
    ...overrides,
  });
}
