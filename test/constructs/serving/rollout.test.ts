import { Duration } from 'aws-cdk-lib';
import { Rollout, TrafficShift } from '../../../src/constructs/serving/rollout';

describe('Rollout', () => {
  test('all at once: one shift, no bake by default', () => {
    const r = Rollout.allAtOnce();
    expect(r.type).toBe(TrafficShift.ALL_AT_ONCE);
    expect(r.isGradual).toBe(false);
    expect(r._renderUpdatePolicy()).toEqual({
      trafficRoutingConfiguration: { type: 'ALL_AT_ONCE', waitIntervalInSeconds: 0 },
      terminationWaitInSeconds: 0,
      maximumExecutionTimeoutInSeconds: 1800,
    });
  });

  test('canary: size as capacity percent, wait from the bake time, the old fleet kept one more bake', () => {
    const r = Rollout.canary({ canaryPercent: 10, bakeTime: Duration.minutes(15) });
    expect(r._renderUpdatePolicy()).toEqual({
      trafficRoutingConfiguration: { type: 'CANARY', waitIntervalInSeconds: 900, canarySize: { type: 'CAPACITY_PERCENT', value: 10 } },
      terminationWaitInSeconds: 900,
      // two bakes, the termination wait, 30 minutes for provisioning
      maximumExecutionTimeoutInSeconds: 2 * 900 + 900 + 1800,
    });
  });

  test('linear: step size as capacity percent, one bake per step', () => {
    const r = Rollout.linear({ stepPercent: 25, bakeTime: Duration.minutes(5), terminationWait: Duration.minutes(2) });
    expect(r.trafficShifts).toBe(4);
    expect(r._renderUpdatePolicy()).toEqual({
      trafficRoutingConfiguration: { type: 'LINEAR', waitIntervalInSeconds: 300, linearStepSize: { type: 'CAPACITY_PERCENT', value: 25 } },
      terminationWaitInSeconds: 120,
      maximumExecutionTimeoutInSeconds: 4 * 300 + 120 + 1800,
    });
  });

  test('defaults to a 10-minute bake for gradual rollouts', () => {
    expect(Rollout.canary({ canaryPercent: 20 }).bakeTime.toMinutes()).toBe(10);
    expect(Rollout.linear({ stepPercent: 20 }).bakeTime.toMinutes()).toBe(10);
  });

  test('the timeout is at least SageMaker\'s minimum of 600 s', () => {
    expect(Rollout.allAtOnce({ maximumExecutionTimeout: Duration.minutes(10) }).maximumExecutionTimeout.toSeconds()).toBe(600);
  });

  test.each([0, 51, 2.5])('rejects a canary of %p%', (canaryPercent) => {
    expect(() => Rollout.canary({ canaryPercent })).toThrow(/Rollout: canaryPercent = .*: is not a whole number of percent .* Fix: give a whole number from 1 to 50/);
  });

  test.each([9, 60])('rejects a linear step of %p% (SageMaker: 10-50% of the fleet)', (stepPercent) => {
    expect(() => Rollout.linear({ stepPercent })).toThrow(/stepPercent = .*: .* Fix: give a whole number from 10 to 50/);
  });

  test('rejects waits beyond SageMaker\'s 3600 s', () => {
    expect(() => Rollout.canary({ canaryPercent: 10, bakeTime: Duration.minutes(61) })).toThrow(/bakeTime = "1 hour 1 minute": is outside SageMaker's 0..3600 s/);
    expect(() => Rollout.allAtOnce({ terminationWait: Duration.hours(2) })).toThrow(/terminationWait = "2 hours"/);
  });

  test('rejects a rollout that cannot finish within 8 hours', () => {
    expect(() => Rollout.linear({ stepPercent: 10, bakeTime: Duration.minutes(60) })).toThrow(/maximumExecutionTimeout = \d+: seconds of a LINEAR rollout are outside SageMaker's 600..28800 s deployment limit. Fix: shorten the bake time/);
  });

  test('rejects a timeout that does not exceed the waits', () => {
    expect(() => Rollout.canary({ canaryPercent: 10, bakeTime: Duration.minutes(20), maximumExecutionTimeout: Duration.minutes(40) }))
      .toThrow(/maximumExecutionTimeout = 2400: seconds do not exceed the rollout's waits \(3600 s\)/);
  });
});
