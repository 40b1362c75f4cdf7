import { Match } from 'aws-cdk-lib/assertions';
import { AlertTopic } from '../../../src/constructs/monitoring/alert-topic';
import { MonitoringKey } from '../../../src/constructs/monitoring/monitoring-key';
import { templateOf, testApp, testStack } from '../../support/cdk-app';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../../support/key-policy-statements';

function build(email?: string) {
  const app = testApp();
  const stack = testStack('Monitoring', app);
  const key = new MonitoringKey(stack, 'Key', { alias: 'alias/aidlc/churn/monitoring' }).key;
  new AlertTopic(stack, 'Alerts', { encryptionKey: key, topicName: 'churn-alerts', email });
  return templateOf(app, stack);
}

describe('AlertTopic and MonitoringKey', () => {
  test('the topic is KMS-encrypted with the rotated customer managed key', () => {
    const t = build();
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'churn-alerts', KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/aidlc/churn/monitoring' });
  });

  test('publishing is TLS only, and open to CloudWatch alarms of this account', () => {
    const statements = Object.values(build().findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:111111111111:alarm:*']] } } },
      }),
    ]));
  });

  test('the key lets CloudWatch (alarm notifications), EventBridge (dead letters) and CloudWatch Logs of this account use it', () => {
    const statements = Object.values(build().findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const logs = statements.find((s: any) => s.Sid === 'CloudWatchLogsEncryption');
    expect(logs.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(logs.Action.every((a: string) => !a.includes('*'))).toBe(true);
    expect(JSON.stringify(logs.Condition)).toContain('log-group:*');
    const services = statements.find((s: any) => s.Sid === 'AlarmsAndEventsOfThisAccount');
    expect(services.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });
    expect(services.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(services.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
  });

  test('an email address from the config subscribes to the alerts', () => {
    build('ml-oncall@example.com').hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml-oncall@example.com' });
    build().resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

test('grants on the monitoring key can only be created for AWS resources', () => {
  const statements = Object.values(build().findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
  expect(statements.find((s: any) => s.Sid === 'GrantsOnlyForAwsResources')).toEqual(GRANTS_ONLY_FOR_AWS_RESOURCES);
});
