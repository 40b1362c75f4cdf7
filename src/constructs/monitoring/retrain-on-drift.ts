import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MonitorFunction } from './monitor-function';
import { InvalidValuesError } from '../../core/problem';
import { IModelNetwork } from '../network/model-network-ref';

/**
 * Props of the retraining trigger.
 */
export interface RetrainOnDriftProps {
  /** The drift alarms; any of them going into ALARM starts a retraining run. */
  readonly alarms: cloudwatch.IAlarm[];
  /** The SageMaker Pipeline that retrains (and registers) the model. */
  readonly pipelineName: string;
  /**
   * Least time between two drift-triggered runs.
   * @default Duration.hours(24)
   */
  readonly cooldown?: Duration;
  /** Encrypts the function's logs, environment and dead letters. */
  readonly encryptionKey: kms.IKey;
  /**
   * Where the data gate names its newest passing run (`<validated prefix>runs/latest-pass.json`
   * in the validated bucket): a retraining run trains on exactly that run's dataset manifest.
   * @default - the run is started without dataset parameters (the pipeline's defaults apply)
   */
  readonly latestDataset?: RetrainDataset;
  /**
   * The network the function runs in.
   * @default - outside any VPC
   */
  readonly network?: IModelNetwork;
}

/** The newest passing gate run, for retraining: the bucket, the pointer's key, the prefix of runs. */
export interface RetrainDataset {
  /** The lake's validated bucket. */
  readonly bucket: s3.IBucket;
  /** The model's validated prefix, ending in `/` (e.g. `validated/churn/`). */
  readonly validatedPrefix: string;
  /** The key the bucket's objects are encrypted with. */
  readonly key: kms.IKey;
}

/**
 * Starts the training pipeline when a drift alarm fires: an EventBridge rule on the alarms' state
 * changes to ALARM invokes the bundled function, which starts an execution unless a
 * drift-triggered execution started within the cooldown (SageMaker's execution list is the
 * record, so the cooldown needs no state of its own).
 */
export class RetrainOnDrift extends Construct {
  /** Display names of drift-triggered executions start with this, so the cooldown finds them. */
  public static readonly DISPLAY_NAME_PREFIX = 'drift-';

  /** The function that starts the pipeline. */
  public readonly function: lambda.IFunction;
  /** The rule on the alarms' state changes. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: RetrainOnDriftProps) {
    super(scope, id);
    if (props.alarms.length === 0) {
      throw new InvalidValuesError('RetrainOnDrift', [{ path: 'alarms', value: props.alarms, message: 'is empty: retraining starts on a drift alarm', fix: 'give the drift alarms, e.g. those of BuiltinDriftMonitor or ModelMonitor' }]);
    }
    const cooldownHours = (props.cooldown ?? Duration.hours(24)).toHours({ integral: false });
    if (!(cooldownHours > 0)) {
      throw new InvalidValuesError('RetrainOnDrift', [{ path: 'cooldown', value: `${cooldownHours} h`, message: 'is not positive', fix: 'give the least time between two retrainings, e.g. Duration.hours(24)' }]);
    }
    const dataset = props.latestDataset;
    const pipelineArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: props.pipelineName.toLowerCase() });

    // The function starts the pipeline from inside the network: the SageMaker API needs its endpoint there.
    props.network?.addInterfaceEndpoint('sagemaker.api');
    const trigger = new MonitorFunction(this, 'Trigger', {
      network: props.network,
      description: `Starts ${props.pipelineName} when the model's inputs drift, at most once per ${cooldownHours} hours`,
      encryptionKey: props.encryptionKey,
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: {
        PIPELINE_NAME: props.pipelineName,
        COOLDOWN_HOURS: String(cooldownHours),
        DISPLAY_NAME_PREFIX: RetrainOnDrift.DISPLAY_NAME_PREFIX,
        ...(dataset ? { LATEST_DATASET_URI: dataset.bucket.s3UrlForObject(`${dataset.validatedPrefix}runs/latest-pass.json`) } : {}),
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'StartRetraining',
          actions: ['sagemaker:StartPipelineExecution', 'sagemaker:ListPipelineExecutions'],
          resources: [pipelineArn],
        }),
        ...(dataset ? [
          new iam.PolicyStatement({
            sid: 'ReadLatestGateRun',
            actions: ['s3:GetObject'],
            resources: [dataset.bucket.arnForObjects(`${dataset.validatedPrefix}runs/latest-pass.json`), dataset.bucket.arnForObjects(`${dataset.validatedPrefix}runs/*/manifest.json`)],
          }),
          new iam.PolicyStatement({
            sid: 'DecryptGateRuns',
            actions: ['kms:Decrypt'],
            resources: [dataset.key.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
          }),
        ] : []),
      ],
      ...(dataset ? {
        wildcards: [{
          match: /\/runs\/\*\/manifest\.json$/,
          reason: 'The manifest of whichever gate run is newest and passing (runs/<execution id>/manifest.json), named by the pointer; read only.',
        }],
      } : {}),
    });

    this.function = trigger.function;
    this.rule = new events.Rule(this, 'OnDrift', {
      description: `A drift alarm fired: retrain with ${props.pipelineName}`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: props.alarms.map((a) => a.alarmArn),
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [new targets.LambdaFunction(trigger.function, {
        deadLetterQueue: trigger.deadLetterQueue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      })],
    });
  }
}
