import { AidlcConfig, ResolvedConfig } from '../../src/config';
import { CfnResourceJson, StackTemplate } from '../../src/core/templates/template';

/*
 * CloudFormation templates written by hand, as the audits and the compliance report read them.
 */

/** The config the hand-written templates below were written for. */
export const CONFIG: ResolvedConfig = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });

const KEY_ARN = { 'Fn::GetAtt': ['Key', 'Arn'] };

function tlsOnlyPolicy(target: string, resourceKey: string, targetProperty: string, type: string): CfnResourceJson {
  return {
    Type: type,
    Properties: {
      [targetProperty]: targetProperty === 'Bucket' ? { Ref: target } : [{ Ref: target }],
      PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: resourceKey, Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    },
  };
}

/** The bucket policy also refuses data reads that do not come through the S3 endpoint. */
function withNetworkBoundary(policy: CfnResourceJson): CfnResourceJson {
  const document = policy.Properties!.PolicyDocument as { Statement: unknown[] };
  const deny = { Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': [{ Ref: 'S3Endpoint' }] } } };
  return { ...policy, Properties: { ...policy.Properties, PolicyDocument: { Statement: [...document.Statement, deny] } } };
}

/** A small data stack that shows every storage and network control. */
export function dataStack(): StackTemplate {
  return {
    stackName: 'churn-data',
    template: {
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: { Statement: [] } }, DeletionPolicy: 'Retain' },
        Raw: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } }] },
            LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' }, LogFilePrefix: 'raw/' },
            VersioningConfiguration: { Status: 'Enabled' },
            LifecycleConfiguration: { Rules: [{ Id: 'archive', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] }] },
            Tags: [{ Key: 'aidlc:data-class', Value: 'datasets' }],
          },
          DeletionPolicy: 'Retain',
        },
        RawPolicy: withNetworkBoundary(tlsOnlyPolicy('Raw', 's3:*', 'Bucket', 'AWS::S3::BucketPolicy')),
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, MapPublicIpOnLaunch: false } },
        S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.us-east-1.s3', PolicyDocument: { Statement: [] } } },
        FlowLog: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL' } },
        Logs: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
            VersioningConfiguration: { Status: 'Enabled' },
            LifecycleConfiguration: { Rules: [{ Id: 'expire', Status: 'Enabled', ExpirationInDays: 365 }] },
          },
        },
        LogsPolicy: tlsOnlyPolicy('Logs', 's3:*', 'Bucket', 'AWS::S3::BucketPolicy'),
        Group: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: KEY_ARN, RetentionInDays: 365 } },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: KEY_ARN } },
        TopicPolicy: tlsOnlyPolicy('Topic', 'sns:Publish', 'Topics', 'AWS::SNS::TopicPolicy'),
        Mail: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email', Endpoint: 'ml@acme.example', TopicArn: { Ref: 'Topic' } } },
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [{
                Effect: 'Allow',
                Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/churn:ref:refs/heads/main' } },
              }],
            },
            Policies: [{ PolicyName: 'read', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Raw', 'Arn'] }, '/*']] } }] } }],
          },
        },
      },
    },
  };
}

/** A training stack with a pipeline: isolated, encrypted training on the raw bucket, then registration. */
export function trainingStack(
  options: { isolated?: boolean; instanceCount?: number; transitEncryption?: boolean; provenanceKeys?: string[]; inVpc?: boolean } = {},
): StackTemplate {
  const definition = {
    Version: '2020-12-01',
    Steps: [
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
          EnableNetworkIsolation: options.isolated ?? true,
          EnableInterContainerTrafficEncryption: options.transitEncryption ?? true,
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3Uri: 's3://raw/datasets/train.csv' } } }],
          OutputDataConfig: { S3OutputPath: 's3://models/', KmsKeyId: 'KEY' },
          ResourceConfig: { InstanceCount: options.instanceCount ?? 1, VolumeKmsKeyId: 'KEY' },
          ...(options.inVpc ?? true ? { VpcConfig: { SecurityGroupIds: ['sg-0a1b2c3d'], Subnets: ['subnet-0a1b2c3d'] } } : {}),
        },
      },
      {
        Name: 'Register',
        Type: 'RegisterModel',
        Arguments: {
          ModelPackageGroupName: 'churn',
          ModelApprovalStatus: 'PendingManualApproval',
          CustomerMetadataProperties: Object.fromEntries((options.provenanceKeys ?? ['source_revision', 'dataset_manifest_uri', 'dataset_manifest_sha256', 'training_job_arn', 'artifact_sha256', 'artifact_signature'])
            .map((k) => [k, { Get: `Parameters.${k}` }])),
        },
      },
    ],
  };
  // Joined the way CDK writes a definition that holds references: literal JSON around each reference.
  const parts = JSON.stringify(definition).split('"KEY"');
  const joined: unknown[] = parts.flatMap((part, i) => (i === 0 ? [part] : ['"', { 'Fn::ImportValue': 'churn-data:KeyArn' }, '"', part]));
  return {
    stackName: 'churn-training',
    template: {
      Resources: {
        Pipeline: {
          Type: 'AWS::SageMaker::Pipeline',
          Properties: { PipelineDefinition: { PipelineDefinitionBody: { 'Fn::Join': ['', joined] } } },
        },
        Group: { Type: 'AWS::SageMaker::ModelPackageGroup', Properties: { ModelPackageGroupName: 'churn' } },
      },
    },
  };
}

/** A serving stack: canary endpoint with rollback alarms and data capture, a delivery pipeline with approval. */
export function servingStack(): StackTemplate {
  return {
    stackName: 'churn-serving-prod',
    template: {
      Resources: {
        Config: {
          Type: 'AWS::SageMaker::EndpointConfig',
          Properties: { KmsKeyId: 'alias/aidlc/churn', DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 20, DestinationS3Uri: 's3://capture/churn' } },
        },
        Endpoint: {
          Type: 'AWS::SageMaker::Endpoint',
          Properties: {
            DeploymentConfig: {
              BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY' } },
              AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'churn-prod-5xx' }, { AlarmName: 'churn-prod-p99' }] },
            },
          },
        },
        Errors: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'churn-prod-5xx', AlarmActions: [{ Ref: 'Topic' }], MetricName: 'Invocation5XXErrors', Namespace: 'AWS/SageMaker', Threshold: 1 } },
        Drift: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'churn-drift', AlarmActions: [{ Ref: 'Topic' }], MetricName: 'DriftedColumns', Namespace: 'aidlc/churn/drift', Threshold: 1 } },
        Hourly: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'monitor', Arn: 'x' }] } },
        StateChanges: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.codepipeline'] }, Targets: [{ Id: 'status', Arn: 'x' }] } },
        Delivery: {
          Type: 'AWS::CodePipeline::Pipeline',
          Properties: {
            ArtifactStore: { Type: 'S3', Location: 'artifacts', EncryptionKey: { Id: 'alias/aidlc/churn', Type: 'KMS' } },
            Stages: [
              { Name: 'Source', Actions: [{ Name: 'GitHub', ActionTypeId: { Category: 'Source', Provider: 'CodeStarSourceConnection', Owner: 'AWS', Version: '1' } }] },
              { Name: 'Approve', Actions: [{ Name: 'Approve', ActionTypeId: { Category: 'Approval', Provider: 'Manual', Owner: 'AWS', Version: '1' } }] },
            ],
          },
        },
      },
    },
  };
}

export function allStacks(): StackTemplate[] {
  return [dataStack(), trainingStack(), servingStack()];
}

/** A one-stack template set built from resources, for unit tests. */
export function stackOf(resources: Record<string, CfnResourceJson>, stackName = 'churn-test'): StackTemplate[] {
  return [{ stackName, template: { Resources: resources } }];
}

/** A role with one inline policy. */
export function roleWith(statements: unknown[], extra: Record<string, unknown> = {}): CfnResourceJson {
  return {
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }], ...extra },
    Metadata: { 'aws:cdk:path': 'churn-test/Role/Resource' },
  };
}
