import { stackOf } from './helpers';
import { NETWORK_RULES, auditNetworkIsolation } from '../../../src/app/compliance/network-audit';
import { JobKind, findSageMakerJobs } from '../../../src/app/compliance/sagemaker-jobs';
import { CfnResourceJson } from '../../../src/app/compliance/template';

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
      `${NETWORK_RULES.notIsolated} Pipeline PipelineDefinition.Steps[Evaluate].Arguments.NetworkConfig.EnableNetworkIsolation`,
      `${NETWORK_RULES.notIsolated} Pipeline PipelineDefinition.Steps[Baseline].Arguments.NetworkConfig.EnableNetworkIsolation`,
      `${NETWORK_RULES.notIsolated} Pipeline PipelineDefinition.Steps[Retrain].Arguments.EnableNetworkIsolation`,
      `${NETWORK_RULES.notIsolated} Monitor Properties.NetworkConfig.EnableNetworkIsolation`,
    ]);
    expect(result.findings[0].message).toBe('processing job Evaluate: EnableNetworkIsolation is false; set it to true');
    expect(result.findings[2].message).toContain('not a literal true');
    expect(result.findings[0].path).toBe('churn-training/Pipeline/Resource');
  });

  test('with a VPC configured, accepts private subnets with an S3 endpoint', () => {
    const base: Record<string, CfnResourceJson> = {
      Pipeline: pipeline([training('Train', { VpcConfig: VPC_CONFIG })]),
      PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: false } },
    };
    const endpoint: CfnResourceJson = { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] } } };

    expect(auditNetworkIsolation(stackOf({ ...base, S3Endpoint: endpoint }), { vpcConfigured: true }).findings).toEqual([]);
    expect(auditNetworkIsolation(stackOf(base), { vpcConfigured: true }).findings.map((f) => f.rule)).toEqual([NETWORK_RULES.noVpcEndpoints]);
    const withoutVpc = auditNetworkIsolation(stackOf({ ...base, S3Endpoint: endpoint }), { vpcConfigured: false });
    expect(withoutVpc.findings.map((f) => f.rule)).toEqual([NETWORK_RULES.notIsolated]);
  });

  test('with a VPC configured, rejects public subnets', () => {
    const stacks = stackOf({
      Pipeline: pipeline([training('Train', { VpcConfig: VPC_CONFIG })]),
      PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } },
      S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: 'com.amazonaws.us-east-1.s3' } },
    });
    const findings = auditNetworkIsolation(stacks, { vpcConfigured: true }).findings;
    expect(findings.map((f) => `${f.rule} ${f.location}`)).toEqual([`${NETWORK_RULES.publicSubnet} PipelineDefinition.Steps[Train].Arguments.VpcConfig.Subnets[0]`]);
  });

  test('an unreadable definition is a finding', () => {
    const stacks = stackOf({ Broken: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineDefinition: { PipelineDefinitionBody: 'not json' } } } });
    expect(auditNetworkIsolation(stacks).findings.map((f) => f.rule)).toEqual(['SAGEMAKER_DEFINITION_UNREADABLE']);
  });
});
