import * as fs from 'fs';
import * as path from 'path';
import { AssetStaging } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataGate, DataLake } from '../../../src/constructs';
import { testStack } from '../../support/cdk-app';
import { nagFindings } from '../../support/compliance';
import { CONTRACT } from '../../support/contracts';
import { testNetwork } from '../../support/networks';

describe('DataGate', () => {
  const stack = testStack();
  const lake = new DataLake(stack, 'Lake');
  const baseline = { format: 'aidlc-profile', version: 1, rows: 1, columns: {} };
  const gate = new DataGate(stack, 'Gate', { lake, contract: CONTRACT, rawPrefix: 'raw/churn/', baselineProfile: baseline });
  const t = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.resolve((c.node.defaultChild as { logicalId: string }).logicalId);
  const keyArn = { 'Fn::GetAtt': [id(lake.key as never), 'Arn'] };
  const dlqArn = { 'Fn::GetAtt': [id(gate.deadLetterQueue), 'Arn'] };

  test('a Node.js 22 function with the bundled engine, its settings and a dead-letter queue', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 900,
      DeadLetterConfig: { TargetArn: dlqArn },
      Environment: {
        Variables: Match.objectLike({
          RAW_PREFIX: 'raw/churn/',
          VALIDATED_PREFIX: 'validated/churn/',
          QUARANTINE_PREFIX: 'quarantine/churn/',
          VALIDATED_BUCKET: { Ref: id(lake.validatedBucket as never) },
          QUARANTINE_BUCKET: { Ref: id(lake.quarantineBucket as never) },
        }),
      },
      LoggingConfig: { LogGroup: { Ref: id(gate.logGroup) } },
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    expect(gate.validatedDataPrefix).toBe('validated/churn/data/');
  });

  test('the code folder holds the handler, the contract and the baseline', () => {
    const staging = gate.function.node.findAll().find((c) => c instanceof AssetStaging) as AssetStaging;
    const dir = staging.sourcePath;
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toContain('aidlc-data-gate');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'contract.json'), 'utf8'))).toEqual(CONTRACT);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'))).toEqual(baseline);
  });

  test('the role may only read raw, write validated and quarantine, use the one key, log and dead-letter', () => {
    const role = Object.values(t.findResources('AWS::IAM::Role')).find((r: any) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com')) as any;
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: id(gate.policy) }]);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    const statements = (Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p: any) => p.Properties.Description.startsWith('aidlc data gate')) as any).Properties.PolicyDocument.Statement;
    const objects = (bucket: object, prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(bucket as never), 'Arn'] }, `/${prefix}*`]] });
    expect(statements).toEqual([
      { Sid: 'ReadRaw', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects(lake.rawBucket, 'raw/churn/') },
      { Sid: 'WriteValidatedAndQuarantine', Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: [objects(lake.validatedBucket, 'validated/churn/'), objects(lake.quarantineBucket, 'quarantine/churn/')] },
      { Sid: 'UseLakeKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn },
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [id(gate.logGroup), 'Arn'] } },
      { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlqArn },
    ]);
  });

  test('uploads under the raw prefix reach the function through EventBridge, with retries and the dead-letter queue', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: id(lake.rawBucket as never) }] }, object: { key: [{ prefix: 'raw/churn/' }] } },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [id(gate.function), 'Arn'] },
        DeadLetterConfig: { Arn: dlqArn },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      })],
    });
  });

  test('the dead-letter queue, the logs and the alarm topic are encrypted with the lake key; the queue alarms on its first message', () => {
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1209600 });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn, RetentionInDays: 365 });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(gate.deadLetterQueue), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: id(gate.alarmTopic as never) }],
    });
  });

  test('rejects a prefix without a trailing slash', () => {
    const s = testStack('Bad');
    expect(() => new DataGate(s, 'Gate', { lake: new DataLake(s, 'Lake'), contract: CONTRACT, rawPrefix: 'raw/churn' })).toThrow(/must end with "\/"/);
  });

  test('outside a network, the packs report the function outside a VPC (nothing acknowledges it)', () => {
    expect(nagFindings(stack)).toEqual([
      'HIPAA.Security-LambdaInsideVPC Test/Gate/Function/Resource',
      'NIST.800.53.R5-LambdaInsideVPC Test/Gate/Function/Resource',
      'PCI.DSS.321-LambdaInsideVPC Test/Gate/Function/Resource',
    ]);
  });

  test('in a network: the private subnets, a security group sending HTTPS only to S3 and the endpoints, ENI rights scoped, no findings', () => {
    const s = testStack('InNetwork');
    const network = testNetwork(s);
    const g = new DataGate(s, 'Gate', { lake: new DataLake(s, 'Lake'), contract: CONTRACT, network });
    const nt = Template.fromStack(s);
    const sgId = s.resolve((g.securityGroup!.node.defaultChild as unknown as { logicalId: string }).logicalId);
    nt.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [sgId, 'GroupId'] }], SubnetIds: network.subnetIds.map((sub) => s.resolve(sub)) },
    });
    const egress = Object.values(nt.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } } }))
      .map((r: any) => r.Properties)
      .map((r: any) => [r.DestinationPrefixListId ?? r.DestinationSecurityGroupId, r.IpProtocol, r.FromPort, r.ToPort]);
    expect(egress).toEqual([
      ['pl-63a5400a', 'tcp', 443, 443],
      [{ 'Fn::GetAtt': [s.resolve((network.endpointSecurityGroup!.node.defaultChild as unknown as { logicalId: string }).logicalId), 'GroupId'] }, 'tcp', 443, 443],
    ]);
    nt.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'aidlc data gate for raw/ uploads', SecurityGroupIngress: Match.absent() });
    nt.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] }, FromPort: 443, ToPort: 443 });
    const policy = (Object.values(nt.findResources('AWS::IAM::ManagedPolicy')).find((p: any) => p.Properties.Description.startsWith('aidlc data gate')) as any).Properties.PolicyDocument;
    const create = policy.Statement.find((st: any) => st.Sid === 'CreateInterfacesInPrivateSubnets');
    expect(create.Action).toBe('ec2:CreateNetworkInterface');
    expect(JSON.stringify(create.Resource)).toMatch(/subnet\/.*security-group\//);
    expect(Object.keys(nt.findResources('AWS::IAM::Role')).length).toBeGreaterThan(0);
    expect(JSON.stringify(nt.findResources('AWS::IAM::Role'))).not.toContain('AWSLambdaVPCAccessExecutionRole');
    expect(nagFindings(s)).toEqual([]);
  });

  test('with reserved concurrency the concurrency rule holds without an acknowledgment', () => {
    const s = testStack('Reserved');
    new DataGate(s, 'Gate', { lake: new DataLake(s, 'Lake'), contract: CONTRACT, reservedConcurrentExecutions: 2, network: testNetwork(s) });
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 2, Environment: { Variables: Match.objectLike({ VALIDATED_PREFIX: 'validated/' }) } });
    expect(nagFindings(s)).toEqual([]);
  });
});
