import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ApiMetrics } from './api-metrics';
import { InvalidValuesError } from '../../core/problem';

/**
 * Thresholds of the inference API's alarms.
 */
export interface InferenceApiAlarmOptions {
  /**
   * Alarm when more than this percent of requests fail with a 5XX status.
   * @default 1
   */
  readonly serverErrorRatePercent?: number;
  /**
   * Alarm when more than this percent of requests are rejected with a 4XX status.
   * @default 25
   */
  readonly clientErrorRatePercent?: number;
  /**
   * Alarm when the p99 latency exceeds this many milliseconds.
   * @default 2000
   */
  readonly p99LatencyMs?: number;
}

/** Suffixes of the API's alarm names (`<apiName>-<suffix>`), so dashboards can name them. */
const ALARM_SUFFIXES = { serverErrorRate: '5xx-rate', clientErrorRate: '4xx-rate', latency: 'p99-latency' } as const;

/** The names of an API's alarms: 5XX rate, 4XX rate, p99 latency. */
export function inferenceApiAlarmNames(apiName: string): string[] {
  return Object.values(ALARM_SUFFIXES).map((suffix) => `${apiName}-${suffix}`);
}

/**
 * Props of the inference API's alarms.
 */
export interface InferenceApiAlarmsProps extends InferenceApiAlarmOptions {
  /** Metrics of the API stage, built from its fixed name. */
  readonly metrics: ApiMetrics;
  /**
   * Notified when an alarm fires.
   * @default - no notification
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/**
 * Alarms on the API stage: the 5XX rate, the 4XX rate and the p99 latency. Their metrics name the
 * API by its fixed name, so the endpoint can watch the 5XX alarm during a rollout without a
 * dependency cycle.
 *
 * Only the 5XX rate adds signal to an endpoint rollout: the API answers 502 when the model fails
 * on a request that passed the schema, which SageMaker counts as a 4XX (ModelError) and the
 * endpoint's own rollback alarm does not see. The 4XX rate follows the callers (bad payloads,
 * throttling), not the model, and the latency alarm repeats the endpoint's own; both only notify.
 */
export class InferenceApiAlarms extends Construct {
  /** The 5XX-rate alarm: fit to roll back an endpoint update. */
  public readonly serverErrorRate: cloudwatch.Alarm;
  /** The 4XX-rate alarm. */
  public readonly clientErrorRate: cloudwatch.Alarm;
  /** The p99 latency alarm. */
  public readonly latency: cloudwatch.Alarm;
  /** Every alarm. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: InferenceApiAlarmsProps) {
    super(scope, id);
    const server = props.serverErrorRatePercent ?? 1;
    const client = props.clientErrorRatePercent ?? 25;
    const latencyMs = props.p99LatencyMs ?? 2000;
    for (const [name, value] of [['serverErrorRatePercent', server], ['clientErrorRatePercent', client]] as const) {
      if (!(value > 0 && value <= 100)) {
        throw new InvalidValuesError('InferenceApiAlarms', [{ path: name, value, message: 'is not a percentage above 0', fix: 'give more than 0 and at most 100' }]);
      }
    }
    if (!(latencyMs > 0)) {
      throw new InvalidValuesError('InferenceApiAlarms', [{ path: 'p99LatencyMs', value: latencyMs, message: 'is not a positive latency', fix: 'give the p99 latency in milliseconds to alarm on, e.g. 2000' }]);
    }
    const m = props.metrics;
    const name = m.apiName;
    const period = Duration.minutes(1);
    const quick = { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const sustained = { evaluationPeriods: 5, datapointsToAlarm: 3, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;

    this.serverErrorRate = new cloudwatch.Alarm(this, 'ServerErrorRate', {
      alarmName: `${name}-${ALARM_SUFFIXES.serverErrorRate}`,
      alarmDescription: `More than ${server}% of ${name} requests fail with 5XX (the model failed on valid input, or the endpoint did not answer); rolls back an endpoint update`,
      metric: m.metricServerErrorRate({ period }),
      threshold: server,
      comparisonOperator: above,
      ...quick,
    });
    this.clientErrorRate = new cloudwatch.Alarm(this, 'ClientErrorRate', {
      alarmName: `${name}-${ALARM_SUFFIXES.clientErrorRate}`,
      alarmDescription: `More than ${client}% of ${name} requests are rejected with 4XX: callers send payloads the contract rejects, exceed their limits or fail authentication`,
      metric: m.metricClientErrorRate({ period }),
      threshold: client,
      comparisonOperator: above,
      ...sustained,
    });
    this.latency = new cloudwatch.Alarm(this, 'P99Latency', {
      alarmName: `${name}-${ALARM_SUFFIXES.latency}`,
      alarmDescription: `p99 latency of ${name} above ${latencyMs} ms`,
      metric: m.metricLatency({ period }),
      threshold: latencyMs,
      comparisonOperator: above,
      ...sustained,
    });
    this.alarms = [this.serverErrorRate, this.clientErrorRate, this.latency];
    if (props.alarmAction) for (const a of this.alarms) a.addAlarmAction(props.alarmAction);
  }
}
