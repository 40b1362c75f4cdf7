import { Problem } from '../../core/problem';
import { defaultApiEndpointType, networkCreatesEndpoints } from '../api-endpoint';
import { isAligned, parseCidr } from '../cidr';
import { DEFAULTS } from '../defaults';
import { ApiAuthorization, ApiEndpointType, NetworkMode } from '../enums';
import { InferenceApiOptions, NetworkOptions } from '../options';
import { checkEnum } from './checks';
import { VPC_ENDPOINT_ID, checkIdList } from './network';

const EXAMPLE_ID = 'vpce-0a1b2c3d4e5f67890';

function checkCallerCidrs(value: unknown): Problem[] {
  const path = 'serving.api.callerCidrs';
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    return [{ path, value, message: 'must be a non-empty list of IPv4 ranges', fix: 'list the networks that call the API, e.g. ["10.20.0.0/16"], or remove it' }];
  }
  const problems: Problem[] = [];
  value.forEach((c, i) => {
    const at = `${path}[${i}]`;
    const range = parseCidr(c);
    if (!range) {
      problems.push({ path: at, value: c, message: 'is not an IPv4 CIDR range', fix: 'write it as a.b.c.d/n, e.g. "10.20.0.0/16"' });
    } else if (range.prefix === 0) {
      problems.push({ path: at, value: c, message: 'admits every address; the endpoint\'s security group admits only the networks that call the API', fix: 'list those networks, e.g. "10.20.0.0/16"' });
    } else if (!isAligned(range)) {
      problems.push({ path: at, value: c, message: 'has address bits set beyond its prefix', fix: 'use the range\'s network address, e.g. "10.20.0.0/16"' });
    } else if (value.indexOf(c) !== i) {
      problems.push({ path: at, value: c, message: 'is listed twice', fix: 'list each once' });
    }
  });
  return problems;
}

/** Where the smoke test would have to get a Cognito token from, and why it cannot there. */
function cognitoUnreachable(mode: NetworkMode): string {
  const where = mode === NetworkMode.CREATE_VPC
    ? 'in the isolated VPC, which has no way out'
    : 'in the imported VPC, with a security group that sends HTTPS only to the endpoints and S3';
  return `cannot be used with a PRIVATE API: the smoke test after each deploy runs ${where}, and the Cognito token endpoint of the user pool's domain has no PrivateLink endpoint (Cognito serves neither the client credentials grant nor managed login through AWS PrivateLink), so it could never get a token and no stage would pass`;
}

/**
 * The rules between the inference API's endpoint type and the network: a private API needs an
 * `execute-api` endpoint (the network's own, or the landing zone's by id), and a smoke test that
 * can run inside the VPC.
 */
export function apiEndpointRules(api: InferenceApiOptions | undefined, network: NetworkOptions | undefined): Problem[] {
  const a = api ?? {};
  const problems: Problem[] = [
    ...checkEnum('serving.api.endpointType', a.endpointType, Object.values(ApiEndpointType), 'ApiEndpointType'),
    ...checkIdList('serving.api.vpcEndpointIds', a.vpcEndpointIds, VPC_ENDPOINT_ID, 'VPC endpoint id (vpce- and 8 or 17 hex digits)', EXAMPLE_ID),
    ...checkCallerCidrs(a.callerCidrs),
  ];
  const mode = network?.mode ?? DEFAULTS.network.mode;
  // A bad enum is reported on its own; what it would imply is not guessed at. A disabled API has no endpoint.
  if (problems.some((p) => p.path === 'serving.api.endpointType') || !Object.values(NetworkMode).includes(mode) || a.enabled === false) return problems;
  const type = a.endpointType ?? defaultApiEndpointType(mode);
  const chosen = a.endpointType !== undefined ? '' : ` (the default with NetworkMode.${mode})`;
  const creates = networkCreatesEndpoints(network);

  if (type === ApiEndpointType.REGIONAL) {
    for (const field of ['vpcEndpointIds', 'callerCidrs'] as const) {
      if (a[field] === undefined) continue;
      problems.push({
        path: `serving.api.${field}`,
        value: a[field],
        message: `applies only to a PRIVATE API, and the API is REGIONAL${chosen}: it answers on the internet, not through execute-api endpoints`,
        fix: `remove ${field}, or set endpointType to ApiEndpointType.PRIVATE`,
      });
    }
    return problems;
  }

  if (mode === NetworkMode.NONE) {
    problems.push({
      path: 'serving.api.endpointType',
      value: type,
      message: 'is PRIVATE, but network.mode is NetworkMode.NONE: a private API is reached only through an execute-api VPC endpoint, and without a network there is none (and nowhere for the smoke test to call it from)',
      fix: 'use ApiEndpointType.REGIONAL, or run the workloads in a network (NetworkMode.CREATE_VPC or NetworkMode.IMPORT_VPC)',
    });
    return problems;
  }

  if (creates) {
    if (a.vpcEndpointIds !== undefined) {
      problems.push({
        path: 'serving.api.vpcEndpointIds',
        value: a.vpcEndpointIds,
        message: `names execute-api endpoints of the landing zone, but the network creates its own endpoints (${mode === NetworkMode.CREATE_VPC ? 'NetworkMode.CREATE_VPC' : 'network.createEndpoints is true'}) and the API's with them`,
        fix: mode === NetworkMode.CREATE_VPC ? 'remove vpcEndpointIds' : 'remove vpcEndpointIds, or set network.createEndpoints to false to use the landing zone\'s endpoints',
      });
    }
  } else {
    if (a.vpcEndpointIds === undefined) {
      problems.push({
        path: 'serving.api.vpcEndpointIds',
        message: `is required: the API is PRIVATE${chosen} in an imported VPC whose landing zone keeps the endpoints (network.createEndpoints is false), so it is reached only through the landing zone's execute-api endpoint`,
        fix: `list the ids of the landing zone's execute-api interface endpoints, e.g. ["${EXAMPLE_ID}"]; or set network.createEndpoints to true; or set endpointType to ApiEndpointType.REGIONAL`,
      });
    }
    if (a.callerCidrs !== undefined) {
      problems.push({
        path: 'serving.api.callerCidrs',
        value: a.callerCidrs,
        message: 'sets who may reach the execute-api endpoint the network creates, but the landing zone keeps the endpoints (network.createEndpoints is false) and their security groups',
        fix: 'remove callerCidrs and admit the callers on the landing zone\'s endpoint, or set network.createEndpoints to true',
      });
    }
  }

  if (a.authorization === ApiAuthorization.COGNITO) {
    problems.push({
      path: 'serving.api.authorization',
      value: a.authorization,
      message: cognitoUnreachable(mode),
      fix: 'use ApiAuthorization.IAM with a private API, or set endpointType to ApiEndpointType.REGIONAL to keep Cognito',
    });
  }
  return problems;
}
