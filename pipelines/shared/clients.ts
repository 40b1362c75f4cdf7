/** How long one call to AWS or GitHub may take before it counts as failed (and is retried). */
export interface CallTimeouts {
  /** To establish the connection. */
  readonly connectMs: number;
  /** For the whole request and response. */
  readonly requestMs: number;
}

/** The calls of the CLI and the Lambdas are small: a few seconds at most when the service is well. */
export const DEFAULT_TIMEOUTS: CallTimeouts = { connectMs: 5_000, requestMs: 30_000 };

/** Settings of an AWS SDK client, beyond the region; tests point them elsewhere. */
export interface AwsClientSettings {
  readonly region: string;
  readonly maxAttempts: number;
  readonly requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean; socketTimeout: number };
  readonly endpoint?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style S3 addresses, for an S3 endpoint without bucket subdomains. */
  readonly forcePathStyle?: boolean;
}

/** Makes the settings of a client for a region. */
export type AwsClientFactory = (region: string) => AwsClientSettings;

/**
 * Bounded calls: a connection that does not open, or a request that gets no whole answer in
 * time, fails with a TimeoutError instead of waiting forever. The SDK makes one attempt; the CLI
 * retries (`retrying`), saying which call it retries.
 */
export function awsClientSettings(region: string, timeouts: CallTimeouts = DEFAULT_TIMEOUTS): AwsClientSettings {
  return {
    region,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestMs,
    },
  };
}

/**
 * The same bounded calls for commands that leave retrying to the SDK (one-shot commands with no
 * retry loop of their own, such as `gate run`, `model verify` and `lineage`): a stalled call times
 * out and the SDK's standard retries try it again. Without a region, the SDK takes the
 * environment's.
 */
export function sdkRetryingClientSettings(region?: string, timeouts: CallTimeouts = DEFAULT_TIMEOUTS): Omit<AwsClientSettings, 'region'> & { region?: string } {
  const { region: _region, ...bounded } = awsClientSettings(region ?? '', timeouts);
  return { ...bounded, maxAttempts: 3, ...(region ? { region } : {}) };
}
