/** An account and a region to deploy to. */
export interface TestEnvironment {
  readonly account: string;
  readonly region: string;
}

/** The account and region of the construct and stack tests. */
export const ENV: TestEnvironment = { account: '111111111111', region: 'us-east-1' };

/**
 * Another account, in a region other than the config's default: for tests that show the account
 * and region reach what is built (a hard-coded us-east-1 would pass with ENV).
 */
export const EU_ENV: TestEnvironment = { account: '123456789012', region: 'eu-west-1' };
