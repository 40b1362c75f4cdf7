import { ApiResponse } from './api-client';

/** What the API's error bodies hold (its gateway responses write them). */
interface ErrorBody {
  readonly message?: string;
  readonly type?: string;
  readonly errors?: string;
  readonly requestId?: string;
}

function errorBody(response: ApiResponse): ErrorBody {
  const j = response.json;
  return typeof j === 'object' && j !== null && !Array.isArray(j) ? j as ErrorBody : {};
}

/** Whether the answer says to slow down: the usage plan's or the stage's throttle (not the quota). */
export function isThrottled(response: ApiResponse): boolean {
  return response.status === 429 && errorBody(response).type !== 'QUOTA_EXCEEDED';
}

/** Milliseconds the API asks to wait (`Retry-After`, seconds), if it says. */
export function retryAfterMs(response: ApiResponse): number | undefined {
  const value = Number(response.headers['retry-after']);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/** Limits the explanations quote, from the resolved config. */
export interface ApiLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly quotaLimit: number;
  readonly quotaPeriod: string;
  readonly maxBatchSize: number;
}

/**
 * One clear sentence about an answer that is not a success: what the API said, why that
 * happens, and what to do.
 */
export function explainFailure(response: ApiResponse, limits?: ApiLimits): string {
  const b = errorBody(response);
  const said = b.message ?? (response.body.trim().slice(0, 300) || '(no body)');
  const id = b.requestId ? ` (request ${b.requestId})` : '';
  const s = response.status;
  if (s === 400) {
    const details = b.errors ? `: ${b.errors}` : '';
    return `400 ${said}${details}${id}. The request does not match data/request.schema.json: fix the named field, or drop columns the contract does not have`;
  }
  if (s === 401 || s === 403) {
    const hint = b.type === 'WAF_FILTERED' ? 'AWS WAF blocked it (a managed rule matched, or this address sent too many requests in 5 minutes)'
      : b.type === 'INVALID_API_KEY' ? 'the API key is missing, wrong or disabled: pass --api-key, or let the command read it from the stack'
        : b.type === 'EXPIRED_TOKEN' ? 'the credentials or token have expired: refresh them'
          : b.type === 'MISSING_AUTHENTICATION_TOKEN' ? 'the request was not signed, or the URL is not the API\'s invocations resource'
            : 'the caller may not invoke this API: IAM callers need execute-api:Invoke on it, Cognito callers an access token with its invoke scope';
    return `${s} ${said}${id}: ${hint}`;
  }
  if (s === 413) return `413 ${said}${id}: the request is too large; send at most ${limits?.maxBatchSize ?? 'maxBatchSize'} rows per request`;
  if (s === 415) return `415 ${said}${id}: send Content-Type: application/json`;
  if (s === 429) {
    if (b.type === 'QUOTA_EXCEEDED') {
      return `429 ${said}${id}: this API key has used its quota${limits ? ` of ${limits.quotaLimit} requests per ${limits.quotaPeriod.toLowerCase()}` : ''}; wait for the next period or raise serving.api.quotaLimit`;
    }
    return `429 ${said}${id}: throttled${limits ? ` (each key may send ${limits.rateLimit}/s, bursts of ${limits.burstLimit})` : ''}; slow down, or raise serving.api.rateLimit and stageRateLimit`;
  }
  if (s === 502 || s === 503 || s === 504) {
    return `${s} ${said}${id}: the model endpoint failed to answer; see the endpoint's logs and the API's access log`;
  }
  return `${s} ${said}${id}`;
}
