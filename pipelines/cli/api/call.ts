import { ApiClient, ApiResponse } from './api-client';
import { isThrottled, retryAfterMs } from './explain';
import { Sleep } from '../../shared/retry';

/** How a throttled call is retried. */
export interface ThrottleRetry {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly sleep: Sleep;
  /** Wait before the first retry, doubled each time, unless the API says (Retry-After). @default 1000 */
  readonly baseDelayMs?: number;
  readonly onRetry?: (attempt: number, delayMs: number) => void;
}

/**
 * Posts a request, retrying while the API answers 429 for throttling (not for a used-up quota,
 * which waiting a few seconds does not cure). Returns the last answer.
 */
export async function postWithRetries(client: ApiClient, payload: unknown, retry: ThrottleRetry): Promise<ApiResponse> {
  let delay = retry.baseDelayMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    const response = await client.post(payload);
    if (!isThrottled(response) || attempt >= retry.retries) return response;
    const wait = Math.min(30_000, retryAfterMs(response) ?? delay);
    retry.onRetry?.(attempt + 1, wait);
    await retry.sleep(wait);
    delay *= 2;
  }
}

/** The predictions of a successful answer: `{"predictions": [...]}`, or a JSON array. */
export function predictionsOf(response: ApiResponse): unknown[] | undefined {
  const j = response.json;
  if (Array.isArray(j)) return j;
  if (typeof j === 'object' && j !== null && Array.isArray((j as { predictions?: unknown }).predictions)) {
    return (j as { predictions: unknown[] }).predictions;
  }
  return undefined;
}
