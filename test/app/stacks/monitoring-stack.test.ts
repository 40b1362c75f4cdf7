import { Template } from 'aws-cdk-lib/assertions';
import { MonitoringStack } from '../../../src/app/stacks/monitoring-stack';
import { MonitoringEngine } from '../../../src/config';
import { testConfig } from '../../support/configs';
import { modelStacks } from '../../support/model-stacks';

jest.mock('../../../src/constructs/assets', () => ({
  assetPath: () => jest.requireActual<typeof import('path')>('path').resolve('test/fixtures/fake-asset'),
}));

const FEATURES = ['age', 'tenure_months', 'monthly_charges', 'total_charges', 'contract', 'payment_method', 'support_calls', 'is_senior'];

function monitoringTemplate(overrides = {}): Template {
  const { app } = modelStacks(overrides);
  return Template.fromJSON(app.synth().getStackByName('churn-monitoring').template);
}

function alarmNames(t: Template): string[] {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
}

describe('MonitoringStack', () => {
  test('the features are the contract\'s columns without target, key and timestamp, in order', () => {
    expect(MonitoringStack.featuresOf(testConfig())).toEqual(FEATURES);
  });

  describe('BUILTIN engine (default)', () => {
    const t = monitoringTemplate({ monitoring: { schedule: 'rate(6 hours)', windowHours: 6, alertEmail: 'ml@example.com' }, data: { driftPsiThreshold: 0.3 } });

    test('the drift function watches the last stage\'s endpoint on the configured schedule and window', () => {
      t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(6 hours)' });
      const env = Object.values(t.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
      expect(env).toEqual(expect.objectContaining({
        ENDPOINT_NAME: 'churn-prod',
        CAPTURE_PREFIX: 'data-capture/churn-prod/primary/',
        BASELINE_KEY: 'baselines/churn/profile.json',
        WINDOW_HOURS: '6',
        PSI_THRESHOLD: '0.3',
        KS_THRESHOLD: '0.1',
        FEATURES: JSON.stringify(FEATURES),
      }));
    });

    test('a drift alarm per feature, an alert topic with the configured email, no Model Monitor, no retraining', () => {
      expect(alarmNames(t)).toEqual(FEATURES.map((f) => `churn-prod-drift-${f}`));
      t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'churn-alerts' });
      t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml@example.com' });
      t.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
      t.resourceCountIs('AWS::Events::Rule', 0);
    });

    test('one dashboard for the model', () => {
      t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'aidlc-churn' });
    });
  });

  describe('MODEL_MONITOR engine', () => {
    const t = monitoringTemplate({ monitoringEngine: MonitoringEngine.MODEL_MONITOR, monitoring: { schedule: 'rate(1 hour)', retrainOnDrift: true, retrainCooldownHours: 12 } });

    test('a data-quality schedule on the hourly SageMaker cron, its alarms, and the baseline export', () => {
      t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
        EndpointName: 'churn-prod',
        MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' }, MonitoringType: 'DataQuality' },
      });
      expect(alarmNames(t)).toEqual(FEATURES.map((f) => `churn-prod-drift-${f}`));
      const exporter = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment.Variables.STATISTICS_KEY);
      expect(exporter!.Properties.Environment.Variables).toEqual(expect.objectContaining({
        BASELINE_KEY: 'baselines/churn/profile.json',
        STATISTICS_KEY: 'baselines/model-monitor/churn-prod/statistics.json',
        CONSTRAINTS_KEY: 'baselines/model-monitor/churn-prod/constraints.json',
        COMPARISON_THRESHOLD: '0.1',
      }));
      t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)', Target: { Input: '{"source":"aidlc.baseline-export"}' } });
    });

    test('retraining on drift, with the configured cooldown', () => {
      t.resourceCountIs('AWS::Events::Rule', 1);
      const trigger = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment.Variables.PIPELINE_NAME);
      expect(trigger!.Properties.Environment.Variables).toEqual(expect.objectContaining({ PIPELINE_NAME: 'churn-training', COOLDOWN_HOURS: '12' }));
      // It retrains on the newest passing gate run, never on a bare prefix.
      expect(JSON.stringify(trigger!.Properties.Environment.Variables.LATEST_DATASET_URI)).toContain('/validated/churn/runs/latest-pass.json');
      const read = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement).find((x: any) => x.Sid === 'ReadLatestGateRun');
      expect(JSON.stringify(read.Resource)).toMatch(/validated\/churn\/runs\/latest-pass\.json.*validated\/churn\/runs\/\*\/manifest\.json/);
      expect(read.Action).toBe('s3:GetObject');
    });
  });
});
