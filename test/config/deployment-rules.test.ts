import { TrafficRouting } from '../../src/config/enums';
import { DeploymentOptions, StageOptions } from '../../src/config/options';
import { DEPLOYMENT_LIMITS, deploymentRules, trafficShifts } from '../../src/config/rules/deployment';

function paths(d: DeploymentOptions): string[] {
  return deploymentRules(d).map((p) => p.path);
}

describe('deployment rules', () => {
  test('no section and the defaults are valid', () => {
    expect(deploymentRules(undefined)).toEqual([]);
    expect(deploymentRules({})).toEqual([]);
  });

  test('instance type must be a SageMaker instance type', () => {
    const [p] = deploymentRules({ instanceType: 'm5.large' });
    expect(p.path).toBe('deployment.instanceType');
    expect(p.fix).toContain('"ml.m5.large"');
  });

  test.each([0, 51, 12.5])('canaryPercent %p is out of range', (canaryPercent) => {
    expect(paths({ canaryPercent })).toEqual(['deployment.canaryPercent']);
  });

  test.each([1, 50])('canaryPercent %p is within range', (canaryPercent) => {
    expect(paths({ canaryPercent })).toEqual([]);
  });

  test.each([-1, 61, 1.5])('bakeMinutes %p is out of range (SageMaker waits 0..3600 s)', (bakeMinutes) => {
    expect(paths({ bakeMinutes })).toEqual(['deployment.bakeMinutes']);
  });

  test('rollback thresholds must be positive and bounded', () => {
    expect(paths({ rollback5xxPercent: 0 })).toEqual(['deployment.rollback5xxPercent']);
    expect(paths({ rollback5xxPercent: 101 })).toEqual(['deployment.rollback5xxPercent']);
    expect(paths({ rollbackP99LatencyMs: 0 })).toEqual(['deployment.rollbackP99LatencyMs']);
    expect(paths({ rollbackP99LatencyMs: 60001 })).toEqual(['deployment.rollbackP99LatencyMs']);
    expect(paths({ rollback5xxPercent: 0.5, rollbackP99LatencyMs: 250 })).toEqual([]);
  });

  test('traffic routing must be a TrafficRouting', () => {
    expect(paths({ trafficRouting: 'BLUE_GREEN' as TrafficRouting })).toEqual(['deployment.trafficRouting']);
  });

  describe('stages', () => {
    test('needs at least one stage with unique, well-formed names', () => {
      expect(paths({ stages: [] })).toEqual(['deployment.stages']);
      expect(paths({ stages: [{ name: 'Prod' }] })).toEqual(['deployment.stages[0].name']);
      expect(paths({ stages: [{ name: 'prod' }, { name: 'prod' }] })).toEqual(['deployment.stages[1].name']);
    });

    test('a canary stage needs at least two instances', () => {
      const [p] = deploymentRules({ stages: [{ name: 'staging', instanceCount: 1 }, { name: 'prod', instanceCount: 1 }] });
      expect(p.path).toBe('deployment.stages[1].instanceCount');
      expect(p.message).toContain('"prod"');
    });

    test('the fleet-wide count is blamed when the canary stage inherits it', () => {
      expect(paths({ instanceCount: 1 })).toEqual(['deployment.instanceCount']);
    });

    test('a single instance is fine all at once, or for a stage that is not a canary', () => {
      expect(paths({ instanceCount: 1, trafficRouting: TrafficRouting.ALL_AT_ONCE })).toEqual([]);
      expect(paths({ stages: [{ name: 'staging', instanceCount: 1 }, { name: 'prod', instanceCount: 1, canary: false }] })).toEqual([]);
    });
  });

  describe('linear rollout', () => {
    test('a linear step is at least 10% of the fleet', () => {
      const [p] = deploymentRules({ trafficRouting: TrafficRouting.LINEAR, canaryPercent: 5 });
      expect(p.path).toBe('deployment.canaryPercent');
      expect(p.message).toContain('10 to 50%');
      expect(paths({ trafficRouting: TrafficRouting.CANARY, canaryPercent: 5 })).toEqual([]);
    });

    test('all bakes of a linear rollout must fit in SageMaker\'s 8-hour deployment limit', () => {
      // 10 steps, 11 bakes: 11 * 40 + 30 = 470 minutes fits; 11 * 41 + 30 = 481 does not.
      expect(paths({ trafficRouting: TrafficRouting.LINEAR, canaryPercent: 10, bakeMinutes: 40 })).toEqual([]);
      const [p] = deploymentRules({ trafficRouting: TrafficRouting.LINEAR, canaryPercent: 10, bakeMinutes: 41 });
      expect(p.path).toBe('deployment.bakeMinutes');
      expect(p.fix).toContain('at most 40');
    });

    test('a canary of any size bakes twice at most an hour each, well within the limit', () => {
      expect(paths({ trafficRouting: TrafficRouting.CANARY, canaryPercent: 1, bakeMinutes: 60 })).toEqual([]);
    });

    test('trafficShifts counts the shifts of each strategy', () => {
      expect(trafficShifts(TrafficRouting.ALL_AT_ONCE, 10)).toBe(1);
      expect(trafficShifts(TrafficRouting.CANARY, 10)).toBe(2);
      expect(trafficShifts(TrafficRouting.LINEAR, 10)).toBe(10);
      expect(trafficShifts(TrafficRouting.LINEAR, 30)).toBe(4);
      expect(DEPLOYMENT_LIMITS.maxExecutionMinutes).toBe(480);
    });
  });

  describe('autoscaling', () => {
    const stages: StageOptions[] = [{ name: 'staging', canary: false }, { name: 'prod' }];

    test('max below min is reported once', () => {
      expect(paths({ autoscaling: { minCapacity: 4, maxCapacity: 2 } })).toEqual(['deployment.autoscaling.maxCapacity']);
    });

    test('each stage starts within the autoscaling range', () => {
      const problems = deploymentRules({ stages: [{ name: 'staging', canary: false, instanceCount: 1 }, { name: 'prod', instanceCount: 8 }], autoscaling: { minCapacity: 2, maxCapacity: 6 } });
      expect(problems.map((p) => p.path)).toEqual(['deployment.stages[0].instanceCount', 'deployment.stages[1].instanceCount']);
      expect(problems[1].message).toContain('2..6');
    });

    test('a canary stage may not scale in below two instances', () => {
      const problems = deploymentRules({ stages, instanceCount: 2, autoscaling: { minCapacity: 1, maxCapacity: 4 } });
      expect(problems.map((p) => p.path)).toEqual(['deployment.autoscaling.minCapacity']);
      const allAtOnce = { stages, instanceCount: 2, trafficRouting: TrafficRouting.ALL_AT_ONCE, autoscaling: { minCapacity: 1, maxCapacity: 4 } };
      expect(paths(allAtOnce)).toEqual([]);
    });

    test('a consistent autoscaling section is valid', () => {
      expect(paths({ stages, instanceCount: 2, autoscaling: { minCapacity: 2, maxCapacity: 10, targetInvocationsPerInstance: 500 } })).toEqual([]);
    });

    test('target invocations must be a positive whole number', () => {
      expect(paths({ autoscaling: { minCapacity: 2, maxCapacity: 4, targetInvocationsPerInstance: 0 } })).toEqual(['deployment.autoscaling.targetInvocationsPerInstance']);
    });
  });
});
