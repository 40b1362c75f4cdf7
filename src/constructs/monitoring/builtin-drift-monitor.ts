import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DriftMetrics } from './drift-metrics';
import { featureAlarms } from './feature-alarms';
import { MonitorFunction } from './monitor-function';
import { ScheduledInvocation } from './scheduled-invocation';
import { InvalidValuesError } from '../../core/problem';
import { IModelNetwork } from '../network/model-network-ref';
import { VPC_DESCRIBE_REASON } from '../network/vpc-access';

/**
 * Props of the built-in drift monitor.
 */
export interface BuiltinDriftMonitorProps {
  /** The monitored endpoint. */
  readonly endpointName: string;
  /**
   * The endpoint's production variant.
   * @default "primary"
   */
  readonly variantName?: string;
  /** The bucket the endpoint captures its traffic to. */
  readonly captureBucket: s3.IBucket;
  /**
   * The capture prefix of the endpoint configuration (SageMaker adds `<endpoint>/<variant>/`).
   * @default "data-capture"
   */
  readonly capturePrefix?: string;
  /** The bucket holding the training baseline profile. */
  readonly baselineBucket: s3.IBucket;
  /** Key of the baseline profile (`aidlc profile` format) in the baseline bucket. */
  readonly baselineKey: string;
  /**
   * Keys the captured data and the baseline are encrypted with.
   * @default - the buckets' keys
   */
  readonly dataKeys?: kms.IKey[];
  /** Encrypts the function's logs, environment and dead letters. */
  readonly encryptionKey: kms.IKey;
  /** The features scored for drift, each with an alarm. */
  readonly features: string[];
  /**
   * Column names of captured CSV requests, in order (CSV requests carry no header).
   * @default - the features
   */
  readonly inputColumns?: string[];
  /** When the monitor runs: an EventBridge Scheduler `rate(...)` or `cron(...)` expression. */
  readonly schedule: string;
  /**
   * How far back each run reads captured traffic.
   * @default Duration.hours(24)
   */
  readonly window?: Duration;
  /**
   * Population stability index above which a feature drifted.
   * @default 0.2
   */
  readonly psiThreshold?: number;
  /**
   * Kolmogorov-Smirnov statistic above which a numeric feature drifted.
   * @default 0.1
   */
  readonly ksThreshold?: number;
  /**
   * CloudWatch namespace of the drift metrics.
   * @default DriftMetrics.DEFAULT_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * Notified when a feature drifts.
   * @default - no notification
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * The network the function runs in.
   * @default - outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * The `BUILTIN` monitoring engine: on a schedule, a Lambda function (the bundled data engine)
 * reads the last window of the endpoint's captured JSON Lines, profiles them, scores drift
 * against the training baseline profile and publishes per-feature drift metrics; one alarm per
 * feature fires when that feature drifted.
 */
export class BuiltinDriftMonitor extends Construct {
  /** The scheduled drift function. */
  public readonly function: lambda.IFunction;
  /** Failed runs land here. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The metrics the function publishes. */
  public readonly metrics: DriftMetrics;
  /** One alarm per feature. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The schedule that runs the function. */
  public readonly schedule: ScheduledInvocation;

  constructor(scope: Construct, id: string, props: BuiltinDriftMonitorProps) {
    super(scope, id);
    if (props.features.length === 0) {
      throw new InvalidValuesError('BuiltinDriftMonitor', [{ path: 'features', value: props.features, message: 'is empty: drift is measured per feature', fix: 'name the features to monitor' }]);
    }
    const thresholds = { psi: props.psiThreshold ?? 0.2, ks: props.ksThreshold ?? 0.1 };
    const windowHours = (props.window ?? Duration.hours(24)).toHours();
    if (!Number.isInteger(windowHours) || windowHours < 1) {
      throw new InvalidValuesError('BuiltinDriftMonitor', [{ path: 'window', value: `${windowHours} h`, message: 'is not a whole number of hours', fix: 'give 1 hour or more in whole hours, e.g. Duration.hours(24)' }]);
    }
    this.metrics = new DriftMetrics(props.endpointName, props.namespace);

    const monitor = this.createMonitorFunction(props, thresholds, windowHours);
    this.function = monitor.function;
    this.deadLetterQueue = monitor.deadLetterQueue;
    this.schedule = new ScheduledInvocation(this, 'Schedule', {
      function: this.function,
      deadLetterQueue: this.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      expression: props.schedule,
      description: `Drift monitor of ${props.endpointName}`,
      input: { source: 'aidlc.drift-monitor' },
    });
    this.alarms = featureAlarms(this, props.endpointName, props.features.map((feature) => ({
      feature,
      metric: this.metrics.metricDrift(feature),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `Captured ${feature} of ${props.endpointName} drifted from the training baseline (PSI above ${thresholds.psi}, or KS above ${thresholds.ks})`,
    })), props.alarmAction);
  }

  /**
   * The drift function: reads the endpoint variant's captured traffic of the window and the
   * baseline, publishes PSI and KS per feature; its role may do that and no more.
   */
  private createMonitorFunction(props: BuiltinDriftMonitorProps, thresholds: { psi: number; ks: number }, windowHours: number): MonitorFunction {
    const variant = props.variantName ?? 'primary';
    const capturePrefix = `${(props.capturePrefix ?? 'data-capture').replace(/^\/+|\/+$/g, '')}/${props.endpointName}/${variant}/`;
    const inputColumnsDiffer = !!props.inputColumns && JSON.stringify(props.inputColumns) !== JSON.stringify(props.features);
    const keys = props.dataKeys ?? [props.captureBucket.encryptionKey, props.baselineBucket.encryptionKey].filter((k): k is kms.IKey => !!k);
    // The function publishes its metrics from inside the network: CloudWatch needs its endpoint there.
    props.network?.addInterfaceEndpoint('monitoring');
    return new MonitorFunction(this, 'Monitor', {
      network: props.network,
      description: `Scores drift of ${props.endpointName}'s captured traffic against the training baseline`,
      encryptionKey: props.encryptionKey,
      environment: {
        ENDPOINT_NAME: props.endpointName,
        CAPTURE_BUCKET: props.captureBucket.bucketName,
        CAPTURE_PREFIX: capturePrefix,
        BASELINE_BUCKET: props.baselineBucket.bucketName,
        BASELINE_KEY: props.baselineKey,
        WINDOW_HOURS: String(windowHours),
        PSI_THRESHOLD: String(thresholds.psi),
        KS_THRESHOLD: String(thresholds.ks),
        FEATURES: JSON.stringify(props.features),
        // Lambda environments hold 4 KB: the input columns are only listed when they differ from the features.
        ...(inputColumnsDiffer ? { INPUT_COLUMNS: JSON.stringify(props.inputColumns) } : {}),
        METRIC_NAMESPACE: this.metrics.namespace,
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'ListCapturedData',
          actions: ['s3:ListBucket'],
          resources: [props.captureBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${capturePrefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadCapturedDataAndBaseline',
          actions: ['s3:GetObject'],
          resources: [props.captureBucket.arnForObjects(`${capturePrefix}*`), props.baselineBucket.arnForObjects(props.baselineKey)],
        }),
        ...(keys.length ? [new iam.PolicyStatement({ sid: 'DecryptData', actions: ['kms:Decrypt'], resources: keys.map((k) => k.keyArn) })] : []),
        new iam.PolicyStatement({
          sid: 'PublishDriftMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': this.metrics.namespace } },
        }),
      ],
      wildcards: [
        { match: new RegExp(`^Resource::.*/${escape(capturePrefix)}\\*$`), reason: 'captured files of this endpoint variant: SageMaker adds date, hour and a unique file name under the prefix' },
        { match: /^Resource::\*$/, reason: `cloudwatch:PutMetricData has no resource-level permissions; the policy limits it to the drift namespace${props.network ? `; ${VPC_DESCRIBE_REASON}` : ''}` },
      ],
    });
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
