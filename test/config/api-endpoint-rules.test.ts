import { VALID, problemAt, problemsOf } from './helpers';
import { AidlcConfigOptions, ApiAuthorization, ApiEndpointType, InferenceApiOptions, NetworkMode, NetworkOptions } from '../../src/config';
import { resolveConfig } from '../../src/config/resolve';
import { ConfigValidationError, Problem } from '../../src/core/problem';

const IMPORTED: NetworkOptions = {
  mode: NetworkMode.IMPORT_VPC,
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  vpcCidr: '10.20.0.0/16',
  subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
  availabilityZones: ['us-east-1a', 'us-east-1b'],
};
const IMPORTED_WITH_ENDPOINTS: NetworkOptions = { ...IMPORTED, createEndpoints: true, routeTableIds: ['rtb-0a1b2c3d4e5f67890'] };
const OPTED_OUT: NetworkOptions = { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data' };
const LANDING_ZONE_IDS = ['vpce-0c1b2c3d4e5f67890', 'vpce-0d1b2c3d'];

function problems(network: NetworkOptions | undefined, api: InferenceApiOptions): Problem[] {
  return problemsOf({ ...(network ? { network } : {}), serving: { api } });
}

function paths(network: NetworkOptions | undefined, api: InferenceApiOptions): string[] {
  return problems(network, api).map((p) => p.path);
}

function resolved(network: NetworkOptions | undefined, api: InferenceApiOptions = {}, more: Partial<AidlcConfigOptions> = {}) {
  return resolveConfig({ ...VALID, ...more, ...(network ? { network } : {}), serving: { api } });
}

describe('the API endpoint type follows the network mode', () => {
  test('REGIONAL in the created VPC (isolated, no callers) and without a network; no endpoints added', () => {
    for (const network of [undefined, OPTED_OUT]) {
      const config = resolved(network);
      expect(config.serving.api.endpointType).toBe(ApiEndpointType.REGIONAL);
      expect(config.serving.api.vpcEndpointIds).toBeUndefined();
      expect(config.serving.api.callerCidrs).toBeUndefined();
    }
    const created = resolved(undefined).network;
    expect(created.interfaceEndpoints.map((e) => e.service)).toEqual(['monitoring', 'kms', 'sagemaker.api']);
    expect(created.cost!.idleUsdPerMonth).toBe(43.8);
  });

  test('PRIVATE in an imported VPC, through the landing zone\'s execute-api endpoints, which the resolved config names', () => {
    const config = resolved(IMPORTED, { vpcEndpointIds: LANDING_ZONE_IDS });
    expect(config.serving.api).toMatchObject({ endpointType: ApiEndpointType.PRIVATE, vpcEndpointIds: LANDING_ZONE_IDS });
    expect(config.serving.api.callerCidrs).toBeUndefined();
    // The landing zone keeps the endpoints: none is created or priced here.
    expect(config.network.interfaceEndpoints).toEqual([]);
    expect(config.network.cost).toBeUndefined();
  });

  test('PRIVATE in an imported VPC whose endpoints the network creates: execute-api for the callers in the VPC\'s range, and the smoke test\'s endpoints, priced', () => {
    const config = resolved(IMPORTED_WITH_ENDPOINTS);
    expect(config.serving.api).toMatchObject({ endpointType: ApiEndpointType.PRIVATE, callerCidrs: ['10.20.0.0/16'] });
    expect(config.serving.api.vpcEndpointIds).toBeUndefined();
    const services = config.network.interfaceEndpoints.map((e) => e.service);
    expect(services).toEqual(['monitoring', 'kms', 'sagemaker.api', 'execute-api', 'cloudformation', 'apigateway', 'logs']);
    expect(config.network.interfaceEndpoints.find((e) => e.service === 'apigateway')!.reason).toContain('apigateway:GET');
    // 7 endpoints x 2 zones x 730 h x $0.01
    expect(config.network.cost).toMatchObject({ interfaceEndpoints: 7, idleUsdPerMonth: 102.2 });
  });

  test('a PRIVATE API by choice in the created VPC: four more endpoints (+$58.40 a month in 2 zones), callers only the workloads unless listed', () => {
    const config = resolved(undefined, { endpointType: ApiEndpointType.PRIVATE });
    expect(config.serving.api).toMatchObject({ endpointType: ApiEndpointType.PRIVATE, callerCidrs: [] });
    expect(config.network.interfaceEndpoints.map((e) => e.service)).toEqual(['monitoring', 'kms', 'sagemaker.api', 'execute-api', 'cloudformation', 'apigateway', 'logs']);
    expect(config.network.cost!.idleUsdPerMonth - resolved(undefined).network.cost!.idleUsdPerMonth).toBeCloseTo(58.4, 6);
    expect(resolved({ mode: NetworkMode.CREATE_VPC, availabilityZoneCount: 3 }, { endpointType: ApiEndpointType.PRIVATE, callerCidrs: ['10.64.0.0/16'] }).serving.api.callerCidrs).toEqual(['10.64.0.0/16']);
  });

  test('an endpoint listed in additionalEndpoints too is created and priced once', () => {
    const config = resolved({ additionalEndpoints: ['logs', 'sts'] }, { endpointType: ApiEndpointType.PRIVATE });
    expect(config.network.interfaceEndpoints.map((e) => e.service)).toEqual(['monitoring', 'kms', 'sagemaker.api', 'execute-api', 'cloudformation', 'apigateway', 'logs', 'sts']);
  });

  test('a REGIONAL API in an imported VPC needs no endpoint ids; a disabled API needs nothing', () => {
    expect(paths(IMPORTED, { endpointType: ApiEndpointType.REGIONAL })).toEqual([]);
    expect(resolved(IMPORTED, { endpointType: ApiEndpointType.REGIONAL }).serving.api.endpointType).toBe(ApiEndpointType.REGIONAL);
    expect(paths(IMPORTED, { enabled: false })).toEqual([]);
    expect(resolved(IMPORTED_WITH_ENDPOINTS, { enabled: false }).network.interfaceEndpoints.map((e) => e.service)).toEqual(['monitoring', 'kms', 'sagemaker.api']);
  });
});

describe('API endpoint rules: one problem each, naming the field, the value and the fix', () => {
  test('a private API without a network', () => {
    expect(paths(OPTED_OUT, { endpointType: ApiEndpointType.PRIVATE })).toEqual(['serving.api.endpointType']);
    const p = problemAt(problems(OPTED_OUT, { endpointType: ApiEndpointType.PRIVATE }), 'serving.api.endpointType');
    expect(p.value).toBe(ApiEndpointType.PRIVATE);
    expect(p.message).toContain('network.mode is NetworkMode.NONE');
    expect(p.fix).toBe('use ApiEndpointType.REGIONAL, or run the workloads in a network (NetworkMode.CREATE_VPC or NetworkMode.IMPORT_VPC)');
  });

  test('a private API in an imported VPC with neither endpoints of its own nor the landing zone\'s ids', () => {
    for (const api of [{}, { endpointType: ApiEndpointType.PRIVATE }]) {
      expect(paths(IMPORTED, api)).toEqual(['serving.api.vpcEndpointIds']);
    }
    const byDefault = problemAt(problems(IMPORTED, {}), 'serving.api.vpcEndpointIds');
    expect(byDefault.value).toBeUndefined();
    expect(byDefault.message).toContain('the API is PRIVATE (the default with NetworkMode.IMPORT_VPC)');
    expect(byDefault.fix).toContain('["vpce-0a1b2c3d4e5f67890"]');
    expect(byDefault.fix).toContain('set network.createEndpoints to true');
    expect(byDefault.fix).toContain('ApiEndpointType.REGIONAL');
    expect(problemAt(problems(IMPORTED, { endpointType: ApiEndpointType.PRIVATE }), 'serving.api.vpcEndpointIds').message).not.toContain('the default');
  });

  test('endpoint ids with a REGIONAL API, by choice or by default', () => {
    const chosen = problemAt(problems(IMPORTED, { endpointType: ApiEndpointType.REGIONAL, vpcEndpointIds: LANDING_ZONE_IDS }), 'serving.api.vpcEndpointIds');
    expect(chosen).toMatchObject({ value: LANDING_ZONE_IDS, fix: 'remove vpcEndpointIds, or set endpointType to ApiEndpointType.PRIVATE' });
    const byDefault = problemAt(problems(undefined, { vpcEndpointIds: LANDING_ZONE_IDS }), 'serving.api.vpcEndpointIds');
    expect(byDefault.message).toContain('the API is REGIONAL (the default with NetworkMode.CREATE_VPC)');
    expect(paths(OPTED_OUT, { vpcEndpointIds: LANDING_ZONE_IDS })).toEqual(['serving.api.vpcEndpointIds']);
  });

  test('endpoint ids where the network creates its own endpoints', () => {
    const created = problemAt(problems(undefined, { endpointType: ApiEndpointType.PRIVATE, vpcEndpointIds: LANDING_ZONE_IDS }), 'serving.api.vpcEndpointIds');
    expect(created).toMatchObject({ value: LANDING_ZONE_IDS, fix: 'remove vpcEndpointIds' });
    expect(created.message).toContain('NetworkMode.CREATE_VPC');
    const imported = problemAt(problems(IMPORTED_WITH_ENDPOINTS, { vpcEndpointIds: LANDING_ZONE_IDS }), 'serving.api.vpcEndpointIds');
    expect(imported.message).toContain('network.createEndpoints is true');
    expect(imported.fix).toContain('set network.createEndpoints to false');
    expect(paths(IMPORTED_WITH_ENDPOINTS, { vpcEndpointIds: LANDING_ZONE_IDS })).toEqual(['serving.api.vpcEndpointIds']);
  });

  const SHAPE_FIX = 'e.g. "vpce-0a1b2c3d4e5f67890"';
  test.each<[string, unknown, string, string]>([
    ['too short', ['vpce-0a1b2c3'], 'serving.api.vpcEndpointIds[0]', SHAPE_FIX],
    ['another kind of id', ['vpc-0a1b2c3d4e5f67890'], 'serving.api.vpcEndpointIds[0]', SHAPE_FIX],
    ['upper case', ['vpce-0A1B2C3D4E5F67890'], 'serving.api.vpcEndpointIds[0]', SHAPE_FIX],
    ['listed twice', ['vpce-0c1b2c3d4e5f67890', 'vpce-0c1b2c3d4e5f67890'], 'serving.api.vpcEndpointIds[1]', 'list each once'],
    ['an empty list', [], 'serving.api.vpcEndpointIds', '["vpce-0a1b2c3d4e5f67890"]'],
    ['not a list', 'vpce-0c1b2c3d4e5f67890', 'serving.api.vpcEndpointIds', '["vpce-0a1b2c3d4e5f67890"]'],
  ])('endpoint ids of the wrong shape: %s', (_name, vpcEndpointIds, path, fix) => {
    const found = problems(IMPORTED, { vpcEndpointIds: vpcEndpointIds as string[] });
    expect(found.map((p) => p.path)).toEqual([path]);
    expect(found[0].value).toEqual(path.endsWith(']') ? (vpcEndpointIds as string[])[Number(path.slice(-2, -1))] : vpcEndpointIds);
    expect(found[0].fix).toContain(fix);
  });

  test('Cognito with a private API: the smoke test inside the VPC could never get a token', () => {
    const created = problemAt(problems(undefined, { endpointType: ApiEndpointType.PRIVATE, authorization: ApiAuthorization.COGNITO }), 'serving.api.authorization');
    expect(created.value).toBe(ApiAuthorization.COGNITO);
    expect(created.message).toContain('in the isolated VPC');
    expect(created.message).toContain('no PrivateLink endpoint');
    expect(created.fix).toBe('use ApiAuthorization.IAM with a private API, or set endpointType to ApiEndpointType.REGIONAL to keep Cognito');
    expect(paths(undefined, { endpointType: ApiEndpointType.PRIVATE, authorization: ApiAuthorization.COGNITO })).toEqual(['serving.api.authorization']);
    // In an imported VPC the smoke test's security group sends HTTPS only to the endpoints and S3.
    const imported = problemAt(problems(IMPORTED, { vpcEndpointIds: LANDING_ZONE_IDS, authorization: ApiAuthorization.COGNITO }), 'serving.api.authorization');
    expect(imported.message).toContain('only to the endpoints and S3');
    // REGIONAL keeps Cognito.
    expect(paths(undefined, { authorization: ApiAuthorization.COGNITO })).toEqual([]);
    expect(paths(IMPORTED, { endpointType: ApiEndpointType.REGIONAL, authorization: ApiAuthorization.COGNITO })).toEqual([]);
  });

  test('caller ranges only for the endpoint the network creates, and only real, narrow ranges', () => {
    expect(paths(undefined, { callerCidrs: ['10.0.0.0/8'] })).toEqual(['serving.api.callerCidrs']);
    const landingZone = problemAt(problems(IMPORTED, { vpcEndpointIds: LANDING_ZONE_IDS, callerCidrs: ['10.0.0.0/8'] }), 'serving.api.callerCidrs');
    expect(landingZone.message).toContain('the landing zone keeps the endpoints');
    expect(paths(IMPORTED_WITH_ENDPOINTS, { callerCidrs: ['10.0.0.0/8', '172.16.0.0/12'] })).toEqual([]);
    const bad = (callerCidrs: unknown) => paths(IMPORTED_WITH_ENDPOINTS, { callerCidrs: callerCidrs as string[] });
    expect(bad(['10.0.0.0/33'])).toEqual(['serving.api.callerCidrs[0]']);
    expect(bad(['10.0.0.1/8'])).toEqual(['serving.api.callerCidrs[0]']);
    expect(bad(['10.0.0.0/8', '10.0.0.0/8'])).toEqual(['serving.api.callerCidrs[1]']);
    expect(bad([])).toEqual(['serving.api.callerCidrs']);
    const everyone = problemAt(problems(IMPORTED_WITH_ENDPOINTS, { callerCidrs: ['0.0.0.0/0'] }), 'serving.api.callerCidrs[0]');
    expect(everyone).toMatchObject({ value: '0.0.0.0/0', message: expect.stringContaining('admits every address') });
  });

  test('an endpoint type that is not one is named alone', () => {
    const p = problemAt(problems(IMPORTED, { endpointType: 'EDGE' as ApiEndpointType }), 'serving.api.endpointType');
    expect(p).toMatchObject({ value: 'EDGE', message: 'is not a ApiEndpointType' });
    expect(p.fix).toContain('ApiEndpointType.REGIONAL, ApiEndpointType.PRIVATE');
    expect(paths(IMPORTED, { endpointType: 'EDGE' as ApiEndpointType })).toEqual(['serving.api.endpointType']);
  });

  test('the resolver throws one error listing each problem and writes nothing', () => {
    const attempt = () => resolveConfig({ ...VALID, network: OPTED_OUT, serving: { api: { endpointType: ApiEndpointType.PRIVATE, vpcEndpointIds: ['vpce-1'] } } });
    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (e) {
      const error = e as ConfigValidationError;
      expect(error.problems.map((p) => p.path)).toEqual(['serving.api.vpcEndpointIds[0]', 'serving.api.endpointType']);
      expect(error.message).toContain('serving.api.endpointType = "PRIVATE": is PRIVATE, but network.mode is NetworkMode.NONE');
      expect(error.message).toContain('Fix: use ApiEndpointType.REGIONAL');
    }
  });
});
