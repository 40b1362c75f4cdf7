import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
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
    const endpointName = names.endpoint(config.deployment.stages[config.deployment.stages.length - 1].name);
    const features = MonitoringStack.featuresOf(config);

    const key = new MonitoringKey(this, 'Key', { alias: `alias/aidlc/${config.modelName}/monitoring` }).key;
    this.alerts = new AlertTopic(this, 'Alerts', {
      encryptionKey: key,
      topicName: MonitoringStack.alertTopicName(config.modelName),
      email: monitoring.alertEmail,
    });
    let drift: DriftSignals;
    if (monitoring.engine === MonitoringEngine.MODEL_MONITOR) {
      this.modelMonitor = this.createModelMonitor(props, key, endpointName, features);
      drift = {
        alarms: this.modelMonitor.alarms,
        metrics: features.map((f) => this.modelMonitor!.metrics.metricBaselineDrift(f)),
        threshold: config.data.driftKsThreshold,
      };
    } else {
      this.builtin = this.createBuiltinMonitor(props, key, endpointName, features);
      drift = {
        alarms: this.builtin.alarms,
        metrics: features.map((f) => this.builtin!.metrics.metricPsi(f)),
        threshold: config.data.driftPsiThreshold,
      };
    }
    if (monitoring.retrainOnDrift) this.retrain = this.createRetraining(props, key, drift.alarms);
    this.dashboard = this.createDashboard(config, drift);

    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'MonitoredEndpoint', { value: endpointName });
  }

  /** SageMaker Model Monitor on its schedule, with the training baseline exported in its format. */
  private createModelMonitor(props: MonitoringStackProps, key: kms.IKey, endpointName: string, features: string[]): ModelMonitor {
    const { config, lake, network } = props;
    const monitoring = config.monitoring;
    const parsed = parseSchedule(monitoring.schedule);
    const cron = typeof parsed === 'string' ? undefined : modelMonitorCron(parsed).cron;
    if (!cron) throw new Error(`monitoring.schedule "${monitoring.schedule}" cannot run a SageMaker monitoring schedule; the config rules should have caught this`);
    const modelMonitor = new ModelMonitor(this, 'ModelMonitor', {
      endpointName,
      scheduleExpression: cron,
      captureBucket: lake.artifactsBucket,
      baselineBucket: lake.artifactsBucket,
      encryptionKey: lake.key,
      features,
      driftThreshold: config.data.driftKsThreshold,
      alarmAction: this.alerts.alarmAction,
      network,
    });
    new BaselineExport(this, 'BaselineExport', {
      bucket: lake.artifactsBucket,
      profileKey: baselineKeyOf(props),
      baselinePrefix: modelMonitor.baselinePrefix,
      features,
      comparisonThreshold: config.data.driftKsThreshold,
      schedule: monitoring.schedule,
      encryptionKey: key,
      network,
    });
    return modelMonitor;
  }

  /** The built-in engine: PSI and KS of the captured traffic against the training baseline. */
  private createBuiltinMonitor(props: MonitoringStackProps, key: kms.IKey, endpointName: string, features: string[]): BuiltinDriftMonitor {
    const { config, lake } = props;
    return new BuiltinDriftMonitor(this, 'DriftMonitor', {
      endpointName,
      captureBucket: lake.artifactsBucket,
      baselineBucket: lake.artifactsBucket,
      baselineKey: baselineKeyOf(props),
      encryptionKey: key,
      features,
      schedule: config.monitoring.schedule,
      window: Duration.hours(config.monitoring.windowHours),
      psiThreshold: config.data.driftPsiThreshold,
      ksThreshold: config.data.driftKsThreshold,
      alarmAction: this.alerts.alarmAction,
      network: props.network,
    });
  }

  /** Starts the training pipeline on the newest passing dataset when a drift alarm fires, unless it did within the cooldown. */
  private createRetraining(props: MonitoringStackProps, key: kms.IKey, alarms: cloudwatch.IAlarm[]): RetrainOnDrift {
    const { config, lake } = props;
    return new RetrainOnDrift(this, 'Retrain', {
      alarms,
      pipelineName: new ResourceNames(config).trainingPipeline,
      cooldown: Duration.hours(config.monitoring.retrainCooldownHours),
      encryptionKey: key,
      latestDataset: { bucket: lake.validatedBucket, validatedPrefix: validatedDataPrefix(config.data.s3Prefix).replace(/data\/$/, ''), key: lake.key },
      network: props.network,
    });
  }

  /** Every stage's endpoint (and API), the drift scores against their threshold, and the training pipeline. */
  private createDashboard(config: ResolvedConfig, drift: DriftSignals): ModelDashboard {
    const names = new ResourceNames(config);
    const stages = config.deployment.stages;
    return new ModelDashboard(this, 'Dashboard', {
      dashboardName: `aidlc-${config.modelName}`,
      endpoints: stages.map((s) => ({ endpointName: names.endpoint(s.name) })),
      driftMetrics: drift.metrics,
      driftThreshold: drift.threshold,
      trainingPipelineName: names.trainingPipeline,
      ...(config.serving.api.enabled ? {
        apis: stages.map((s) => {
          const apiName = names.inferenceApi(s.name);
          // The serving stacks name the web ACL and the alarms after the API.
          return { apiName, stageName: s.name, webAclName: apiName, alarmNames: inferenceApiAlarmNames(apiName) };
        }),
      } : {}),
    });
  }
}

/** What the drift engine gives the retraining trigger and the dashboard. */
interface DriftSignals {
  /** The alarms that fire on drift. */
  readonly alarms: cloudwatch.IAlarm[];
  /** One drift score per feature. */
  readonly metrics: cloudwatch.IMetric[];
  /** The score above which a feature has drifted. */
  readonly threshold: number;
}

/** Key of the training baseline profile in the artifacts bucket. */
function baselineKeyOf(props: MonitoringStackProps): string {
  return props.baselineProfileKey ?? MonitoringStack.baselineProfileKey(props.config.modelName);
}
