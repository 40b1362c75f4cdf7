import { AidlcConfig, MonitoringEngine, Severity, TrafficRouting, TrainingFramework } from '../../src/config';
import { PLACEHOLDER_CONNECTION_ARN } from '../../src/config/defaults';
import { ConfigValidationError } from '../../src/core/problem';
import { VALID } from '../support/configs';

describe('resolveConfig', () => {
  test('applies every default', () => {
    const c = AidlcConfig.resolve(VALID);
    expect(c.schemaVersion).toBe(1);
    expect(c.github).toEqual({ repository: 'acme/churn', owner: 'acme', name: 'churn', branch: 'main', connectionArn: PLACEHOLDER_CONNECTION_ARN, connectionIsPlaceholder: true });
    expect(c.aws).toEqual({ region: 'us-east-1' });
    expect(c.data.s3Prefix).toBe('raw/churn/');
    expect(c.data.contract.targetColumn).toBe('churned');
    expect(c.training).toMatchObject({ framework: TrainingFramework.XGBOOST, frameworkVersion: '1.7-1', instanceType: 'ml.m5.xlarge', useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 7200, metricHigherIsBetter: true });
    expect(c.deployment.stages).toEqual([
      { name: 'staging', canary: false, instanceCount: 2, requireApproval: false },
      { name: 'prod', canary: true, instanceCount: 2, requireApproval: true },
    ]);
    expect(c.deployment.trafficRouting).toBe(TrafficRouting.CANARY);
    expect(c.monitoring.engine).toBe(MonitoringEngine.BUILTIN);
    expect(c.security.failOnSeverity).toBe(Severity.HIGH);
    expect(c.security.compliancePacks).toHaveLength(4);
    expect(c.security.controlTowerControls).toBe(true);
  });

  test('max wait is absent without Spot', () => {
    const c = AidlcConfig.resolve({ ...VALID, training: { useSpot: false } });
    expect(c.training.useSpot).toBe(false);
    expect('maxWaitSeconds' in c.training).toBe(false);
  });

  test('the estimated cost uses the price table and the Spot saving', () => {
    const c = AidlcConfig.resolve({ ...VALID, training: { maxRuntimeSeconds: 7200 } });
    expect(c.training.cost).toMatchObject({ onDemandUsdPerHour: 0.23, onDemandUsdPerRun: 0.46, spotUsdPerRun: 0.138 });
  });

  test('one error lists every problem with path, value and fix', () => {
    let error: unknown;
    try {
      AidlcConfig.resolve({
        ...VALID,
        modelName: 'Bad_Name',
        awsRegion: 'mars-1',
        trainingInstanceType: 'm5.xlarge',
        training: { useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 600 },
        deployment: { canaryPercent: 60 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const e = error as ConfigValidationError;
    expect(e.problems.map((p) => p.path)).toEqual(['modelName', 'awsRegion', 'trainingInstanceType', 'training.maxWaitSeconds', 'deployment.canaryPercent']);
    expect(e.message).toContain('Invalid aidlc-pipeline config (5 problems)');
    expect(e.message).toContain('trainingInstanceType = "m5.xlarge": is not a SageMaker instance type (they start with "ml."). Fix: use a SageMaker instance type, e.g. "ml.m5.xlarge"');
    expect(e.message).toContain('training.maxWaitSeconds = 600: is below maxRuntimeSeconds (3600)');
  });
});
