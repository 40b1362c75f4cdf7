import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Pipeline } from 'aws-cdk-lib/aws-codepipeline';
import { GithubStatusReporter } from '../../../src/constructs/delivery/github-status-reporter';
import { testApp } from '../../support/cdk-app';

const stack = new Stack(testApp(), 'Status', { env: { account: '123456789012', region: 'eu-west-1' } });
const pipeline = Pipeline.fromPipelineArn(stack, 'Pipeline', 'arn:aws:codepipeline:eu-west-1:123456789012:churn-delivery');
const reporter = new GithubStatusReporter(stack, 'GithubStatus', { pipeline, repositoryOwner: 'acme', repositoryName: 'churn' });
const template = Template.fromStack(stack);
const only = (type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return { id: found[0][0], props: found[0][1].Properties };
};

test('a rule on the pipeline\'s pipeline, stage and action state changes invokes the function', () => {
  const rule = only('AWS::Events::Rule');
  const fn = only('AWS::Lambda::Function');
  const queue = only('AWS::SQS::Queue');
  expect(rule.props.EventPattern).toEqual({
    'source': ['aws.codepipeline'],
    'detail-type': [
      'CodePipeline Pipeline Execution State Change',
      'CodePipeline Stage Execution State Change',
      'CodePipeline Action Execution State Change',
    ],
    'detail': { pipeline: ['churn-delivery'] },
  });
  expect(rule.props.Targets).toEqual([expect.objectContaining({
    Arn: { 'Fn::GetAtt': [fn.id, 'Arn'] },
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue.id, 'Arn'] } },
    RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
  })]);
});

test('the function knows the repository, the secret and the status contexts', () => {
  const fn = only('AWS::Lambda::Function');
  const secret = only('AWS::SecretsManager::Secret');
  expect(fn.props).toMatchObject({
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
    Timeout: 30,
    Environment: { Variables: { TOKEN_SECRET_ARN: { Ref: secret.id }, GITHUB_REPOSITORY: 'acme/churn', STATUS_CONTEXT_PREFIX: 'aidlc', GITHUB_API_URL: 'https://api.github.com' } },
    DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [only('AWS::SQS::Queue').id, 'Arn'] } },
    LoggingConfig: { LogGroup: { Ref: only('AWS::Logs::LogGroup').id } },
  });
});

test('the token secret, the dead letters and the logs are encrypted with the reporter\'s key', () => {
  const key = { 'Fn::GetAtt': [only('AWS::KMS::Key').id, 'Arn'] };
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  expect(only('AWS::SecretsManager::Secret').props.KmsKeyId).toEqual(key);
  expect(only('AWS::SQS::Queue').props.KmsMasterKeyId).toEqual(key);
  expect(only('AWS::Logs::LogGroup').props.KmsKeyId).toEqual(key);
});

test('the function\'s role reads the one secret and the pipeline\'s executions, writes its own logs and dead letters', () => {
  const role = only('AWS::IAM::Role');
  expect(role.props.ManagedPolicyArns).toBeUndefined();
  expect(role.props.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }]);
  const statements = only('AWS::IAM::Policy').props.PolicyDocument.Statement;
  expect(statements).toEqual([
    { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [only('AWS::Logs::LogGroup').id, 'Arn'] } },
    {
      Sid: 'SendDeadLetters',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': [only('AWS::KMS::Key').id, 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } },
    },
    { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [only('AWS::SQS::Queue').id, 'Arn'] } },
    { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: only('AWS::SecretsManager::Secret').id } },
    {
      Sid: 'ReadPipelineExecutions',
      Effect: 'Allow',
      Action: ['codepipeline:GetPipelineExecution', 'codepipeline:ListActionExecutions'],
      Resource: 'arn:aws:codepipeline:eu-west-1:123456789012:churn-delivery',
    },
  ]);
});

test('the dead-letter queue accepts only TLS and EventBridge may encrypt into it', () => {
  const queue = { 'Fn::GetAtt': [only('AWS::SQS::Queue').id, 'Arn'] };
  expect(only('AWS::SQS::QueuePolicy').props.PolicyDocument.Statement).toEqual([
    { Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Effect: 'Deny', Principal: { AWS: '*' }, Resource: queue },
    {
      Sid: expect.any(String),
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Resource: queue,
      Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [only('AWS::Events::Rule').id, 'Arn'] } } },
    },
  ]);
  const keyPolicy = only('AWS::KMS::Key').props.KeyPolicy.Statement;
  expect(keyPolicy).toContainEqual({
    Sid: 'EventBridgeDeadLetters',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
  });
});

test('the function\'s code is the bundled handler', () => {
  const bundle = path.join(__dirname, '..', '..', '..', 'lib', 'assets', 'lambda', 'github-status', 'index.js');
  const handler = jest.requireActual(bundle).handler;
  expect(typeof handler).toBe('function');
});

test('metrics: dead letters (the statuses on GitHub went stale) and function errors', () => {
  const dead = stack.resolve(reporter.metricDeadLetters().toMetricConfig().metricStat);
  expect(dead).toMatchObject({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum', dimensions: [{ name: 'QueueName', value: { 'Fn::GetAtt': [only('AWS::SQS::Queue').id, 'QueueName'] } }] });
  const errors = stack.resolve(reporter.metricErrors().toMetricConfig().metricStat);
  expect(errors).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: { Ref: only('AWS::Lambda::Function').id } }] });
});
