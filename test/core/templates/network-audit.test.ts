import { NETWORK_RULES, SAGEMAKER_RULES } from '../../../src/core/templates/guardrail-rules';
import { DATA_CLASS_TAG, auditNetworkIsolation } from '../../../src/core/templates/network-audit';
import { JobKind, findSageMakerJobs } from '../../../src/core/templates/sagemaker-jobs';
import { CfnResourceJson } from '../../../src/core/templates/template';
import { stackOf } from '../../support/audit-templates';

const VPC_CONFIG = { SecurityGroupIds: ['sg-1'], Subnets: [{ Ref: 'PrivateSubnet' }] };

function training(name: string, extra: Record<string, unknown>): unknown {
  return { Name: name, Type: 'Training', Arguments: { AlgorithmSpecification: { TrainingImage: 'img' }, ...extra } };
}

function processing(name: string, network?: Record<string, unknown>): unknown {
  return { Name: name, Type: 'Processing', Arguments: { ProcessingResources: {}, ...(network ? { NetworkConfig: network } : {}) } };
}

/** A SageMaker pipeline whose definition body is written the way CDK writes it: JSON joined with references. */
function pipeline(steps: unknown[]): CfnResourceJson {
  const json = JSON.stringify({ Version: '2020-12-01', Steps: steps });
  const [before, after] = json.split('"ROLE"');
  return {
    Type: 'AWS::SageMaker::Pipeline',
    Properties: {
      PipelineDefinition: { PipelineDefinitionBody: after === undefined ? json : { 'Fn::Join': ['', [before, '"', { 'Fn::GetAtt': ['Role', 'Arn'] }, '"', after]] } },
    },
    Metadata: { 'aws:cdk:path': 'churn-training/Pipeline/Resource' },
  };
}

describe('findSageMakerJobs', () => {
  test('finds pipeline steps inside condition branches, with parameters joined in', () => {
    const stacks = stackOf({
      Pipeline: pipeline([
        processing('Prepare', { EnableNetworkIsolation: true }),
        training('Train', { EnableNetworkIsolation: true, RoleArn: 'ROLE' }),
        { Name: 'Check', Type: 'Condition', Arguments: { IfSteps: [{ Name: 'Register', Type: 'RegisterModel', Arguments: {} }, processing('Report')], ElseSteps: [] } },
      ]),
    });
    const scan = findSageMakerJobs(stacks);
    expect(scan.unreadable).toEqual([]);
    expect(scan.jobs.map((j) => `${j.kind} ${j.name} ${j.location}`)).toEqual([
      'processing Prepare PipelineDefinition.Steps[Prepare].Arguments',
      'training Train PipelineDefinition.Steps[Train].Arguments',
      'processing Report PipelineDefinition.Steps[Check].Arguments.IfSteps[Report].Arguments',
    ]);
    expect(scan.jobs[1].request.RoleArn).toBe('${Role.Arn}');
  });

  test('finds Model Monitor definitions, inline schedules, state machine tasks and scheduler targets', () => {
    const stacks = stackOf({
      DataQuality: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { NetworkConfig: { EnableNetworkIsolation: true } } },
      Schedule: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinition: { NetworkConfig: {} } } } },
      ByName: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'x' } } },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Drift","States":{"Drift":{"Type":"Task","Resource":"arn:', { Ref: 'AWS::Partition' }, ':states:::sagemaker:createProcessingJob.sync","Parameters":{"NetworkConfig":{"EnableNetworkIsolation":true}},"End":true}}}']] },
        },
      },
      Scheduled: {
        Type: 'AWS::Scheduler::Schedule',
        Properties: { Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sagemaker:createTrainingJob', Input: '{"EnableNetworkIsolation":false}' } },
      },
    });
    const scan = findSageMakerJobs(stacks);
    expect(scan.jobs.map((j) => `${j.kind} ${j.resource.logicalId} ${j.location}`)).toEqual([
      'monitoring DataQuality Properties',
      'monitoring Schedule MonitoringScheduleConfig.MonitoringJobDefinition',
      'processing Machine Definition.States.Drift.Parameters',
      'training Scheduled Target.Input',
    ]);
    expect(scan.jobs.map((j) => j.network.enableNetworkIsolation)).toEqual([true, undefined, true, false]);
  });

  test('reports definitions it cannot read', () => {
    const stacks = stackOf({
      InS3: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineDefinition: { PipelineDefinitionS3Location: { Bucket: 'b', Key: 'k' } } } },
      Broken: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineDefinition: { PipelineDefinitionBody: '{"Steps": [' } } },
    });
    expect(findSageMakerJobs(stacks).unreadable.map((f) => f.logicalId)).toEqual(['InS3', 'Broken']);
  });

  test('reads tuning jobs from their training job definition', () => {
    const stacks = stackOf({ Pipeline: pipeline([{ Name: 'Tune', Type: 'Tuning', Arguments: { TrainingJobDefinition: { EnableNetworkIsolation: true } } }]) });
    const [job] = findSageMakerJobs(stacks).jobs;
    expect(job.kind).toBe(JobKind.TUNING);
    expect(job.network.enableNetworkIsolation).toBe(true);
  });
});

describe('auditNetworkIsolation', () => {
  test('passes isolated jobs and names each job that is not', () => {
    const stacks = stackOf({
      Pipeline: pipeline([
        training('Train', { EnableNetworkIsolation: true }),
        processing('Evaluate', { EnableNetworkIsolation: false }),
        processing('Baseline'),
        training('Retrain', { EnableNetworkIsolation: { Get: 'Parameters.Isolate' } }),
      ]),
      Monitor: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { NetworkConfig: { VpcConfig: VPC_CONFIG } } },
    });
    const result = auditNetworkIsolation(stacks);
    expect(result.jobsChecked).toHaveLength(5);
    expect(result.findings.map((f) => `${f.rule} ${f.logicalId} ${f.location}`)).toEqual([
      `${NETWORK_RULES.notIsolated.id} Pipeline PipelineDefinition.Steps[Evaluate].Arguments.NetworkConfig.EnableNetworkIsolation`,
      `${NETWORK_RULES.notIsolated.id} Pipeline PipelineDefinition.Steps[Baseline].Arguments.NetworkConfig.EnableNetworkIsolation`,
      `${NETWORK_RULES.notIsolated.id} Pipeline PipelineDefinition.Steps[Retrain].Arguments.EnableNetworkIsolation`,
      `${NETWORK_RULES.notIsolated.id} Monitor Properties.NetworkConfig.EnableNetworkIsolation`,
    ]);
    expect(result.findings[0].message).toBe('processing job Evaluate: EnableNetworkIsolation is false; set it to true (SageMaker takes it beside a VpcConfig)');
    expect(result.findings[2].message).toContain('not a literal true');
    expect(result.findings[0].path).toBe('churn-training/Pipeline/Resource');
  });

  test('with a VPC configured, a job needs both network isolation and private subnets with an S3 endpoint', () => {
    const isolatedInVpc = training('Train', { EnableNetworkIsolation: true, VpcConfig: VPC_CONFIG });
    const base: Record<string, CfnResourceJson> = {
      Pipeline: pipeline([isolatedInVpc]),
      PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: false } },
    };
    const endpoint: CfnResourceJson = { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] } } };

    expect(auditNetworkIsolation(stackOf({ ...base, S3Endpoint: endpoint }), { vpcConfigured: true }).findings).toEqual([]);
    expect(auditNetworkIsolation(stackOf(base), { vpcConfigured: true }).findings.map((f) => f.rule)).toEqual([NETWORK_RULES.noVpcEndpoints.id]);
    expect(auditNetworkIsolation(stackOf(base), { vpcConfigured: true, s3EndpointExternal: true }).findings).toEqual([]);
    const vpcOnly = stackOf({ ...base, S3Endpoint: endpoint, Pipeline: pipeline([training('Train', { VpcConfig: VPC_CONFIG })]) });
    expect(auditNetworkIsolation(vpcOnly, { vpcConfigured: true }).findings.map((f) => f.rule)).toEqual([NETWORK_RULES.notIsolated.id]);
    const isolatedOnly = stackOf({ ...base, S3Endpoint: endpoint, Pipeline: pipeline([training('Train', { EnableNetworkIsolation: true }), processing('Split', { EnableNetworkIsolation: true })]) });
    expect(auditNetworkIsolation(isolatedOnly, { vpcConfigured: true }).findings.map((f) => `${f.rule} ${f.location}`)).toEqual([
      `${NETWORK_RULES.notInVpc.id} PipelineDefinition.Steps[Train].Arguments.VpcConfig`,
      `${NETWORK_RULES.notInVpc.id} PipelineDefinition.Steps[Split].Arguments.NetworkConfig.VpcConfig`,
    ]);
    expect(auditNetworkIsolation(isolatedOnly).findings).toEqual([]);
  });

  test('with a VPC configured, rejects public subnets', () => {
    const stacks = stackOf({
      Pipeline: pipeline([training('Train', { EnableNetworkIsolation: true, VpcConfig: VPC_CONFIG })]),
      PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } },
      S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: 'com.amazonaws.us-east-1.s3' } },
    });
    const findings = auditNetworkIsolation(stacks, { vpcConfigured: true }).findings;
    expect(findings.map((f) => `${f.rule} ${f.location}`)).toEqual([`${NETWORK_RULES.publicSubnet.id} PipelineDefinition.Steps[Train].Arguments.VpcConfig.Subnets[0]`]);
  });

  test('the endpoint\'s model: isolated always, in the private subnets with a network', () => {
    const model = (props: Record<string, unknown>): CfnResourceJson => ({ Type: 'AWS::SageMaker::Model', Properties: props });
    const rules = (props: Record<string, unknown>, vpcConfigured: boolean) =>
      auditNetworkIsolation(stackOf({ Model: model(props) }), { vpcConfigured }).findings.map((f) => `${f.rule} ${f.location}`);
    expect(rules({ EnableNetworkIsolation: true, VpcConfig: VPC_CONFIG }, true)).toEqual([]);
    expect(rules({ EnableNetworkIsolation: true }, false)).toEqual([]);
    expect(rules({}, false)).toEqual([`${NETWORK_RULES.notIsolated.id} EnableNetworkIsolation`]);
    expect(rules({ EnableNetworkIsolation: true }, true)).toEqual([`${NETWORK_RULES.notInVpc.id} VpcConfig`]);
    expect(rules({ EnableNetworkIsolation: true, VpcConfig: { Subnets: ['subnet-1'] } }, true)).toEqual([`${NETWORK_RULES.notInVpc.id} VpcConfig`]);
  });

  test('with a VPC configured, every function runs in it', () => {
    const fn = (vpc?: unknown): CfnResourceJson => ({ Type: 'AWS::Lambda::Function', Properties: { ...(vpc ? { VpcConfig: vpc } : {}) } });
    const stacks = stackOf({ Inside: fn({ SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] }), Outside: fn(), NoGroup: fn({ SubnetIds: ['subnet-1'] }) });
    expect(auditNetworkIsolation(stacks, { vpcConfigured: true }).findings.map((f) => `${f.rule} ${f.logicalId}`)).toEqual([
      `${NETWORK_RULES.functionOutsideVpc.id} Outside`, `${NETWORK_RULES.functionOutsideVpc.id} NoGroup`,
    ]);
    expect(auditNetworkIsolation(stacks).findings).toEqual([]);
  });

  test('no security group admits the internet; with a VPC, none sends to it, and CIDR egress is HTTPS only', () => {
    const sg = (props: Record<string, unknown>): CfnResourceJson => ({ Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', ...props } });
    const stacks = stackOf({
      OpenIngress: sg({ SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }] }),
      OpenIngressV6: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', CidrIpv6: '::/0', IpProtocol: '-1' } },
      AllOutbound: sg({ SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }] }),
      NoOutbound: sg({ SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }] }),
      HttpsToEndpoints: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: 'sg-1', CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 } },
      SshToVpc: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: 'sg-1', CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 } },
      ToPrefixList: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: 'sg-1', DestinationPrefixListId: 'pl-63a5400a', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 } },
      Internal: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', SourceSecurityGroupId: 'sg-1', IpProtocol: '-1' } },
    });
    expect(auditNetworkIsolation(stacks, { vpcConfigured: true }).findings.map((f) => `${f.rule} ${f.logicalId}`).sort()).toEqual([
      `${NETWORK_RULES.openEgress.id} AllOutbound`,
      `${NETWORK_RULES.openEgress.id} SshToVpc`,
      `${NETWORK_RULES.openIngress.id} OpenIngress`,
      `${NETWORK_RULES.openIngress.id} OpenIngressV6`,
    ]);
    expect(auditNetworkIsolation(stacks).findings.map((f) => `${f.rule} ${f.logicalId}`).sort()).toEqual([
      `${NETWORK_RULES.openIngress.id} OpenIngress`,
      `${NETWORK_RULES.openIngress.id} OpenIngressV6`,
    ]);
  });

  test('no internet gateway, NAT gateway or default route', () => {
    const stacks = stackOf({
      Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } },
      Egress6: { Type: 'AWS::EC2::EgressOnlyInternetGateway', Properties: { VpcId: 'vpc-1' } },
      Default: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: 'rtb-1', DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
      Peering: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.30.0.0/16', VpcPeeringConnectionId: 'pcx-1' } },
    });
    expect(auditNetworkIsolation(stacks).findings.map((f) => `${f.rule} ${f.logicalId}`).sort()).toEqual([
      `${NETWORK_RULES.internetRoute.id} Default`, `${NETWORK_RULES.internetRoute.id} Egress6`, `${NETWORK_RULES.internetRoute.id} Igw`, `${NETWORK_RULES.internetRoute.id} Nat`,
    ]);
  });

  test('with a VPC configured, every data bucket refuses reads from outside the network', () => {
    const bucket = (dataClass?: string): CfnResourceJson => ({ Type: 'AWS::S3::Bucket', Properties: { Tags: dataClass ? [{ Key: DATA_CLASS_TAG, Value: dataClass }] : [] } });
    const policy = (target: string, condition: Record<string, unknown>): CfnResourceJson => ({
      Type: 'AWS::S3::BucketPolicy',
      Properties: { Bucket: { Ref: target }, PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: '*', Condition: condition }] } },
    });
    const stacks = stackOf({
      Raw: bucket('datasets'),
      RawPolicy: policy('Raw', { StringNotEquals: { 'aws:SourceVpce': ['vpce-1'] } }),
      Validated: bucket('datasets'),
      ValidatedPolicy: policy('Validated', { Bool: { 'aws:SecureTransport': 'false' } }),
      Artifacts: bucket('captured-traffic'),
      ArtifactsPolicy: policy('Artifacts', { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }),
      Logs: bucket(),
    });
    const result = auditNetworkIsolation(stacks, { vpcConfigured: true });
    expect(result.findings.map((f) => `${f.rule} ${f.logicalId}`)).toEqual([`${NETWORK_RULES.dataOutsideBoundary.id} Validated`]);
    expect(result.findings[0].message).toContain('holds datasets data');
    expect(result.resourcesChecked).toEqual(['churn-test/Raw', 'churn-test/Validated', 'churn-test/Artifacts']);
    expect(auditNetworkIsolation(stacks).findings).toEqual([]);
  });

  test('an unreadable definition is a finding', () => {
    const stacks = stackOf({ Broken: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineDefinition: { PipelineDefinitionBody: 'not json' } } } });
    expect(auditNetworkIsolation(stacks).findings.map((f) => f.rule)).toEqual([SAGEMAKER_RULES.definitionUnreadable.id]);
  });
});
