import { TrainingFramework } from '../../src/core/enums';
import { EVALUATION_METRICS } from '../../src/core/frameworks';
import { checkCustomImage, checkEvaluationMetric, checkMlInstanceType, checkSpotWait, isEvaluationMetric } from '../../src/core/sagemaker-rules';

describe('the SageMaker rules the config and the constructs share', () => {
  test('each problem sits at the path the caller names', () => {
    expect(checkMlInstanceType('props.instanceType', 'm5.large')[0].path).toBe('props.instanceType');
    expect(checkSpotWait('job.wait', { useSpot: false, maxRuntimeSeconds: 60, maxWaitSeconds: 120 })[0].path).toBe('job.wait');
    expect(checkEvaluationMetric('evaluation.metric', 'gini')[0].path).toBe('evaluation.metric');
    expect(checkCustomImage('image', TrainingFramework.CUSTOM, undefined)[0].path).toBe('image');
  });

  describe('instance type', () => {
    test.each(['ml.m5.xlarge', 'ml.g4dn.12xlarge', 'ml.trn1n.32xlarge'])('%p passes', (type) => {
      expect(checkMlInstanceType('t', type)).toEqual([]);
    });

    test('an absent type is left to the default', () => {
      expect(checkMlInstanceType('t', undefined)).toEqual([]);
    });

    test.each([['m5.xlarge', '"ml.m5.xlarge"'], ['ML.M5.XLARGE', '"ml.m5.xlarge"'], [42, '"ml.m5.xlarge"'], ['c5.2xlarge', '"ml.c5.2xlarge"']])('%p is refused, suggesting %s', (type, suggestion) => {
      const [problem] = checkMlInstanceType('t', type);
      expect(problem).toMatchObject({ value: type, message: 'is not a SageMaker instance type (they start with "ml.")' });
      expect(problem.fix).toBe(`use a SageMaker instance type, e.g. ${suggestion}`);
    });
  });

  describe('Spot wait', () => {
    test('a wait at or above the runtime passes with Spot, and no wait passes either way', () => {
      expect(checkSpotWait('w', { useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 3600 })).toEqual([]);
      expect(checkSpotWait('w', { useSpot: true, maxRuntimeSeconds: 3600 })).toEqual([]);
      expect(checkSpotWait('w', { useSpot: false, maxRuntimeSeconds: 3600 })).toEqual([]);
    });

    test('a wait below the runtime is refused with the smallest valid value', () => {
      expect(checkSpotWait('w', { useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 600 })).toEqual([{
        path: 'w',
        value: 600,
        message: 'is below maxRuntimeSeconds (3600); SageMaker requires wait >= runtime',
        fix: 'set maxWaitSeconds to at least 3600, e.g. 7200',
      }]);
    });

    test('a wait without Spot is refused', () => {
      expect(checkSpotWait('w', { useSpot: false, maxRuntimeSeconds: 3600, maxWaitSeconds: 7200 })).toEqual([{
        path: 'w', value: 7200, message: 'only applies to Spot training, and useSpot is false', fix: 'remove maxWaitSeconds or set useSpot: true',
      }]);
    });
  });

  describe('evaluation metric', () => {
    test('every metric the evaluation step computes passes, and so does none', () => {
      for (const metric of Object.keys(EVALUATION_METRICS)) expect(checkEvaluationMetric('m', metric)).toEqual([]);
      expect(checkEvaluationMetric('m', undefined)).toEqual([]);
    });

    test.each(['gini', 'AUC', 'toString', 'constructor', 3])('%p is refused, listing the known metrics', (metric) => {
      expect(isEvaluationMetric(metric)).toBe(false);
      expect(checkEvaluationMetric('m', metric)).toEqual([{
        path: 'm', value: metric, message: 'is not a metric the evaluation step computes', fix: 'use one of "auc", "accuracy", "f1", "rmse", "mae"',
      }]);
    });
  });

  describe('custom image', () => {
    test('CUSTOM needs the image URI; the framework images need none', () => {
      expect(checkCustomImage('i', TrainingFramework.CUSTOM, undefined)).toEqual([{
        path: 'i', value: undefined, message: 'is required when the framework is CUSTOM', fix: 'set the ECR image URI, e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.0"',
      }]);
      expect(checkCustomImage('i', TrainingFramework.CUSTOM, '123456789012.dkr.ecr.us-east-1.amazonaws.com/t:1')).toEqual([]);
      expect(checkCustomImage('i', TrainingFramework.XGBOOST, undefined)).toEqual([]);
    });
  });
});
