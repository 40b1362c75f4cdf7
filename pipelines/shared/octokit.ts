import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import { DEFAULT_TIMEOUTS } from './clients';
import { realSleep, RetryPolicy, Sleep } from './retry';

export type { Octokit };

/** How to reach the GitHub REST API. */
export interface GithubConnection {
  readonly token: string;
  /** @default https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3) */
  readonly baseUrl?: string;
  /** Longest time one request (answer included) may take. @default 30 s */
  readonly timeoutMs?: number;
}

/** Bodies with no content, which a Response may not be given. */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * `fetch` for Octokit with a deadline on each request, answer included, and a JSON answer that
 * does not parse turned into an error. Octokit reports either as a failed request without a
 * status of GitHub's (500), which the retry policy retries; otherwise a cut-off JSON body would
 * reach the caller as a string.
 */
export function boundedFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await base(input, { ...init, signal });
      if (NO_BODY.has(response.status) || !/\bjson\b/.test(response.headers.get('content-type') ?? '')) return response;
      text = await response.text();
    } catch (e) {
      if (timeout.aborted) throw new Error(`no answer from GitHub within ${timeoutMs / 1000} s`);
      throw e;
    }
    try {
      if (text !== '') JSON.parse(text);
    } catch {
      throw new Error(`unreadable JSON from GitHub (HTTP ${response.status}): ${JSON.stringify(text.slice(0, 60))}`);
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * An Octokit for the connection. `@octokit/rest` is an ES module: it is loaded with a dynamic
 * import, which esbuild inlines into the bundled assets.
 */
export async function octokit(connection: GithubConnection): Promise<Octokit> {
  const { Octokit: OctokitClass } = await import('@octokit/rest');
  return new OctokitClass({
    auth: connection.token,
    baseUrl: (connection.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'aidlc-pipeline',
    request: { fetch: boundedFetch(connection.timeoutMs ?? DEFAULT_TIMEOUTS.requestMs) },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

/** Status of a failed Octokit request (`RequestError`), if it got a response. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

function header(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, string | number | undefined> } })?.response?.headers;
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Retry advice for a GitHub error: rate limits (429, or 403 with `retry-after` or an exhausted
 * `x-ratelimit-remaining`), 5xx, and failures without a response (network); never other 4xx.
 */
export function classifyGithubError(error: unknown, now: () => number = Date.now): { retryable: boolean; delayMs?: number } {
  const status = httpStatus(error);
  const retryAfter = Number(header(error, 'retry-after'));
  const delayMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  if (status === undefined) return { retryable: true };
  if (status === 429 || status >= 500) return { retryable: true, delayMs };
  if (status === 403) {
    if (delayMs !== undefined) return { retryable: true, delayMs };
    if (header(error, 'x-ratelimit-remaining') === '0') {
      const reset = Number(header(error, 'x-ratelimit-reset'));
      return { retryable: true, delayMs: Number.isFinite(reset) ? Math.max(0, reset * 1000 - now()) : undefined };
    }
  }
  return { retryable: false };
}

/** Attempts of a GitHub call, the first included. */
export const GITHUB_ATTEMPTS = 5;

/** The retry policy for GitHub calls. */
export function githubRetryPolicy(options: { sleep?: Sleep; attempts?: number; onRetry?: RetryPolicy['onRetry'] } = {}): RetryPolicy {
  return {
    attempts: options.attempts ?? GITHUB_ATTEMPTS,
    baseDelayMs: 1000,
    maxDelayMs: 60_000,
    classify: (e) => classifyGithubError(e),
    sleep: options.sleep ?? realSleep,
    onRetry: options.onRetry,
  };
}
