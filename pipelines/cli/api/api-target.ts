// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ApiAuth, HttpSend, nodeSend } from './api-client';
import { ApiAuthorization } from '../../../src/core/enums';
import { INFERENCE_API_OUTPUTS, parseApiKeyIds } from '../../../src/core/names/inference-api-names';
import { ResourceNames } from '../../../src/core/names/resource-names';
import { ResolvedConfig } from '../../../src/core/resolved';
import { sdkRetryingClientSettings } from '../../shared/clients';
import { UsageError } from '../command';
import { AWS_CLI_TIMEOUTS, Run, StackOutputsReader, awsCliStackOutputs, runProgram } from '../github/stack-outputs';

/** Where and how to call one stage's inference API. */
export interface ApiTarget {
  readonly url: string;
  readonly auth: ApiAuth;
  readonly apiKey?: string;
  /** The serving stack the settings were read from. */
  readonly stackName: string;
}

/** What finding a stage's API needs from AWS; tests swap in fakes. */
export interface AwsLookups {
  readonly stackOutputs: StackOutputsReader;
  /** The value of an API key. */
  apiKeyValue(keyId: string, region: string): Promise<string>;
  /** The secret of a Cognito app client. */
  clientSecret(userPoolId: string, clientId: string, region: string): Promise<string>;
  /** The caller's AWS credentials, for SigV4. */
  credentials(region: string): AwsCredentialIdentityProvider;
  /** An access token from a Cognito token endpoint (client credentials grant). */
  accessToken(tokenUrl: string, clientId: string, clientSecret: string, scope: string): Promise<string>;
}

/** What the caller chose on the command line. */
export interface ApiTargetRequest {
  readonly config: ResolvedConfig;
  readonly stage: string;
  /** @default <model>-serving-<stage> */
  readonly stackName?: string;
  /** Whose API key to use. */
  readonly consumer: string;
  /** An API key value; skips reading it from AWS. */
  readonly apiKey?: string;
  /** An access token (COGNITO); skips getting one with the smoke test's client. */
  readonly token?: string;
  /** The invocations URL; skips reading it from the stack. */
  readonly url?: string;
}

/** Reads the outputs of a stage's serving stack and fetches the credentials the API wants. */
export async function resolveApiTarget(request: ApiTargetRequest, aws: AwsLookups): Promise<ApiTarget> {
  const { config, stage, consumer } = request;
  if (!config.deployment.stages.some((s) => s.name === stage)) {
    const stages = config.deployment.stages.map((s) => s.name).join(', ');
    throw new UsageError({ path: '--stage', value: stage, message: 'is not a deployment stage of the config', fix: `use one of ${stages}` });
  }
  if (!config.serving.api.enabled) {
    throw new UsageError({
      path: 'serving.api.enabled', value: false, message: 'the config has no inference API', fix: 'call the SageMaker endpoint directly, or turn the API on in .projenrc.ts and deploy',
    });
  }
  const region = config.aws.region;
  const stackName = request.stackName ?? new ResourceNames(config).stack(`serving-${stage}`);
  const needsOutputs = !request.url || !request.apiKey || (config.serving.api.authorization === ApiAuthorization.COGNITO && !request.token);
  const outputs = needsOutputs ? await readOutputs(aws, stackName, region) : {};
  const url = request.url ?? required(outputs, INFERENCE_API_OUTPUTS.url, stackName);
  const apiKey = request.apiKey ?? await apiKeyOf(aws, outputs, consumer, stackName, region);
  let auth: ApiAuth;
  if (config.serving.api.authorization === ApiAuthorization.COGNITO) {
    const token = request.token ?? await smokeTestToken(aws, outputs, stackName, region);
    auth = { kind: 'token', token };
  } else {
    auth = { kind: 'iam', region, credentials: aws.credentials(region) };
  }
  return { url, auth, apiKey, stackName };
}

async function readOutputs(aws: AwsLookups, stackName: string, region: string): Promise<Record<string, string>> {
  try {
    return await aws.stackOutputs(stackName, region);
  } catch (e) {
    throw new UsageError(`cannot read the outputs of stack ${stackName} in ${region}: ${(e as Error).message}. Deploy the stage first, or pass --url and --api-key`);
  }
}

function required(outputs: Record<string, string>, key: string, stackName: string): string {
  const value = outputs[key];
  if (!value) throw new UsageError(`stack ${stackName} has no ${key} output: deploy it with the inference API on (serving.api.enabled)`);
  return value;
}

async function apiKeyOf(aws: AwsLookups, outputs: Record<string, string>, consumer: string, stackName: string, region: string): Promise<string> {
  const ids = parseApiKeyIds(required(outputs, INFERENCE_API_OUTPUTS.apiKeyIds, stackName));
  const id = ids.get(consumer);
  if (!id) {
    throw new UsageError({ path: '--consumer', value: consumer, message: `has no API key in stack ${stackName}`, fix: `use one of ${[...ids.keys()].join(', ')}` });
  }
  try {
    return await aws.apiKeyValue(id, region);
  } catch (e) {
    throw new UsageError(`cannot read API key ${id} (${consumer}): ${(e as Error).message}. The caller needs apigateway:GET on it, or pass --api-key`);
  }
}

async function smokeTestToken(aws: AwsLookups, outputs: Record<string, string>, stackName: string, region: string): Promise<string> {
  const poolId = required(outputs, INFERENCE_API_OUTPUTS.userPoolId, stackName);
  const clientId = required(outputs, INFERENCE_API_OUTPUTS.smokeTestClientId, stackName);
  let secret: string;
  try {
    secret = await aws.clientSecret(poolId, clientId, region);
  } catch (e) {
    throw new UsageError(`cannot read the secret of app client ${clientId}: ${(e as Error).message}. The caller needs cognito-idp:DescribeUserPoolClient, or pass --token`);
  }
  const tokenUrl = required(outputs, INFERENCE_API_OUTPUTS.tokenUrl, stackName);
  return aws.accessToken(tokenUrl, clientId, secret, required(outputs, INFERENCE_API_OUTPUTS.scope, stackName));
}

/** Gets an access token with the client credentials grant. */
export async function clientCredentialsToken(
  tokenUrl: string, clientId: string, clientSecret: string, scope: string, send: HttpSend = nodeSend,
): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope }).toString();
  const url = new URL(tokenUrl);
  const response = await send(url, 'POST', {
    'host': url.host,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    'authorization': `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
  }, body, 15_000);
  const token = (response.json as { access_token?: unknown } | undefined)?.access_token;
  if (response.status !== 200 || typeof token !== 'string') {
    throw new UsageError(`the token endpoint ${url.host} answered ${response.status}: ${response.body.slice(0, 200)}`);
  }
  return token;
}

/** The AWS CLI (API key, client secret) and the SDK's default credential chain. */
export function awsLookups(run: Run = runProgram): AwsLookups {
  return {
    stackOutputs: awsCliStackOutputs(run),
    apiKeyValue: async (keyId, region) => {
      const out = JSON.parse(await run('aws', ['apigateway', 'get-api-key', '--api-key', keyId, '--include-value', '--region', region, '--output', 'json', ...AWS_CLI_TIMEOUTS])) as { value?: string };
      if (!out.value) throw new Error(`API key ${keyId} has no value`);
      return out.value;
    },
    clientSecret: async (userPoolId, clientId, region) => {
      const out = JSON.parse(await run('aws', ['cognito-idp', 'describe-user-pool-client', '--user-pool-id', userPoolId, '--client-id', clientId, '--region', region, '--output', 'json', ...AWS_CLI_TIMEOUTS])) as { UserPoolClient?: { ClientSecret?: string } };
      const secret = out.UserPoolClient?.ClientSecret;
      if (!secret) throw new Error(`app client ${clientId} has no secret`);
      return secret;
    },
    credentials: (region) => {
      // The STS client resolves the SDK's default credential chain (environment, profile, SSO,
      // web identity, container and instance roles); only its provider is used.
      // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies -- bundled by esbuild, loaded only for IAM calls
      const { STSClient } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
      const client = new STSClient(sdkRetryingClientSettings(region));
      return () => client.config.credentials();
    },
    accessToken: (tokenUrl, clientId, secret, scope) => clientCredentialsToken(tokenUrl, clientId, secret, scope),
  };
}
