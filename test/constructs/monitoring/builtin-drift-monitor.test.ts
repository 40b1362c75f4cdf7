import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertTopic } from '../../../src/constructs/monitoring/alert-topic';
import { BuiltinDriftMonitor, BuiltinDriftMonitorProps } from '../../../src/constructs/monitoring/builtin-drift-monitor';
import { MonitoringKey } from '../../../src/constructs/monitoring/monitoring-key';
import { templateOf, testApp, testStack } from '../../support/cdk-app';
import { lakeStack } from '../../support/data-lake-stand-in';

jest.mock('../../../src/constructs/assets', () => ({
  assetPath: () => jest.requireActual<typeof import('path')>('path').resolve('test/fixtures/fake-asset'),
}));

const FEATURES = ['age', 'monthly_charges', 'contract'];

function build(props: Partial<BuiltinDriftMonitorProps> = {}) {
  const app = testApp();
  const { lake } = lakeStack(app);
  const stack = testStack('Monitoring', app);
  const key = new MonitoringKey(stack, 'Key').key;
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: key, topicName: 'churn-alerts' });
  const monitor = new BuiltinDriftMonitor(stack, 'Drift', {
    endpointName: 'churn-prod',
    captureBucket: lake.artifactsBucket,
    baselineBucket: lake.artifactsBucket,
    baselineKey: 'baselines/churn/profile.json',
    encryptionKey: key,
    features: FEATURES,
    schedule: 'rate(1 hour)',
    window: Duration.hours(24),
    psiThreshold: 0.25,
    ksThreshold: 0.15,
    alarmAction: alerts.alarmAction,
    ...props,
  });
  return { monitor, template: () => templateOf(app, stack), stack };
}

function policyStatements(t: Template, sid: string): any {
  for (const p of Object.values(t.findResources('AWS::IAM::ManagedPolicy'))) {
    const s = p.Properties.PolicyDocument.Statement.find((x: any) => x.Sid === sid);
    if (s) return s;
  }
  throw new Error(`no statement ${sid}`);
}

describe('BuiltinDriftMonitor', () => {
  test('the function runs the bundled engine one at a time, with encrypted logs and environment and a dead-letter queue', () => {
    const t = build().template();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      Timeout: 600,
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
      Environment: {
        Variables: {
          ENDPOINT_NAME: 'churn-prod',
          CAPTURE_PREFIX: 'data-capture/churn-prod/primary/',
          BASELINE_KEY: 'baselines/churn/profile.json',
          WINDOW_HOURS: '24',
          PSI_THRESHOLD: '0.25',
          KS_THRESHOLD: '0.15',
          FEATURES: JSON.stringify(FEATURES),
          METRIC_NAMESPACE: 'AIDLC/Drift',
          CAPTURE_BUCKET: Match.anyValue(),
          BASELINE_BUCKET: Match.anyValue(),
        },
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] } });
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] }, MessageRetentionPeriod: 1209600 });
  });

  test('the function may read only the endpoint\'s capture prefix and the baseline, and publish only drift metrics', () => {
    const t = build().template();
    expect(policyStatements(t, 'ListCapturedData')).toEqual(expect.objectContaining({
      Action: 's3:ListBucket',
      Condition: { StringLike: { 's3:prefix': ['data-capture/churn-prod/primary/*'] } },
    }));
    const read = policyStatements(t, 'ReadCapturedDataAndBaseline');
    expect(read.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read.Resource)).toContain('/data-capture/churn-prod/primary/*');
    expect(JSON.stringify(read.Resource)).toContain('/baselines/churn/profile.json');
    expect(policyStatements(t, 'DecryptData').Action).toBe('kms:Decrypt');
    expect(policyStatements(t, 'PublishDriftMetrics')).toEqual(expect.objectContaining({
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'AIDLC/Drift' } },
    }));
    // Its role has only managed policies: nothing inline, no CDK default policy.
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('EventBridge Scheduler runs it on the configured schedule, with its own role, retries and the dead-letter queue', () => {
    const t = build({ schedule: 'cron(0 6 ? * MON-FRI *)' }).template();
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftMonitorFunction'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftScheduleRole'), 'Arn'] },
        Input: '{"source":"aidlc.drift-monitor"}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
      },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })] },
    });
    expect(policyStatements(t, 'Invoke')).toEqual(expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/DriftMonitorFunction/), 'Arn'] } }));
  });

  test('one alarm per feature on its Drift metric notifies the alert topic and keeps its state between runs', () => {
    const t = build().template();
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => a.AlarmName)).toEqual(FEATURES.map((f) => `churn-prod-drift-${f}`));
    expect(alarms[2]).toEqual(expect.objectContaining({
      Metrics: [expect.objectContaining({
        MetricStat: {
          Metric: { Namespace: 'AIDLC/Drift', MetricName: 'Drift', Dimensions: [{ Name: 'Endpoint', Value: 'churn-prod' }, { Name: 'Feature', Value: 'contract' }] },
          Period: 3600,
          Stat: 'Maximum',
        },
      })],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: expect.stringMatching(/AlertsTopic/) }],
    }));
  });

  test('metrics for dashboards', () => {
    const { monitor, stack } = build();
    expect(stack.resolve(monitor.metrics.metricPsi('age').dimensions)).toEqual({ Endpoint: 'churn-prod', Feature: 'age' });
    expect(monitor.metrics.metricKs('age').metricName).toBe('KS');
    expect(monitor.metrics.metricDriftedFeatures().metricName).toBe('DriftedFeatures');
    expect(monitor.metrics.metricRowsProfiled().statistic).toBe('Sum');
  });

  test('CSV input columns may differ from the scored features', () => {
    const t = build({ inputColumns: ['age', 'monthly_charges', 'contract', 'zip'] }).template();
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ INPUT_COLUMNS: '["age","monthly_charges","contract","zip"]' }) } });
  });

  test('rejects no features, a window that is not whole hours, a schedule that is not an expression', () => {
    expect(() => build({ features: [] })).toThrow(/BuiltinDriftMonitor: features = \[\]: is empty: drift is measured per feature. Fix: /);
    expect(() => build({ window: Duration.minutes(90) })).toThrow(/whole number of hours/);
    expect(() => build({ schedule: 'hourly' })).toThrow(/expression = "hourly": is not an EventBridge Scheduler expression. Fix: write rate\(...\) or cron\(...\)/);
    expect(() => build({ features: ['age', 'age'] })).toThrow(/features = "age": is listed twice/);
  });
});
