import { Match, Template } from 'aws-cdk-lib/assertions';
import { NetworkStack } from '../../../src/app/stacks/network-stack';
import { NetworkMode } from '../../../src/config/enums';
import { resolveConfig } from '../../../src/config/resolve';
import { IMPORTED_VPC } from '../../support/networks';

describe('the network stack', () => {
  test('takes its zones from Fn::GetAZs, so a set account needs no lookup, and states the idle cost', () => {
    const config = resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', awsAccount: '123456789012', network: { availabilityZoneCount: 3 } });
    const stack = new NetworkStack(undefined as any, 'churn-network', { config, env: { account: '123456789012', region: 'us-east-1' } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::Subnet', 3);
    t.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: { 'Fn::Select': [2, { 'Fn::GetAZs': '' }] } });
    expect(stack.node.metadata.filter((m) => m.type === 'aws:cdk:missing')).toEqual([]);
    t.hasOutput('EstimatedIdleCost', { Value: '65.7 USD per month for 3 interface endpoint(s) in 3 zones' });
  });

  test('refuses a config that opts out', () => {
    const config = resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', network: { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data' } });
    expect(() => new NetworkStack(undefined as any, 'churn-network', { config })).toThrow(/network.mode = "NONE": opts out of a network, so there is none to build. Fix: /);
  });

  test('the network stack creates it from the config, with the imported VPC\'s range as callers', () => {
    const config = resolveConfig({
      modelName: 'churn',
      githubRepository: 'acme/churn',
      awsRegion: 'eu-west-1',
      network: { mode: NetworkMode.IMPORT_VPC, ...IMPORTED_VPC, createEndpoints: true, routeTableIds: ['rtb-0a1b2c3d4e5f67890'] },
    });
    const stack = new NetworkStack(undefined as any, 'churn-network', { config, env: { account: '123456789012', region: 'eu-west-1' } });
    expect(stack.network.privateApiEndpoint).toBeDefined();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: 443 })] });
    t.hasOutput('EstimatedIdleCost', { Value: '102.2 USD per month for 7 interface endpoint(s) in 2 zones' });
  });
});
