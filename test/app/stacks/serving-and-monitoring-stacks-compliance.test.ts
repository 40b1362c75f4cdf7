import * as iam from 'aws-cdk-lib/aws-iam';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { AidlcConfigOptions, MonitoringEngine, TrafficRouting } from '../../../src/config';
import { testApp } from '../../support/cdk-app';
import { nagFindings, validationFindings, withCompliancePacks } from '../../support/compliance';
import { modelStacks } from '../../support/model-stacks';

jest.mock('../../../src/constructs/assets', () => ({
  assetPath: () => jest.requireActual<typeof import('path')>('path').resolve('test/fixtures/fake-asset'),
}));

// Each app synthesizes a lake, two serving stacks and a monitoring stack under four packs.
jest.setTimeout(180_000);

const ALERTS = { alertEmail: 'ml@example.com' };

describe('compliance packs (AwsSolutions, HIPAA, NIST 800-53 R5, PCI DSS 3.2.1)', () => {
  test.each<[string, Partial<AidlcConfigOptions>]>([
    ['built-in engine, canary, autoscaling, retraining', { monitoring: { ...ALERTS, retrainOnDrift: true }, deployment: { autoscaling: { minCapacity: 2, maxCapacity: 4 } } }],
    ['Model Monitor engine, linear rollout', { monitoringEngine: MonitoringEngine.MODEL_MONITOR, monitoring: { ...ALERTS, retrainOnDrift: true }, deployment: { trafficRouting: TrafficRouting.LINEAR, canaryPercent: 25, instanceCount: 4 } }],
    ['an instance type with local NVMe storage (no volume key)', { deployment: { instanceType: 'ml.g5.xlarge' } }],
  ])('%s: no unacknowledged finding', (_name, overrides) => {
    expect(nagFindings(modelStacks(overrides).app)).toEqual([]);
  });

  test('synthesis with the packs as validation plugins succeeds', () => {
    const app = withCompliancePacks(testApp());
    modelStacks({ monitoring: { retrainOnDrift: true } }, app);
    expect(() => app.synth()).not.toThrow();
  });

  test('a wildcard nobody declared is still a finding', () => {
    const { app, serving } = modelStacks();
    serving[1].model.policy.addStatements(new iam.PolicyStatement({ actions: ['s3:Get*'], resources: [serving[1].endpoint.endpointArn] }));
    expect(nagFindings(app)).toEqual(['AwsSolutions-IAM5[Action::s3:Get*] churn-serving-prod/Model/ExecutionPolicy/Resource']);
  });

  test('rollback alarms without an action would be findings: the alert topic is what satisfies the packs', () => {
    const { app, serving } = modelStacks();
    const alarm = serving[0].endpoint.rollbackAlarms[0].node.defaultChild as { alarmActions?: unknown };
    alarm.alarmActions = undefined;
    expect(nagFindings(app)).toEqual([
      'HIPAA.Security-CloudWatchAlarmAction churn-serving-staging/Endpoint/Rollback/ErrorRate/Resource',
      'NIST.800.53.R5-CloudWatchAlarmAction churn-serving-staging/Endpoint/Rollback/ErrorRate/Resource',
    ]);
  });
});

describe('the app\'s whole compliance set (packs, Control Tower controls, guardrails)', () => {
  test.each([MonitoringEngine.BUILTIN, MonitoringEngine.MODEL_MONITOR])('%s engine: no finding in the serving and monitoring stacks', (engine) => {
    const app = testApp();
    const { config } = modelStacks({ monitoringEngine: engine, monitoring: { retrainOnDrift: true } }, app);
    applyCompliance(app, config);
    // The stand-in lake's own findings are acknowledged on it (the real lake is checked with the data stack).
    expect(() => app.synth()).not.toThrow();
    expect(validationFindings(app.outdir)).toEqual([]);
  });
});
