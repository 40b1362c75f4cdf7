/** Waits; injectable so tests run without real time passing. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How an operation is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles each time, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Whether an error is worth another attempt; the delay it asks for, if it says (Retry-After). */
  readonly classify: (error: unknown) => { retryable: boolean; delayMs?: number };
  readonly sleep: Sleep;
  /** Told before each wait, e.g. to log "throttled, retrying in 4s". */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Gave up: the last error, after that many attempts. */
export class RetriesExhausted extends Error {
  constructor(public readonly attempts: number, public readonly lastError: unknown, what: string) {
    super(`${what} failed ${attempts} times in a row; last error: ${describeError(lastError)}`);
    this.name = 'RetriesExhausted';
  }
}

/** Runs `operation`, retrying retryable errors with exponential backoff; non-retryable errors pass through. */
export async function retrying<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
  let delay = policy.baseDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const { retryable, delayMs } = policy.classify(error);
      if (!retryable) throw error;
      if (attempt >= policy.attempts) throw new RetriesExhausted(attempt, error, what);
      const wait = Math.min(policy.maxDelayMs, delayMs ?? delay);
      policy.onRetry?.(error, attempt, wait);
      await policy.sleep(wait);
      delay = Math.min(policy.maxDelayMs, delay * 2);
    }
  }
}

/** A one-line description of any thrown value: name, code and message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
  }
  return String(error);
}
