/** How long one call to AWS or GitHub may take before it counts as failed (and is retried). */
export interface CallTimeouts {
  /** To establish the connection. */
  readonly connectMs: number;
  /** For the whole request and response. */
  readonly requestMs: number;
}

/** The CLI's calls are small: a few seconds at most when the service is well. */
export const DEFAULT_TIMEOUTS: CallTimeouts = { connectMs: 5_000, requestMs: 30_000 };

/** Settings of the CLI's AWS SDK clients, beyond the region; tests point them elsewhere. */
export interface AwsClientSettings {
  readonly region: string;
  readonly maxAttempts: number;
  readonly requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean; socketTimeout: number };
  readonly endpoint?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
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
