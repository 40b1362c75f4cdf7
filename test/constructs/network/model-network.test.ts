import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IMPORTED_VPC, testNetwork } from './helpers';
import { NetworkStack } from '../../../src/app/stacks/network-stack';
import { NetworkMode } from '../../../src/config/enums';
import { resolveConfig } from '../../../src/config/resolve';
import { ModelNetwork } from '../../../src/constructs/network/model-network';
import { nagFindings, testStack } from '../data/helpers';

function only(t: Template, type: string): any {
  const found = Object.values(t.findResources(type));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties;
}

describe('a created network', () => {
  const stack = testStack('Created');
  const network = testNetwork(stack, { cidr: '10.64.0.0/16', availabilityZoneCount: 2, interfaceEndpoints: ['monitoring', 'sagemaker.api'] });
  const workload = network.securityGroupFor(stack, 'Workload', 'A workload\'s functions');
  const t = Template.fromStack(stack);

  test('a VPC of private isolated subnets in 2 zones: no internet gateway, no NAT, no route out', () => {
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.64.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    t.resourceCountIs('AWS::EC2::Subnet', 2);
    t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::Route', 'AWS::EC2::EIP']) t.resourceCountIs(type, 0);
    expect(network.subnetIds).toHaveLength(2);
    expect(network.createdVpc).toBe(true);
  });

  test('the default security group is stripped of its rules', () => {
    t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs of all traffic into a KMS-encrypted log group kept a year, through a role with a managed policy', () => {
    const flowLog = only(t, 'AWS::EC2::FlowLog');
    expect(flowLog).toMatchObject({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    const logGroup = only(t, 'AWS::Logs::LogGroup');
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/FlowLogKey/), 'Arn'] });
    expect(logGroup.RetentionInDays).toBe(365);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'vpc-flow-logs.amazonaws.com' } })] }, ManagedPolicyArns: [Match.anyValue()] });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('an S3 gateway endpoint on the subnets\' route tables and interface endpoints with private DNS, each admitting only this model\'s roles', () => {
    const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties);
    const s3 = endpoints.find((e) => e.VpcEndpointType === undefined || e.VpcEndpointType === 'Gateway');
    expect(s3.RouteTableIds).toHaveLength(2);
    expect(s3.PolicyDocument.Statement).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucket', 's3:GetBucketLocation'],
      Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012', 'aws:PrincipalTag/aidlc:model': 'churn', 'aws:ResourceAccount': '123456789012' } },
    })]);
    const interfaces = endpoints.filter((e) => e.VpcEndpointType === 'Interface');
    expect(interfaces.map((e) => e.ServiceName).sort()).toEqual(['com.amazonaws.eu-west-1.monitoring', 'com.amazonaws.eu-west-1.sagemaker.api']);
    for (const e of interfaces) {
      expect(e.PrivateDnsEnabled).toBe(true);
      expect(e.SubnetIds).toHaveLength(2);
      expect(e.PolicyDocument.Statement[0].Condition.StringEquals['aws:PrincipalTag/aidlc:model']).toBe('churn');
    }
    expect(interfaces.find((e) => e.ServiceName.endsWith('.monitoring')).PolicyDocument.Statement[0].Action).toBe('cloudwatch:PutMetricData');
  });

  test('the endpoints admit HTTPS from the workloads\' groups only; a workload sends HTTPS to them and to S3 only', () => {
    const endpointGroup = Object.values(t.findResources('AWS::EC2::SecurityGroup')).map((g: any) => g.Properties).find((g) => /^Interface endpoints/.test(g.GroupDescription));
    expect(endpointGroup.SecurityGroupIngress).toBeUndefined();
    expect(endpointGroup.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    const workloadId = stack.resolve((workload.node.defaultChild as any).logicalId);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: { 'Fn::GetAtt': [workloadId, 'GroupId'] }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r: any) => r.Properties).filter((r) => JSON.stringify(r.GroupId).includes(workloadId));
    expect(egress.map((r) => [r.DestinationPrefixListId ? 'prefix list' : 'endpoints', r.FromPort, r.ToPort])).toEqual([['prefix list', 443, 443], ['endpoints', 443, 443]]);
    expect(JSON.stringify(t.toJSON())).not.toMatch(/"CidrIpv?6?":"(0\.0\.0\.0\/0|::\/0)"/);
  });

  test('adding an endpoint is one call, and asking twice gives the same endpoint', () => {
    const s = testStack('More');
    const n = testNetwork(s, { interfaceEndpoints: [] });
    const kms = n.addInterfaceEndpoint('kms', { actions: ['kms:Sign'] });
    expect(n.addInterfaceEndpoint('kms')).toBe(kms);
    expect(n.interfaceEndpointServices).toEqual(['kms']);
    const e = Object.values(Template.fromStack(s).findResources('AWS::EC2::VPCEndpoint')).map((x: any) => x.Properties).find((x) => x.VpcEndpointType === 'Interface');
    expect(e.ServiceName).toBe('com.amazonaws.eu-west-1.kms');
    expect(e.PolicyDocument.Statement[0].Action).toBe('kms:Sign');
  });

  test('reads from the lake are bound to the created S3 endpoint', () => {
    expect(network.dataBoundary.conditionKey).toBe('aws:SourceVpce');
    expect(stack.resolve(network.dataBoundary.values)).toEqual([{ Ref: expect.stringMatching(/S3Endpoint/) }]);
  });

  test('passes the four compliance packs: flow logs rather than acknowledgements', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('the execute-api endpoint of private APIs', () => {
  function interfaceEndpoint(t: Template, service: string): any {
    return Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties).find((e) => e.ServiceName === `com.amazonaws.eu-west-1.${service}`);
  }

  test('created once, with private DNS, letting any caller POST /invocations of this account\'s APIs and nothing else', () => {
    const stack = testStack('PrivateApi');
    const network = testNetwork(stack, { interfaceEndpoints: [] });
    expect(network.privateApiEndpoint).toBeUndefined();
    const endpoint = network.addPrivateApiEndpoint();
    expect(network.addPrivateApiEndpoint()).toBe(endpoint);
    expect(network.privateApiEndpoint).toBe(endpoint);
    const t = Template.fromStack(stack);
    const e = interfaceEndpoint(t, 'execute-api');
    expect(e.PrivateDnsEnabled).toBe(true);
    // Token and API-key callers carry no AWS identity: no principal condition, the resource narrows it.
    expect(e.PolicyDocument.Statement).toEqual([{
      Sid: 'AnyCallerTheseActionsOnly',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'execute-api:Invoke',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:123456789012:*/*/POST/invocations']] },
    }]);
    // Without caller ranges it sits in the endpoints' group alone, which admits only the workloads.
    expect(e.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/EndpointSecurityGroup/), 'GroupId'] }]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('caller ranges get a security group of the endpoint\'s own, so the other endpoints stay closed to them', () => {
    const stack = testStack('Callers');
    const network = testNetwork(stack, { interfaceEndpoints: ['monitoring', 'execute-api', 'logs'], apiCallerCidrs: ['10.20.0.0/16', '172.16.0.0/12'] });
    const t = Template.fromStack(stack);
    const groups = t.findResources('AWS::EC2::SecurityGroup');
    const callers = Object.entries(groups).find(([, g]: [string, any]) => /^Callers of the execute-api endpoint/.test(g.Properties.GroupDescription))!;
    expect((callers[1] as any).Properties.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort])).toEqual([
      ['10.20.0.0/16', 'tcp', 443, 443], ['172.16.0.0/12', 'tcp', 443, 443],
    ]);
    expect(interfaceEndpoint(t, 'execute-api').SecurityGroupIds).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/EndpointSecurityGroup/), 'GroupId'] }, { 'Fn::GetAtt': [callers[0], 'GroupId'] },
    ]);
    for (const service of ['monitoring', 'logs']) expect(interfaceEndpoint(t, service).SecurityGroupIds).toHaveLength(1);
    // The smoke test's endpoints admit its calls, for this model's roles only.
    expect(interfaceEndpoint(t, 'logs').PolicyDocument.Statement[0]).toMatchObject({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Condition: { StringEquals: { 'aws:PrincipalTag/aidlc:model': 'churn' } },
    });
    expect(network.privateApiEndpoint).toBeDefined();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('a network on the landing zone\'s endpoints creates none', () => {
    const stack = new Stack(undefined, 'LandingZoneApi', { env: { region: 'eu-west-1' } });
    const network = new ModelNetwork(stack, 'Network', { modelName: 'churn', s3PrefixListId: 'pl-6da54004', existingVpc: IMPORTED_VPC });
    expect(network.addPrivateApiEndpoint(['10.20.0.0/16'])).toBeUndefined();
    expect(network.privateApiEndpoint).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroup', 0);
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

describe('an imported network', () => {
  test('uses the VPC and subnets by id with no lookup, and sends HTTPS to the landing zone\'s endpoint range', () => {
    const stack = new Stack(undefined, 'Imported', { env: { account: '123456789012', region: 'eu-west-1' } });
    const network = new ModelNetwork(stack, 'Network', { modelName: 'churn', s3PrefixListId: 'pl-6da54004', existingVpc: IMPORTED_VPC, endpointCidrs: ['10.100.0.0/24'] });
    network.securityGroupFor(stack, 'Workload', 'workload');
    const t = Template.fromStack(stack);
    expect(network.subnetIds).toEqual(IMPORTED_VPC.subnetIds);
    expect(network.vpcId).toBe(IMPORTED_VPC.vpcId);
    expect(network.endpointSecurityGroup).toBeUndefined();
    expect(network.addInterfaceEndpoint('sts')).toBeUndefined();
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::VPCEndpoint', 'AWS::EC2::FlowLog']) t.resourceCountIs(type, 0);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: IMPORTED_VPC.vpcId });
    const inline = (only(t, 'AWS::EC2::SecurityGroup').SecurityGroupEgress as any[]).map((r) => `${r.CidrIp}:${r.FromPort}-${r.ToPort}`);
    const standalone = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r: any) => `${r.Properties.DestinationPrefixListId}:${r.Properties.FromPort}-${r.Properties.ToPort}`);
    expect([...standalone, ...inline]).toEqual(['pl-6da54004:443-443', '10.100.0.0/24:443-443']);
    expect(network.dataBoundary).toEqual({ conditionKey: 'aws:SourceVpc', values: [IMPORTED_VPC.vpcId] });
    expect(stack.node.metadata.filter((m) => m.type === 'aws:cdk:missing')).toEqual([]);
  });

  test('binds reads to the landing zone\'s S3 endpoint when its id is given', () => {
    const stack = new Stack(undefined, 'WithEndpoint', { env: { region: 'eu-west-1' } });
    const network = new ModelNetwork(stack, 'Network', { modelName: 'churn', s3PrefixListId: 'pl-6da54004', existingVpc: IMPORTED_VPC, s3EndpointId: 'vpce-0a1b2c3d4e5f67890' });
    expect(network.dataBoundary).toEqual({ conditionKey: 'aws:SourceVpce', values: ['vpce-0a1b2c3d4e5f67890'] });
  });

  test('creates the endpoints in it when asked, on its route tables', () => {
    const stack = new Stack(undefined, 'Endpoints', { env: { region: 'eu-west-1' } });
    new ModelNetwork(stack, 'Network', {
      modelName: 'churn',
      s3PrefixListId: 'pl-6da54004',
      createEndpoints: true,
      interfaceEndpoints: ['monitoring'],
      existingVpc: { ...IMPORTED_VPC, routeTableIds: ['rtb-0a1b2c3d4e5f67890', 'rtb-0b1b2c3d4e5f67890'] },
    });
    const endpoints = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties);
    expect(endpoints.map((e) => [e.VpcId, e.RouteTableIds ?? e.SubnetIds])).toEqual([
      [IMPORTED_VPC.vpcId, ['rtb-0a1b2c3d4e5f67890', 'rtb-0b1b2c3d4e5f67890']],
      [IMPORTED_VPC.vpcId, IMPORTED_VPC.subnetIds],
    ]);
    expect(() => new ModelNetwork(new Stack(undefined, 'NoTables'), 'Network', { modelName: 'churn', s3PrefixListId: 'pl-6da54004', createEndpoints: true, existingVpc: IMPORTED_VPC }))
      .toThrow(/routeTableIds/);
  });
});

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
    expect(() => new NetworkStack(undefined as any, 'churn-network', { config })).toThrow(/opts out/);
  });
});
