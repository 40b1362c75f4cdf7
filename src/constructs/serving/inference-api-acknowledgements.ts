import { Validations } from 'aws-cdk-lib';
import type { InferenceApi } from './inference-api';

const PACKS = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'] as const;

/**
 * The compliance findings the inference API has on purpose, each with its reason. Everything else
 * a pack or a Control Tower control finds fails the synth.
 */
export function acknowledgeInferenceApi(api: InferenceApi, options: { iamAuthorization: boolean }): void {
  const noCache = 'The stage has no cache cluster on purpose: every request is a POST whose prediction depends on its body, and '
    + 'API Gateway keys cached answers on path, query string and headers only, so a cache would hand one caller\'s prediction '
    + 'to another. With no cache there is no cached data to encrypt.';
  const noClientCertificate = 'A client certificate authenticates API Gateway to an HTTP backend. This API\'s only backend is '
    + 'SageMaker InvokeEndpoint through an AWS service integration, which API Gateway signs with SigV4 over TLS using the '
    + 'integration role; there is no HTTP backend to present a certificate to.';
  Validations.of(api.stage).acknowledge(
    ...PACKS.map((pack) => ({ id: `${pack}-APIGWCacheEnabledAndEncrypted`, reason: noCache })),
    ...PACKS.map((pack) => ({ id: `${pack}-APIGWSSLEnabled`, reason: noClientCertificate })),
  );
  if (options.iamAuthorization) {
    Validations.of(api.method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'The method uses IAM authorization (SigV4): callers are AWS principals granted execute-api:Invoke on it, plus an API key. '
        + 'A Cognito user pool authorizer is the config\'s other choice (serving.api.authorization: ApiAuthorization.COGNITO).',
    });
  }
}
