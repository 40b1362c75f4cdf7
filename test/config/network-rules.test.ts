import { VALID, problemAt, problemsOf } from './helpers';
import { AidlcConfig } from '../../src/config/aidlc-config';
import { NetworkMode } from '../../src/config/enums';
import { NetworkOptions } from '../../src/config/options';
import { resolveConfig } from '../../src/config/resolve';
import { networkRules } from '../../src/config/rules/network';
import { ConfigValidationError } from '../../src/core/problem';

const IMPORTED: NetworkOptions = {
  mode: NetworkMode.IMPORT_VPC,
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  vpcCidr: '10.20.0.0/16',
  subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
};

/** A private API (the default in an imported VPC) through the landing zone's execute-api endpoint. */
const LANDING_ZONE_API = { api: { vpcEndpointIds: ['vpce-0c1b2c3d4e5f67890'] } };

function network(n: NetworkOptions, region = 'eu-west-1') {
  return problemsOf({ network: n, awsRegion: region });
}

describe('network rules', () => {
  test('no section, a created VPC, an imported VPC and an explained opt-out are valid', () => {
    expect(problemsOf({})).toEqual([]);
    expect(network({ mode: NetworkMode.CREATE_VPC, cidr: '10.64.0.0/20', availabilityZoneCount: 3, avoidCidrs: ['10.0.0.0/16'] })).toEqual([]);
    expect(problemsOf({ network: IMPORTED, awsRegion: 'eu-west-1', serving: LANDING_ZONE_API })).toEqual([]);
    expect(network({ ...IMPORTED, createEndpoints: true, routeTableIds: ['rtb-0a1b2c3d4e5f67890'], additionalEndpoints: ['sts'] })).toEqual([]);
    expect(network({ mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data' })).toEqual([]);
  });

  test('an unknown mode names the enum', () => {
    const p = problemAt(network({ mode: 'PUBLIC' as NetworkMode }), 'network.mode');
    expect(p.value).toBe('PUBLIC');
    expect(p.fix).toContain('NetworkMode.CREATE_VPC');
  });

  describe('bad input: one problem naming the field, the value and the fix', () => {
    test.each<[string, NetworkOptions, string, unknown, string, string]>([
      ['an unknown subnet id shape', { ...IMPORTED, subnetIds: ['subnet-0a1b2c3d4e5f67890', 'sn-12345678'] }, 'network.subnetIds[1]', 'sn-12345678', 'is not a subnet id', 'subnet-0a1b2c3d4e5f67890'],
      ['a VPC id of the wrong shape', { ...IMPORTED, vpcId: 'vpc-XYZ' }, 'network.vpcId', 'vpc-XYZ', 'is not a VPC id', 'vpc-0a1b2c3d4e5f67890'],
      ['one availability zone only (imported)', { ...IMPORTED, availabilityZones: ['eu-west-1a', 'eu-west-1a'] }, 'network.availabilityZones', ['eu-west-1a', 'eu-west-1a'], 'one availability zone', 'second zone'],
      ['one availability zone only (created)', { availabilityZoneCount: 1 }, 'network.availabilityZoneCount', 1, 'from 2 to 6', 'zone outage'],
      ['a zone of another region', { ...IMPORTED, availabilityZones: ['eu-west-1a', 'us-east-1b'] }, 'network.availabilityZones[1]', 'us-east-1b', 'not an availability zone of eu-west-1', 'eu-west-1a'],
      ['zones that do not match the subnets', { ...IMPORTED, availabilityZones: ['eu-west-1a'] }, 'network.availabilityZones', ['eu-west-1a'], '1 zone(s) for 2 subnet(s)', 'same order'],
      ['a CIDR overlap', { cidr: '10.0.0.0/16', avoidCidrs: ['192.168.0.0/16', '10.0.128.0/17'] }, 'network.cidr', '10.0.0.0/16', 'overlaps network.avoidCidrs[1] (10.0.128.0/17)', 'outside every avoided range'],
      ['the default range overlapping an avoided one', { avoidCidrs: ['10.0.0.0/8'] }, 'network.cidr', '10.0.0.0/16', 'overlaps network.avoidCidrs[0]', 'outside every avoided range'],
      ['a range with host bits', { cidr: '10.0.1.0/16' }, 'network.cidr', '10.0.1.0/16', 'address bits set', '"10.0.0.0/16"'],
      ['a range too large for a VPC', { cidr: '10.0.0.0/8' }, 'network.cidr', '10.0.0.0/8', '/16 to /24', '10.0.0.0/16'],
      ['not a CIDR', { cidr: '10.0.0/16' }, 'network.cidr', '10.0.0/16', 'not an IPv4 CIDR', 'a.b.c.d/n'],
      ['an opt-out without a reason', { mode: NetworkMode.NONE }, 'network.optOutReason', undefined, 'why the workloads run without a VPC', 'write the reason'],
      ['an opt-out with a token reason', { mode: NetworkMode.NONE, optOutReason: 'n/a' }, 'network.optOutReason', 'n/a', 'at least 20 characters', 'write the reason'],
      ['an imported VPC without its id', { ...IMPORTED, vpcId: undefined }, 'network.vpcId', undefined, 'is required with this network mode', 'vpc-0a1b2c3d4e5f67890'],
      ['created endpoints without route tables', { ...IMPORTED, createEndpoints: true }, 'network.routeTableIds', undefined, 'S3 gateway endpoint', 'rtb-'],
      ['endpoints to create where the landing zone keeps them', { ...IMPORTED, additionalEndpoints: ['sts'] }, 'network.additionalEndpoints', ['sts'], 'createEndpoints is false', 'createEndpoints to true'],
      ['a field of another mode', { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data', vpcId: 'vpc-0a1b2c3d' }, 'network.vpcId', 'vpc-0a1b2c3d', 'applies only to mode NetworkMode.IMPORT_VPC', 'remove vpcId'],
      ['S3 listed as an interface endpoint', { additionalEndpoints: ['s3'] }, 'network.additionalEndpoints[0]', 's3', 'gateway endpoint', 'remove it'],
      ['a prefix list id of the wrong shape', { s3PrefixListId: 'prefix-1' }, 'network.s3PrefixListId', 'prefix-1', 'not a prefix list id', 'pl-'],
    ])('%s', (_what, options, path, value, message, fix) => {
      const problems = network(options);
      const p = problemAt(problems, path);
      expect(p.value).toEqual(value);
      expect(p.message).toContain(message);
      expect(p.fix).toContain(fix);
      expect(problems.filter((x) => x.path === path)).toHaveLength(1);
    });
  });

  test('a region outside the prefix list table needs the id, and the fix names the command that prints it', () => {
    const p = problemAt(network({}, 'ap-south-1'), 'network.s3PrefixListId');
    expect(p.message).toContain('ap-south-1');
    expect(p.fix).toContain('describe-managed-prefix-lists --region ap-south-1');
    expect(p.fix).toContain('com.amazonaws.ap-south-1.s3');
    expect(network({ s3PrefixListId: 'pl-0123abcd' }, 'ap-south-1')).toEqual([]);
    expect(networkRules({ mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data' }, 'ap-south-1')).toEqual([]);
  });

  test('the resolver throws one error listing each problem and writes nothing', () => {
    expect(() => resolveConfig({ ...VALID, network: { ...IMPORTED, subnetIds: ['subnet-1'], availabilityZones: ['us-east-1a'] } }))
      .toThrow(ConfigValidationError);
    try {
      resolveConfig({ ...VALID, awsRegion: 'eu-west-1', network: { ...IMPORTED, subnetIds: ['subnet-1'], availabilityZones: ['eu-west-1a'] } });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('network.subnetIds[0] = "subnet-1": is not a subnet id');
      expect(message).toContain('network.availabilityZones = ["eu-west-1a"]: puts every subnet in one availability zone. Fix: add a private subnet in a second zone');
    }
  });
});

describe('the resolved network', () => {
  test('defaults to a created VPC in 2 zones, with the endpoints the workloads call and their idle cost', () => {
    const n = resolveConfig(VALID).network;
    expect(n).toMatchObject({
      mode: NetworkMode.CREATE_VPC,
      cidr: '10.0.0.0/16',
      availabilityZoneCount: 2,
      createEndpoints: true,
      s3PrefixListId: 'pl-63a5400a',
      interfaceEndpoints: [
        { service: 'monitoring', reason: expect.stringContaining('PutMetricData') },
        { service: 'kms', reason: expect.stringContaining('kms:Sign') },
        { service: 'sagemaker.api', reason: expect.stringContaining('lineage') },
      ],
    });
    // 3 endpoints x 2 zones x 730 h x $0.01
    expect(n.cost).toMatchObject({ interfaceEndpoints: 3, availabilityZones: 2, usdPerEndpointAzHour: 0.01, idleUsdPerMonth: 43.8 });
    expect(n.cost!.source).toContain('PrivateLink pricing');
  });

  test('names the retraining trigger on the SageMaker API endpoint, adds the listed extras once, and prices them', () => {
    const n = resolveConfig({ ...VALID, monitoring: { retrainOnDrift: true }, network: { availabilityZoneCount: 3, additionalEndpoints: ['sts', 'kms'] } }).network;
    expect(n.interfaceEndpoints.map((e) => e.service)).toEqual(['monitoring', 'kms', 'sagemaker.api', 'sts']);
    expect(n.interfaceEndpoints.find((e) => e.service === 'sagemaker.api')!.reason).toContain('StartPipelineExecution');
    // 4 endpoints x 3 zones x 730 h x $0.01
    expect(n.cost!.idleUsdPerMonth).toBe(87.6);
  });

  test('an imported VPC keeps its ids, sends HTTPS to its own range by default and creates no endpoints', () => {
    const n = resolveConfig({ ...VALID, awsRegion: 'eu-west-1', network: IMPORTED, serving: LANDING_ZONE_API }).network;
    expect(n).toMatchObject({
      mode: NetworkMode.IMPORT_VPC,
      vpcId: IMPORTED.vpcId,
      subnetIds: IMPORTED.subnetIds,
      availabilityZoneCount: 2,
      createEndpoints: false,
      interfaceEndpoints: [],
      endpointCidrs: ['10.20.0.0/16'],
      s3PrefixListId: 'pl-6da54004',
    });
    expect(n.cost).toBeUndefined();
  });

  test('an opt-out keeps its reason and nothing else', () => {
    const n = resolveConfig({ ...VALID, network: { mode: NetworkMode.NONE, optOutReason: '  sandbox account without regulated data ' } }).network;
    expect(n).toEqual({ mode: NetworkMode.NONE, availabilityZoneCount: 0, avoidCidrs: [], createEndpoints: false, interfaceEndpoints: [], optOutReason: 'sandbox account without regulated data' });
  });
});

describe('loading a resolved config', () => {
  const { mkdtempSync, writeFileSync } = jest.requireActual<typeof import('fs')>('fs');
  const { join } = jest.requireActual<typeof import('path')>('path');
  const { tmpdir } = jest.requireActual<typeof import('os')>('os');

  test('keeps the network section, and asks to regenerate a file written before it existed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aidlc-load-'));
    const config = resolveConfig(VALID);
    writeFileSync(join(dir, 'aidlc.json'), JSON.stringify(config));
    expect(AidlcConfig.load(join(dir, 'aidlc.json')).network.mode).toBe(NetworkMode.CREATE_VPC);
    const { network: _network, ...older } = config;
    writeFileSync(join(dir, 'old.json'), JSON.stringify(older));
    expect(() => AidlcConfig.load(join(dir, 'old.json'))).toThrow(/old.json: network = \(not set\): is missing: the file was written by an older aidlc-pipeline. Fix: run "npx projen" in the repository to regenerate it/);
  });
});
