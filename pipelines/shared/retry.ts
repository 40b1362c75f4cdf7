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
  /** Told before each wait, with the name of the call, e.g. to log "throttled, retrying in 4s". */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number, what: string) => void;
}

/** Gave up: the last error, after that many attempts. */
export class RetriesExhausted extends Error {
  constructor(public readonly attempts: number, public readonly lastError: unknown, what: string) {
    super(`${what} failed ${attempts} times in a row; last error: ${describeError(lastError)}`);
    this.name = 'RetriesExhausted';
  }
}

/**
 * Runs `operation`, retrying retryable errors with exponential backoff; non-retryable errors pass
 * through. Once `signal` aborts (a deadline), no attempt or wait starts, a wait under way ends, and
 * the signal's reason is thrown.
 */
export async function retrying<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let delay = policy.baseDelayMs;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      signal?.throwIfAborted();
      const { retryable, delayMs } = policy.classify(error);
      if (!retryable) throw error;
      if (attempt >= policy.attempts) throw new RetriesExhausted(attempt, error, what);
      const wait = Math.min(policy.maxDelayMs, delayMs ?? delay);
      policy.onRetry?.(error, attempt, wait, what);
      await abortable(policy.sleep(wait), signal);
      delay = Math.min(policy.maxDelayMs, delay * 2);
    }
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

/** A one-line description of any thrown value: name, code and message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // The SDK's own first line says what could not be parsed; the second only where to look.
    const firstLine = error.message.split('\n')[0].replace(/^@smithy\/[a-z-]+ - \[ERROR\] /, '');
    if (isUnreadableResponse(error)) return `unreadable response${status ? ` (HTTP ${status})` : ''}: ${firstLine}`;
    const timeout = /exceeded the configured (\d+) ms (requestTimeout|connectionTimeout|socketTimeout)/.exec(firstLine);
    if (timeout) return `no ${timeout[2] === 'connectionTimeout' ? 'connection' : 'answer'} within ${timeout[1]} ms (${error.name}, ${timeout[2]})`;
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${firstLine}${code && !firstLine.includes(code) ? ` (${code})` : ''}`;
  }
  return String(error);
}

/** An answer that arrived but could not be parsed (the SDK keeps the raw response on `$response`). */
export function isUnreadableResponse(error: unknown): boolean {
  return error instanceof Error && (error as { $response?: unknown }).$response !== undefined
    && (error.name === 'SyntaxError' || /Deserialization error/.test(error.message));
}
