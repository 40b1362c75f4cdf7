import { isUnreadableResponse } from '../../shared/retry';

/** Error names AWS uses for throttling and transient server trouble. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded',
  'ServiceUnavailable', 'ServiceUnavailableException', 'InternalFailure', 'InternalServerError',
  'InternalServiceError', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError',
]);

/** Socket-level failures: the request may never have reached AWS. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Whether an error from an AWS SDK v3 call is worth retrying: throttling, 5xx, timeouts, network,
 * and an answer that could not be parsed (a proxy's error page, a cut-off body).
 */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isUnreadableResponse(error)) return true;
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  return e.cause !== undefined && e.cause !== error && isTransientAwsError(e.cause);
}
