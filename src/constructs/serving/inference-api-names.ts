/**
 * Names the serving stacks, the delivery pipeline's smoke test and the `aidlc` CLI agree on.
 * Plain strings only, so the bundled CLI can import them without pulling in the CDK.
 */
import { SMOKE_TEST_CONSUMER } from '../../core/names/delivery-names';

/** CloudFormation output keys of a serving stack with an inference API. */
export const INFERENCE_API_OUTPUTS = {
  /** `https://.../<stage>/invocations`: where requests go. */
  url: 'InferenceApiUrl',
  /** The API keys, `consumer=keyId` pairs joined by commas. */
  apiKeyIds: 'InferenceApiKeyIds',
  /** How callers authenticate: `IAM` or `COGNITO`. */
  authorization: 'InferenceApiAuthorization',
  /** COGNITO only: the user pool's OAuth 2.0 token endpoint. */
  tokenUrl: 'InferenceApiTokenUrl',
  /** COGNITO only: the user pool. */
  userPoolId: 'InferenceApiUserPoolId',
  /** COGNITO only: the app client the smoke test gets tokens with. */
  smokeTestClientId: 'InferenceApiSmokeTestClientId',
  /** COGNITO only: the scope an access token needs. */
  scope: 'InferenceApiScope',
} as const;

/** The resource requests are posted to. */
export const INVOCATIONS_PATH = 'invocations';

/** Tag on the API keys and user pool clients the smoke test may read, and its value for the smoke test's own. */
export const API_CREDENTIAL_TAG = 'aidlc:api-credential';

/** The API key (and Cognito client) of the delivery pipeline's smoke test. */
export const SMOKE_TEST_CREDENTIAL = SMOKE_TEST_CONSUMER;

/** The OAuth 2.0 scope (under the API's resource server) an access token needs to invoke the API. */
export const INVOKE_SCOPE = 'invoke';

/** Parses the `consumer=keyId,...` output into a map. */
export function parseApiKeyIds(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}
