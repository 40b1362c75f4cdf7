import { Duration } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { InvalidValuesError } from '../../core/problem';

/**
 * How a blue/green endpoint update shifts traffic to the new fleet.
 */
export enum TrafficShift {
  /** Everything in one step, then one bake. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** A canary share first, a bake, then the rest. */
  CANARY = 'CANARY',
  /** Equal steps, a bake after each. */
  LINEAR = 'LINEAR',
}

/**
 * Timing common to every rollout.
 */
export interface RolloutOptions {
  /**
   * How long SageMaker watches the rollback alarms after each traffic shift (0 to 60 minutes).
   * @default Duration.minutes(10) for canary and linear rollouts, no bake all at once
   */
  readonly bakeTime?: Duration;
  /**
   * How long the old fleet stays up after all traffic has moved, ready for a rollback (0 to 60 minutes).
   * @default the bake time
   */
  readonly terminationWait?: Duration;
  /**
   * Longest the whole update may take (10 minutes to 8 hours).
   * @default every bake plus the termination wait plus 30 minutes to provision the new fleet
   */
  readonly maximumExecutionTimeout?: Duration;
}

/**
 * A canary rollout.
 */
export interface CanaryRolloutOptions extends RolloutOptions {
  /** Share of the new fleet's capacity that takes traffic first, in percent (1 to 50). */
  readonly canaryPercent: number;
}

/**
 * A linear rollout.
 */
export interface LinearRolloutOptions extends RolloutOptions {
  /** Share of the new fleet's capacity turned on per step, in percent (10 to 50). */
  readonly stepPercent: number;
}

/** Time allowed for SageMaker to provision the new fleet before the first traffic shift. */
const PROVISIONING = Duration.minutes(30);
const MAX_WAIT_SECONDS = 3600;
const MIN_TIMEOUT_SECONDS = 600;
const MAX_TIMEOUT_SECONDS = 28_800;

/**
 * The blue/green update policy of an endpoint (`DeploymentConfig.BlueGreenUpdatePolicy`).
 *
 * SageMaker's limits are checked here: canary size at most 50% of the fleet, linear steps of
 * 10 to 50%, waits of 0 to 3600 seconds, and a maximum execution timeout of 600 to 28,800
 * seconds that must exceed all the waits.
 */
export class Rollout {
  /** Shift all traffic in one step; with a bake time, alarms can still roll it back. */
  public static allAtOnce(options: RolloutOptions = {}): Rollout {
    return new Rollout(TrafficShift.ALL_AT_ONCE, undefined, options, Duration.seconds(0));
  }

  /** Shift a canary share, bake, then shift the rest. */
  public static canary(options: CanaryRolloutOptions): Rollout {
    checkPercent('canaryPercent', options.canaryPercent, 1);
    return new Rollout(TrafficShift.CANARY, options.canaryPercent, options, Duration.minutes(10));
  }

  /** Shift equal steps, baking after each. */
  public static linear(options: LinearRolloutOptions): Rollout {
    checkPercent('stepPercent', options.stepPercent, 10);
    return new Rollout(TrafficShift.LINEAR, options.stepPercent, options, Duration.minutes(10));
  }

  /** The traffic routing strategy. */
  public readonly type: TrafficShift;
  /** Canary size or linear step, in percent of the fleet's capacity (none all at once). */
  public readonly sizePercent?: number;
  /** The bake after each traffic shift. */
  public readonly bakeTime: Duration;
  /** The wait before the old fleet is terminated. */
  public readonly terminationWait: Duration;
  /** Longest the update may take. */
  public readonly maximumExecutionTimeout: Duration;

  private constructor(type: TrafficShift, sizePercent: number | undefined, options: RolloutOptions, defaultBake: Duration) {
    this.type = type;
    this.sizePercent = sizePercent;
    this.bakeTime = options.bakeTime ?? defaultBake;
    this.terminationWait = options.terminationWait ?? this.bakeTime;
    checkWait('bakeTime', this.bakeTime);
    checkWait('terminationWait', this.terminationWait);
    const waits = this.trafficShifts * this.bakeTime.toSeconds() + this.terminationWait.toSeconds();
    const computed = Math.max(MIN_TIMEOUT_SECONDS, waits + PROVISIONING.toSeconds());
    const timeout = options.maximumExecutionTimeout?.toSeconds() ?? computed;
    if (timeout < MIN_TIMEOUT_SECONDS || timeout > MAX_TIMEOUT_SECONDS) {
      throw new InvalidValuesError('Rollout', [{
        path: 'maximumExecutionTimeout',
        value: timeout,
        message: `seconds of a ${type} rollout are outside SageMaker's ${MIN_TIMEOUT_SECONDS}..${MAX_TIMEOUT_SECONDS} s deployment limit`,
        fix: options.maximumExecutionTimeout ? `give ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} seconds` : 'shorten the bake time or take larger steps',
      }]);
    }
    if (timeout <= waits) {
      throw new InvalidValuesError('Rollout', [{
        path: 'maximumExecutionTimeout', value: timeout, message: `seconds do not exceed the rollout's waits (${waits} s)`, fix: `give more than ${waits} seconds, or leave it unset`,
      }]);
    }
    this.maximumExecutionTimeout = Duration.seconds(timeout);
  }

  /** Number of traffic shifts: one all at once, two for a canary, one per step when linear. */
  public get trafficShifts(): number {
    if (this.type === TrafficShift.LINEAR) return Math.ceil(100 / this.sizePercent!);
    return this.type === TrafficShift.CANARY ? 2 : 1;
  }

  /** Whether the rollout moves part of the fleet first, which needs at least two instances. */
  public get isGradual(): boolean {
    return this.type !== TrafficShift.ALL_AT_ONCE;
  }

  /**
   * The `BlueGreenUpdatePolicy` CloudFormation property.
   * @internal
   */
  public _renderUpdatePolicy(): CfnEndpoint.BlueGreenUpdatePolicyProperty {
    const size = this.sizePercent !== undefined ? { type: 'CAPACITY_PERCENT', value: this.sizePercent } : undefined;
    return {
      trafficRoutingConfiguration: {
        type: this.type,
        waitIntervalInSeconds: this.bakeTime.toSeconds(),
        ...(this.type === TrafficShift.CANARY ? { canarySize: size } : {}),
        ...(this.type === TrafficShift.LINEAR ? { linearStepSize: size } : {}),
      },
      terminationWaitInSeconds: this.terminationWait.toSeconds(),
      maximumExecutionTimeoutInSeconds: this.maximumExecutionTimeout.toSeconds(),
    };
  }
}

function checkPercent(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 50) {
    throw new InvalidValuesError('Rollout', [{
      path: name, value, message: 'is not a whole number of percent that SageMaker shifts in one step (at most half of the fleet)', fix: `give a whole number from ${min} to 50`,
    }]);
  }
}

function checkWait(name: string, value: Duration): void {
  const seconds = value.toSeconds();
  if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
    throw new InvalidValuesError('Rollout', [{ path: name, value: value.toHumanString(), message: `is outside SageMaker's 0..${MAX_WAIT_SECONDS} s`, fix: `give 0 to ${MAX_WAIT_SECONDS} seconds` }]);
  }
}
