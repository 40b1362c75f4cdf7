import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';
import { ColumnType, MonitoringEngine, ResolvedConfig } from '../../config';
import { modelMonitorCron } from '../../config/rules/monitoring';
import { parseSchedule } from '../../config/schedule';
import { IDataLake } from '../../constructs/data/data-lake-ref';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { BaselineExport } from '../../constructs/monitoring/baseline-export';
import { BuiltinDriftMonitor } from '../../constructs/monitoring/builtin-drift-monitor';
import { ModelDashboard } from '../../constructs/monitoring/model-dashboard';
import { ModelMonitor } from '../../constructs/monitoring/model-monitor';
import { MonitoringKey } from '../../constructs/monitoring/monitoring-key';
import { RetrainOnDrift } from '../../constructs/monitoring/retrain-on-drift';
import { IModelNetwork } from '../../constructs/network/model-network-ref';
import { inferenceApiAlarmNames } from '../../constructs/serving/inference-api-alarms';
import { validatedDataPrefix } from '../../constructs/training/training-spec';
import { ResourceNames, baselineProfileKeyFor } from '../../core/names/resource-names';

/**
 * Props of the monitoring stack.
 */
export interface MonitoringStackProps extends AidlcStackProps {
  /** The data lake (from the data stack): captured traffic and the training baseline live in its artifacts bucket. */
  readonly lake: IDataLake;
  /**
   * Key of the training baseline profile (`aidlc profile` format) in the artifacts bucket.
   * @default MonitoringStack.baselineProfileKey(modelName)
   */
  readonly baselineProfileKey?: string;
  /**
   * The model's network (from the network stack).
   * @default - no network: the workloads run outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * Drift monitoring of the production endpoint (the last stage) with the configured engine, the
 * alert topic, retraining on drift when configured, and the model's dashboard.
 *
 * It names endpoints by their fixed names and shares no CloudFormation reference with the serving
 * stacks; the Model Monitor engine needs the endpoint to exist, which the delivery pipeline
 * ensures by deploying this stack after the serving stacks.
 */
export class MonitoringStack extends AidlcStack {
  /** Name of the alert topic of a model (the serving stacks' rollback alarms notify it by name). */
  public static alertTopicName(modelName: string): string {
    return `${modelName}-alerts`;
  }

  /** Default key of a model's training baseline profile in the artifacts bucket. */
  public static baselineProfileKey(modelName: string): string {
    return baselineProfileKeyFor(modelName);
  }

  /**
   * The features drift is scored on, in the order the endpoint receives them: the contract's
   * columns without the target, the key columns and timestamps (which training drops too).
   */
  public static featuresOf(config: ResolvedConfig): string[] {
    const contract = config.data.contract;
    return contract.columns
      .filter((c) => c.name !== contract.targetColumn && !contract.keyColumns.includes(c.name) && c.type !== ColumnType.TIMESTAMP)
      .map((c) => c.name);
  }

  /** The alert topic drift and rollback alarms notify. */
  public readonly alerts: AlertTopic;
  /** The built-in engine, when configured. */
  public readonly builtin?: BuiltinDriftMonitor;
  /** The Model Monitor engine, when configured. */
  public readonly modelMonitor?: ModelMonitor;
  /** The retraining trigger, when configured. */
  public readonly retrain?: RetrainOnDrift;
  /** The model's dashboard. */
  public readonly dashboard: ModelDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, 'monitoring', props);
    const config = props.config;
    const names = new ResourceNames(config);
    const monitoring = config.monitoring;
    const stages = config.deployment.stages;
    const endpointName = names.endpoint(stages[stages.length - 1].name);
    const features = MonitoringStack.featuresOf(config);
    const bucket = props.lake.artifactsBucket;
    const baselineKey = props.baselineProfileKey ?? MonitoringStack.baselineProfileKey(config.modelName);

    const key = new MonitoringKey(this, 'Key', { alias: `alias/aidlc/${config.modelName}/monitoring` }).key;
    this.alerts = new AlertTopic(this, 'Alerts', {
      encryptionKey: key,
      topicName: MonitoringStack.alertTopicName(config.modelName),
      email: monitoring.alertEmail,
    });

    let alarms: cloudwatch.IAlarm[];
    let driftMetrics: cloudwatch.IMetric[];
    let driftThreshold: number | undefined;
    if (monitoring.engine === MonitoringEngine.MODEL_MONITOR) {
      const parsed = parseSchedule(monitoring.schedule);
      const cron = typeof parsed === 'string' ? undefined : modelMonitorCron(parsed).cron;
      if (!cron) throw new Error(`monitoring.schedule "${monitoring.schedule}" cannot run a SageMaker monitoring schedule; the config rules should have caught this`);
      this.modelMonitor = new ModelMonitor(this, 'ModelMonitor', {
        endpointName,
        scheduleExpression: cron,
        captureBucket: bucket,
        baselineBucket: bucket,
        encryptionKey: props.lake.key,
        features,
        driftThreshold: config.data.driftKsThreshold,
        alarmAction: this.alerts.alarmAction,
        network: props.network,
      });
      new BaselineExport(this, 'BaselineExport', {
        bucket,
        profileKey: baselineKey,
        baselinePrefix: this.modelMonitor.baselinePrefix,
        features,
        comparisonThreshold: config.data.driftKsThreshold,
        schedule: monitoring.schedule,
        encryptionKey: key,
        network: props.network,
      });
      alarms = this.modelMonitor.alarms;
      driftMetrics = features.map((f) => this.modelMonitor!.metrics.metricBaselineDrift(f));
      driftThreshold = config.data.driftKsThreshold;
    } else {
      this.builtin = new BuiltinDriftMonitor(this, 'DriftMonitor', {
        endpointName,
        captureBucket: bucket,
        baselineBucket: bucket,
        baselineKey,
        encryptionKey: key,
        features,
        schedule: monitoring.schedule,
        window: Duration.hours(monitoring.windowHours),
        psiThreshold: config.data.driftPsiThreshold,
        ksThreshold: config.data.driftKsThreshold,
        alarmAction: this.alerts.alarmAction,
        network: props.network,
      });
      alarms = this.builtin.alarms;
      driftMetrics = features.map((f) => this.builtin!.metrics.metricPsi(f));
      driftThreshold = config.data.driftPsiThreshold;
    }

    if (monitoring.retrainOnDrift) {
      this.retrain = new RetrainOnDrift(this, 'Retrain', {
        alarms,
        pipelineName: names.trainingPipeline,
        cooldown: Duration.hours(monitoring.retrainCooldownHours),
        encryptionKey: key,
        latestDataset: { bucket: props.lake.validatedBucket, validatedPrefix: validatedDataPrefix(config.data.s3Prefix).replace(/data\/$/, ''), key: props.lake.key },
        network: props.network,
      });
    }

    this.dashboard = new ModelDashboard(this, 'Dashboard', {
      dashboardName: `aidlc-${config.modelName}`,
      endpoints: stages.map((s) => ({ endpointName: names.endpoint(s.name) })),
      driftMetrics,
      driftThreshold,
      trainingPipelineName: names.trainingPipeline,
      ...(config.serving.api.enabled ? {
        apis: stages.map((s) => {
          const apiName = names.inferenceApi(s.name);
          // The serving stacks name the web ACL and the alarms after the API.
          return { apiName, stageName: s.name, webAclName: apiName, alarmNames: inferenceApiAlarmNames(apiName) };
        }),
      } : {}),
    });

    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'MonitoredEndpoint', { value: endpointName });
  }
}
