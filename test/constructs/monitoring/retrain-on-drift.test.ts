import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { MonitoringKey } from '../../../src/constructs/monitoring/monitoring-key';
import { RetrainOnDrift } from '../../../src/constructs/monitoring/retrain-on-drift';
import { templateOf, testApp, testStack } from '../../support/cdk-app';

jest.mock('../../../src/constructs/assets', () => ({
  assetPath: () => jest.requireActual<typeof import('path')>('path').resolve('test/fixtures/fake-asset'),
}));

function build(cooldown?: Duration) {
  const app = testApp();
  const stack = testStack('Monitoring', app);
  const metric = (f: string) => new cloudwatch.Metric({ namespace: 'AIDLC/Drift', metricName: 'Drift', dimensionsMap: { Endpoint: 'churn-prod', Feature: f } });
  const alarms = ['age', 'contract'].map((f) => new cloudwatch.Alarm(stack, `A-${f}`, { alarmName: `churn-prod-drift-${f}`, metric: metric(f), threshold: 1, evaluationPeriods: 1 }));
  new RetrainOnDrift(stack, 'Retrain', { alarms, pipelineName: 'churn-training', cooldown, encryptionKey: new MonitoringKey(stack, 'Key').key });
  return templateOf(app, stack);
}

describe('RetrainOnDrift', () => {
  test('an EventBridge rule on the drift alarms going into ALARM invokes the trigger, with retries and a dead-letter queue', () => {
    const t = build();
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0].Properties;
    expect(rule.EventPattern).toEqual({
      'source': ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      'resources': [{ 'Fn::GetAtt': [expect.stringMatching(/^Aage/), 'Arn'] }, { 'Fn::GetAtt': [expect.stringMatching(/^Acontract/), 'Arn'] }],
      'detail': { state: { value: ['ALARM'] } },
    });
    expect(rule.Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/RetrainTriggerFunction/), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetters/), 'Arn'] } },
    })]);
    t.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', Action: 'lambda:InvokeFunction' });
  });

  test('the trigger knows the pipeline and the cooldown, and may start and list that pipeline\'s executions only', () => {
    const t = build(Duration.hours(48));
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { PIPELINE_NAME: 'churn-training', COOLDOWN_HOURS: '48', DISPLAY_NAME_PREFIX: 'drift-' } },
      ReservedConcurrentExecutions: 1,
    });
    const statement = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement).find((s: any) => s.Sid === 'StartRetraining');
    expect(statement.Action).toEqual(['sagemaker:StartPipelineExecution', 'sagemaker:ListPipelineExecutions']);
    expect(statement.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:111111111111:pipeline/churn-training']] });
  });

  test('the default cooldown is a day', () => {
    build().hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ COOLDOWN_HOURS: '24' }) } });
  });
});
