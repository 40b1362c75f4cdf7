import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { EndpointMetrics } from './endpoint-metrics';
import { InvalidValuesError } from '../../core/problem';

/** SageMaker accepts 1 to 10 auto-rollback alarms. */
const MAX_ROLLBACK_ALARMS = 10;

/**
 * Thresholds of the auto-rollback alarms.
 */
export interface RollbackOptions {
  /**
   * Roll back when more than this percent of requests fail with a 5XX status.
   * @default 1
   */
  readonly errorRatePercent?: number;
  /**
   * Roll back when the p99 model latency exceeds this many milliseconds.
   * @default 1000
   */
  readonly p99LatencyMs?: number;
  /**
   * Further alarms that roll the update back, e.g. on a business metric. SageMaker watches at most
   * 10 alarms, the two above included.
   * @default - none
   */
  readonly alarms?: cloudwatch.IAlarm[];
}

/**
 * Props of the rollback alarms.
 */
export interface RollbackAlarmsProps extends RollbackOptions {
  /** Metrics of the endpoint variant, built from its fixed name. */
  readonly metrics: EndpointMetrics;
  /**
   * Where the alarms notify when they fire.
   * @default - no notification
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/**
 * The alarms SageMaker watches during a blue/green update: the 5XX error rate and the p99 model
 * latency of the variant, plus any given alarms. Their metrics name the endpoint by its fixed
 * name, so the endpoint can reference the alarms without a dependency cycle.
 */
export class RollbackAlarms extends Construct {
  /** The 5XX error-rate alarm. */
  public readonly errorRate: cloudwatch.Alarm;
  /** The p99 model-latency alarm. */
  public readonly latency: cloudwatch.Alarm;
  /** Every alarm SageMaker watches, the given ones included. */
  public readonly alarms: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: RollbackAlarmsProps) {
    super(scope, id);
    const errorRatePercent = props.errorRatePercent ?? 1;
    const p99LatencyMs = props.p99LatencyMs ?? 1000;
    if (!(errorRatePercent > 0 && errorRatePercent <= 100)) {
      throw new InvalidValuesError('RollbackAlarms', [{ path: 'errorRatePercent', value: errorRatePercent, message: 'is not a percentage above 0', fix: 'give more than 0 and at most 100, e.g. 1' }]);
    }
    if (!(p99LatencyMs > 0)) {
      throw new InvalidValuesError('RollbackAlarms', [{ path: 'p99LatencyMs', value: p99LatencyMs, message: 'is not a positive latency', fix: 'give the p99 latency in milliseconds above which to roll back, e.g. 1000' }]);
    }
    const extra = props.alarms ?? [];
    if (extra.length + 2 > MAX_ROLLBACK_ALARMS) {
      throw new InvalidValuesError('RollbackAlarms', [{
        path: 'alarms', value: `${extra.length} alarms`, message: `are too many with the error-rate and latency alarms: SageMaker watches at most ${MAX_ROLLBACK_ALARMS}`, fix: `give at most ${MAX_ROLLBACK_ALARMS - 2} alarms`,
      }]);
    }
    const name = props.metrics.endpointName;
    const evaluation = { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };

    this.errorRate = new cloudwatch.Alarm(this, 'ErrorRate', {
      alarmName: `${name}-rollback-5xx-rate`,
      alarmDescription: `More than ${errorRatePercent}% of ${name} requests fail with 5XX; rolls back an endpoint update`,
      metric: props.metrics.metricErrorRate({ period: Duration.minutes(1) }),
      threshold: errorRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...evaluation,
    });

    this.latency = new cloudwatch.Alarm(this, 'P99Latency', {
      alarmName: `${name}-rollback-p99-latency`,
      alarmDescription: `p99 model latency of ${name} above ${p99LatencyMs} ms; rolls back an endpoint update`,
      // ModelLatency is reported in microseconds.
      metric: props.metrics.metricModelLatencyP99({ period: Duration.minutes(1) }),
      threshold: p99LatencyMs * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...evaluation,
    });

    if (props.alarmAction) {
      this.errorRate.addAlarmAction(props.alarmAction);
      this.latency.addAlarmAction(props.alarmAction);
    }
    this.alarms = [this.errorRate, this.latency, ...extra];
  }
}
