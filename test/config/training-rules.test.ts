import { AidlcConfig, TrainingFramework, TrainingOptions } from '../../src/config';
import { trainingRules } from '../../src/config/rules/training';
import { PRICE_SOURCE, TRAINING_PRICES_USD_PER_HOUR, TYPICAL_SPOT_SAVING, estimateTrainingCost } from '../../src/config/training-cost';
import { FRAMEWORK_VERSIONS } from '../../src/core/frameworks';
import { Problem } from '../../src/core/problem';
import { problemAt, problemsOf } from '../support/configs';

function problems(t: TrainingOptions | undefined, instanceType?: unknown): Problem[] {
  return trainingRules(t, instanceType);
}

function paths(t: TrainingOptions | undefined, instanceType?: unknown): string[] {
  return problems(t, instanceType).map((p) => p.path);
}

describe('training rules', () => {
  test('no section and the defaults are valid', () => {
    expect(problems(undefined)).toEqual([]);
    expect(problems({})).toEqual([]);
    expect(problems({ useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 3600 })).toEqual([]);
    expect(problems({ useSpot: false, maxRuntimeSeconds: 60 })).toEqual([]);
  });

  describe('Spot', () => {
    test('max wait below max runtime is refused with the smallest valid value', () => {
      const p = problemAt(problems({ useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 1800 }), 'training.maxWaitSeconds');
      expect(p.value).toBe(1800);
      expect(p.message).toContain('below maxRuntimeSeconds (3600)');
      expect(p.fix).toContain('at least 3600');
    });

    test('max wait is compared with the default runtime when none is set, and Spot is the default', () => {
      expect(paths({ maxWaitSeconds: 3599 })).toEqual(['training.maxWaitSeconds']);
      expect(paths({ maxWaitSeconds: 3600 })).toEqual([]);
    });

    test('max wait with Spot off is refused', () => {
      const p = problemAt(problems({ useSpot: false, maxWaitSeconds: 7200 }), 'training.maxWaitSeconds');
      expect(p.message).toContain('only applies to Spot');
      expect(p.fix).toContain('useSpot: true');
    });

    test.each([59, 28 * 24 * 3600 + 1, 100.5])('runtime and wait outside 60 s..28 days or fractional (%p) are refused', (seconds) => {
      expect(paths({ useSpot: false, maxRuntimeSeconds: seconds })).toEqual(['training.maxRuntimeSeconds']);
      expect([...new Set(paths({ maxRuntimeSeconds: 60, maxWaitSeconds: seconds }))]).toEqual(['training.maxWaitSeconds']);
    });
  });

  describe('instance type', () => {
    test.each(['m5.xlarge', 'ml-m5-xlarge', 'ML.M5.XLARGE', 42])('%p is not a SageMaker instance type', (type) => {
      expect(paths({}, type)).toEqual(['trainingInstanceType']);
    });

    test('a type without the ml. prefix gets the prefixed suggestion', () => {
      expect(problemAt(problems({}, 'c5.2xlarge'), 'trainingInstanceType').fix).toContain('"ml.c5.2xlarge"');
    });

    test.each(['ml.m5.xlarge', 'ml.g4dn.12xlarge', 'ml.p4d.24xlarge', 'ml.trn1n.32xlarge'])('%p is accepted', (type) => {
      expect(paths({}, type)).toEqual([]);
    });

    test('instance count is a whole number from 1 to 100', () => {
      expect(paths({ instanceCount: 0 })).toEqual(['training.instanceCount']);
      expect(paths({ instanceCount: 1.5 })).toEqual(['training.instanceCount']);
      expect(paths({ instanceCount: 101 })).toEqual(['training.instanceCount']);
      expect(paths({ instanceCount: 4 })).toEqual([]);
    });
  });

  describe('framework and image', () => {
    test('a version the image map does not know is refused, listing the known ones', () => {
      const p = problemAt(problems({ frameworkVersion: '0.90-1' }), 'training.frameworkVersion');
      expect(p.message).toContain('xgboost');
      expect(p.fix).toContain('"1.7-1"');
    });

    test('every version in the map is accepted for its framework, and only for it', () => {
      for (const version of FRAMEWORK_VERSIONS[TrainingFramework.XGBOOST]) {
        expect(paths({ framework: TrainingFramework.XGBOOST, frameworkVersion: version })).toEqual([]);
      }
      for (const version of FRAMEWORK_VERSIONS[TrainingFramework.SKLEARN]) {
        expect(paths({ framework: TrainingFramework.SKLEARN, frameworkVersion: version })).toEqual([]);
      }
      expect(paths({ framework: TrainingFramework.SKLEARN, frameworkVersion: '1.7-1' })).toEqual(['training.frameworkVersion']);
    });

    test('the defaults are XGBoost 1.7-1 and scikit-learn 1.2-1', () => {
      expect(FRAMEWORK_VERSIONS[TrainingFramework.XGBOOST][0]).toBe('1.7-1');
      expect(FRAMEWORK_VERSIONS[TrainingFramework.SKLEARN][0]).toBe('1.2-1');
    });

    test('an unknown framework is refused', () => {
      expect(paths({ framework: 'pytorch' as TrainingFramework })).toContain('training.framework');
    });

    test('CUSTOM needs an ECR image with a tag or digest, and no framework version', () => {
      expect(paths({ framework: TrainingFramework.CUSTOM })).toEqual(['training.customImageUri']);
      expect(paths({ framework: TrainingFramework.CUSTOM, customImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.0' })).toEqual([]);
      expect(paths({ framework: TrainingFramework.CUSTOM, customImageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/churn@sha256:${'a'.repeat(64)}` })).toEqual([]);
      expect(paths({ framework: TrainingFramework.CUSTOM, customImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train' })).toEqual(['training.customImageUri']);
      expect(paths({ framework: TrainingFramework.CUSTOM, customImageUri: 'docker.io/library/python:3.11' })).toEqual(['training.customImageUri']);
      expect(paths({ framework: TrainingFramework.CUSTOM, frameworkVersion: '1.7-1', customImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.0' }))
        .toEqual(['training.frameworkVersion']);
    });

    test('a custom image with a framework image is refused', () => {
      const p = problemAt(problems({ customImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.0' }), 'training.customImageUri');
      expect(p.fix).toContain('TrainingFramework.CUSTOM');
    });
  });

  describe('entry point, checkpoints, volume, holdout', () => {
    test.each(['/abs/train.py', '../train.py', 'training/train.sh', 'training/my train.py'])('entry point %p is refused', (entryPoint) => {
      expect(paths({ entryPoint })).toEqual(['training.entryPoint']);
    });

    test('entry point may sit in any relative folder', () => {
      expect(paths({ entryPoint: 'ml/model/fit.py' })).toEqual([]);
    });

    test('checkpoint interval and volume size are whole numbers in range', () => {
      expect(paths({ checkpointIntervalRounds: 0 })).toEqual(['training.checkpointIntervalRounds']);
      expect(paths({ checkpointIntervalRounds: 2.5 })).toEqual(['training.checkpointIntervalRounds']);
      expect(paths({ volumeSizeGb: 0 })).toEqual(['training.volumeSizeGb']);
      expect(paths({ volumeSizeGb: 16385 })).toEqual(['training.volumeSizeGb']);
      expect(paths({ checkpointIntervalRounds: 1, volumeSizeGb: 1 })).toEqual([]);
    });

    test.each([0, 0.04, 0.51, 1])('holdout fraction %p is outside 0.05..0.5', (holdoutFraction) => {
      expect(paths({ holdoutFraction })).toEqual(['training.holdoutFraction']);
    });
  });

  describe('hyperparameters and metric', () => {
    test('hyperparameters are named like identifiers and passed as strings', () => {
      expect(paths({ hyperparameters: { 'max depth': '5' } })).toEqual(['training.hyperparameters.max depth']);
      const p = problemAt(problems({ hyperparameters: { num_round: 200 as unknown as string } }), 'training.hyperparameters.num_round');
      expect(p.fix).toContain('"200"');
      expect(paths({ hyperparameters: { note: 'x'.repeat(2501) } })).toEqual(['training.hyperparameters.note']);
      expect(paths({ hyperparameters: { num_round: '50', lambda: '2', eval_metric: 'logloss' } })).toEqual([]);
    });

    test('the metric must be one the evaluation step computes', () => {
      const p = problemAt(problems({ evaluationMetric: 'precision' }), 'training.evaluationMetric');
      expect(p.fix).toBe('use one of "auc", "accuracy", "f1", "rmse", "mae"');
    });

    test('the bar of a ratio metric lies in 0..1, the bar of an error metric is non-negative', () => {
      expect(paths({ evaluationMetric: 'auc', metricThreshold: 1.2 })).toEqual(['training.metricThreshold']);
      expect(paths({ metricThreshold: -0.1 })).toEqual(['training.metricThreshold']);
      expect(paths({ evaluationMetric: 'rmse', metricThreshold: 1200 })).toEqual([]);
      expect(paths({ evaluationMetric: 'mae', metricThreshold: -1 })).toEqual(['training.metricThreshold']);
    });
  });

  test('every problem is reported at once by the config validation', () => {
    const found = problemsOf({ trainingInstanceType: 'm5.xlarge', training: { useSpot: false, maxWaitSeconds: 10, holdoutFraction: 0.9 } });
    expect(found.map((p) => p.path).sort()).toEqual(['training.holdoutFraction', 'training.maxWaitSeconds', 'training.maxWaitSeconds', 'trainingInstanceType']);
    expect(() => AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', training: { useSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 60 } }))
      .toThrow(/training\.maxWaitSeconds = 60: .*SageMaker requires wait >= runtime/);
  });
});

describe('training cost estimate', () => {
  test('one run at full runtime on demand, and on Spot at the typical saving', () => {
    expect(estimateTrainingCost('ml.m5.xlarge', 'us-east-1', 1, 3600, true)).toEqual({
      onDemandUsdPerHour: 0.23, onDemandUsdPerRun: 0.23, spotUsdPerRun: 0.069, source: PRICE_SOURCE,
    });
    expect(estimateTrainingCost('ml.c5.2xlarge', 'us-west-2', 4, 5400, true)).toEqual({
      onDemandUsdPerHour: 0.408, onDemandUsdPerRun: 2.448, spotUsdPerRun: 0.734, source: PRICE_SOURCE,
    });
  });

  test('without Spot the Spot figure is the on-demand cost', () => {
    const cost = estimateTrainingCost('ml.g4dn.xlarge', 'us-east-1', 1, 1800, false)!;
    expect(cost.spotUsdPerRun).toBe(cost.onDemandUsdPerRun);
    expect(cost.onDemandUsdPerRun).toBe(0.368);
  });

  test('unknown types and regions give no estimate rather than a guess', () => {
    expect(estimateTrainingCost('ml.g5.xlarge', 'us-east-1', 1, 3600, true)).toBeUndefined();
    expect(estimateTrainingCost('ml.m5.xlarge', 'eu-west-1', 1, 3600, true)).toBeUndefined();
  });

  test('the table names its source and date, and holds only ml.* types with positive prices', () => {
    expect(PRICE_SOURCE).toMatch(/pricing page.*2026-11/);
    expect(TYPICAL_SPOT_SAVING).toBeGreaterThan(0);
    expect(TYPICAL_SPOT_SAVING).toBeLessThan(0.9);
    for (const prices of Object.values(TRAINING_PRICES_USD_PER_HOUR)) {
      for (const [type, price] of Object.entries(prices)) {
        expect(type).toMatch(/^ml\.[a-z0-9]+\.[a-z0-9]+$/);
        expect(price).toBeGreaterThan(0);
      }
    }
  });

  test('larger sizes of a family never cost less per hour', () => {
    const prices = TRAINING_PRICES_USD_PER_HOUR['us-east-1'];
    const order = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '24xlarge'];
    const families = new Set(Object.keys(prices).map((t) => t.split('.')[1]));
    for (const family of families) {
      const sized = order.filter((size) => prices[`ml.${family}.${size}`] !== undefined).map((size) => prices[`ml.${family}.${size}`]);
      expect(sized).toEqual([...sized].sort((a, b) => a - b));
    }
  });

  test('the resolved config carries the estimate of its own instance type and runtime', () => {
    const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', trainingInstanceType: 'ml.m5.2xlarge', training: { maxRuntimeSeconds: 7200, instanceCount: 2 } });
    expect(config.training.cost).toEqual(estimateTrainingCost('ml.m5.2xlarge', 'us-east-1', 2, 7200, true));
    expect(config.training.cost!.onDemandUsdPerRun).toBe(1.844);
  });
});
