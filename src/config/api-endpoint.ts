import { DEFAULTS } from './defaults';
import { ApiEndpointType, NetworkMode } from './enums';
import { AidlcConfigOptions, NetworkOptions } from './options';
import { ResolvedInterfaceEndpoint } from './resolved';

/**
 * Where the inference API answers when the config does not say: PRIVATE in an imported VPC (the
 * organization's network, which the landing zone connects, is where the callers live), REGIONAL
 * in the VPC this product creates (isolated: no callers, no way in) and without a network.
 */
export function defaultApiEndpointType(mode: NetworkMode): ApiEndpointType {
  return mode === NetworkMode.IMPORT_VPC ? ApiEndpointType.PRIVATE : ApiEndpointType.REGIONAL;
}

/** Whether the network creates its own endpoints: always in a created VPC, on request in an imported one. */
export function networkCreatesEndpoints(n: NetworkOptions | undefined): boolean {
  const mode = n?.mode ?? DEFAULTS.network.mode;
  return mode === NetworkMode.CREATE_VPC || (mode === NetworkMode.IMPORT_VPC && n?.createEndpoints === true);
}

/** The endpoint type the options give the API, chosen or by default. */
export function apiEndpointTypeOf(o: AidlcConfigOptions): ApiEndpointType {
  return o.serving?.api?.endpointType ?? defaultApiEndpointType(o.network?.mode ?? DEFAULTS.network.mode);
}

/** Whether the options put a private API in front of the endpoints. */
export function hasPrivateApi(o: AidlcConfigOptions): boolean {
  return (o.serving?.api?.enabled ?? DEFAULTS.servingApi.enabled) && apiEndpointTypeOf(o) === ApiEndpointType.PRIVATE;
}

/**
 * The interface endpoints a private API needs in a network that creates its endpoints: the one
 * callers reach the API through, and those of the smoke test, which runs in the private subnets
 * after each deploy (its source and the bundled CLI come through the S3 gateway endpoint).
 */
export const PRIVATE_API_ENDPOINTS: ReadonlyArray<ResolvedInterfaceEndpoint> = [
  { service: 'execute-api', reason: 'the inference APIs are private: applications in the network and the smoke test call them through it (execute-api:Invoke)' },
  { service: 'cloudformation', reason: 'the smoke test in the VPC reads the serving stack\'s outputs (cloudformation:DescribeStacks)' },
  { service: 'apigateway', reason: 'the smoke test in the VPC reads its own API key (apigateway:GET)' },
  { service: 'logs', reason: 'the smoke test\'s CodeBuild build in the VPC writes its log (logs:CreateLogStream, PutLogEvents)' },
];
