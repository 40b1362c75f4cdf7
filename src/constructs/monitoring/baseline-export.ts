import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MonitorFunction } from './monitor-function';
import { ScheduledInvocation } from './scheduled-invocation';
import { IModelNetwork } from '../network/model-network-ref';

/**
 * Props of the baseline export.
 */
export interface BaselineExportProps {
  /** The bucket holding the training baseline profile and receiving the Model Monitor baselines. */
  readonly bucket: s3.IBucket;
  /** Key of the baseline profile (`aidlc profile` format). */
  readonly profileKey: string;
  /** Key prefix the `statistics.json` and `constraints.json` are written under. */
  readonly baselinePrefix: string;
  /** Features to export, in the order of the captured CSV columns. */
  readonly features: string[];
  /**
   * Model Monitor's `comparison_threshold` (the L-infinity distance between distributions).
   * @default 0.1
   */
  readonly comparisonThreshold?: number;
  /**
   * When to refresh the export: an EventBridge Scheduler expression.
   * @default "rate(1 hour)"
   */
  readonly schedule?: string;
  /**
   * Keys the profile is encrypted with and the exported files are encrypted with.
   * @default - the bucket's key
   */
  readonly dataKeys?: kms.IKey[];
  /** Encrypts the function's logs, environment and dead letters. */
  readonly encryptionKey: kms.IKey;
  /**
   * The network the function runs in.
   * @default - outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * Keeps the Model Monitor baselines in step with the training baseline profile: on a schedule, a
 * function exports the profile as `statistics.json` and `constraints.json` (rewriting them only
 * when the profile changed), so each retraining's new baseline reaches the monitoring schedule.
 */
export class BaselineExport extends Construct {
  /** The export function. */
  public readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: BaselineExportProps) {
    super(scope, id);
    const prefix = props.baselinePrefix.replace(/^\/+|\/+$/g, '');
    const statisticsKey = `${prefix}/statistics.json`;
    const constraintsKey = `${prefix}/constraints.json`;
    const keys = props.dataKeys ?? (props.bucket.encryptionKey ? [props.bucket.encryptionKey] : []);
    const exporter = new MonitorFunction(this, 'Exporter', {
      network: props.network,
      description: 'Exports the training baseline profile as Model Monitor statistics and constraints',
      encryptionKey: props.encryptionKey,
      memorySize: 512,
      environment: {
        BASELINE_BUCKET: props.bucket.bucketName,
        BASELINE_KEY: props.profileKey,
        STATISTICS_KEY: statisticsKey,
        CONSTRAINTS_KEY: constraintsKey,
        FEATURES: JSON.stringify(props.features),
        COMPARISON_THRESHOLD: String(props.comparisonThreshold ?? 0.1),
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadProfileAndExport',
          actions: ['s3:GetObject'],
          resources: [props.profileKey, statisticsKey, constraintsKey].map((k) => props.bucket.arnForObjects(k)),
        }),
        new iam.PolicyStatement({
          sid: 'WriteExport',
          actions: ['s3:PutObject'],
          resources: [statisticsKey, constraintsKey].map((k) => props.bucket.arnForObjects(k)),
        }),
        ...(keys.length ? [new iam.PolicyStatement({ sid: 'UseDataKeys', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: keys.map((k) => k.keyArn) })] : []),
      ],
    });
    this.function = exporter.function;
    new ScheduledInvocation(this, 'Schedule', {
      function: exporter.function,
      deadLetterQueue: exporter.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      expression: props.schedule ?? 'rate(1 hour)',
      description: 'Refreshes the Model Monitor baselines from the training profile',
      input: { source: 'aidlc.baseline-export' },
    });
  }
}
