import { createHash } from 'crypto';
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnDataQualityJobDefinition, CfnMonitoringSchedule } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { AnalyzerImage } from './analyzer-image';
import { ModelMonitorMetrics } from './drift-metrics';
import { featureAlarms } from './feature-alarms';
import { InvalidValuesError } from '../../core/problem';
import { IModelNetwork } from '../network/model-network-ref';
import { NETWORK_INTERFACE_WILDCARD, NETWORK_INTERFACE_WILDCARD_REASON, VPC_DESCRIBE_REASON, sageMakerVpcConfig, vpcAccessStatements } from '../network/vpc-access';
import { acknowledgeWildcards } from '../serving/acknowledgements';

/**
 * Props of a Model Monitor data-quality schedule.
 */
export interface ModelMonitorProps {
  /** The monitored endpoint (it must capture its input). */
  readonly endpointName: string;
  /**
   * A cron form SageMaker monitoring schedules accept: `cron(0 * ? * * *)`,
   * `cron(0 H ? * * *)` or `cron(0 H/N ? * * *)`.
   */
  readonly scheduleExpression: string;
  /** The bucket the endpoint captures its traffic to. */
  readonly captureBucket: s3.IBucket;
  /**
   * The capture prefix of the endpoint configuration.
   * @default "data-capture"
   */
  readonly capturePrefix?: string;
  /** The bucket holding the baseline `statistics.json` and `constraints.json`, and the reports. */
  readonly baselineBucket: s3.IBucket;
  /**
   * Key prefix of `statistics.json` and `constraints.json`.
   * @default "baselines/model-monitor/<endpoint>"
   */
  readonly baselinePrefix?: string;
  /**
   * Key prefix of the monitoring reports.
   * @default "model-monitor/<endpoint>/reports"
   */
  readonly reportPrefix?: string;
  /** Encrypts the reports and the processing volume; the monitoring role may use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * Keys the captured data and the baselines are encrypted with.
   * @default - the buckets' keys
   */
  readonly dataKeys?: kms.IKey[];
  /** The features to alarm on. */
  readonly features: string[];
  /**
   * Baseline drift (the distance Model Monitor reports) above which a feature's alarm fires.
   * @default 0.1
   */
  readonly driftThreshold?: number;
  /**
   * Instance type of the monitoring job.
   * @default "ml.m5.xlarge"
   */
  readonly instanceType?: string;
  /**
   * Processing volume size in GB.
   * @default 20
   */
  readonly volumeSizeGb?: number;
  /**
   * Longest a monitoring run may take; below an hour, as runs are hourly at most.
   * @default Duration.minutes(30)
   */
  readonly maxRuntime?: Duration;
  /**
   * The analyzer image.
   * @default - the `sagemaker-model-monitor-analyzer` image of the stack's region
   */
  readonly imageUri?: string;
  /**
   * Notified when a feature drifts.
   * @default - no notification
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * The network the monitoring jobs run in (VpcConfig, alongside network isolation).
   * @default - network isolation alone
   */
  readonly network?: IModelNetwork;
}

const MONITOR_CRON = /^cron\(0 (\*|\d{1,2}|\d{1,2}\/\d{1,2}) \? \* \* \*\)$/;

/**
 * The `MODEL_MONITOR` engine: a SageMaker data-quality job definition and monitoring schedule for
 * an endpoint, comparing its captured input with the baseline `statistics.json` and
 * `constraints.json`, and one alarm per feature on `feature_baseline_drift_<feature>`.
 *
 * Job definitions cannot change in place and need a unique name, so the name carries a hash of
 * the definition: a changed definition is a new one, and the schedule moves to it.
 */
export class ModelMonitor extends Construct {
  /** The data-quality job definition. */
  public readonly jobDefinition: CfnDataQualityJobDefinition;
  /** The monitoring schedule. */
  public readonly monitoringSchedule: CfnMonitoringSchedule;
  /** The monitoring schedule's name. */
  public readonly scheduleName: string;
  /** The role the monitoring jobs run as. */
  public readonly role: iam.Role;
  /** The metrics Model Monitor publishes for the schedule. */
  public readonly metrics: ModelMonitorMetrics;
  /** One alarm per feature. */
  public readonly alarms: cloudwatch.Alarm[];
  /** Key prefix of the baseline files. */
  public readonly baselinePrefix: string;
  /** The jobs' security group, when they run in a network. */
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ModelMonitorProps) {
    super(scope, id);
    if (!MONITOR_CRON.test(props.scheduleExpression)) {
      throw new InvalidValuesError('ModelMonitor', [{
        path: 'scheduleExpression',
        value: props.scheduleExpression,
        message: 'is not a cron SageMaker monitoring schedules accept',
        fix: 'use cron(0 * ? * * *) (hourly), cron(0 H ? * * *) (daily at hour H) or cron(0 H/N ? * * *) (every N hours)',
      }]);
    }
    const maxRuntime = (props.maxRuntime ?? Duration.minutes(30)).toSeconds();
    if (maxRuntime < 1 || maxRuntime > 3600) {
      throw new InvalidValuesError('ModelMonitor', [{ path: 'maxRuntime', value: `${maxRuntime} s`, message: 'is not from 1 s to at most an hour, SageMaker\'s limit for a monitoring job', fix: 'give at most Duration.hours(1)' }]);
    }
    if (props.features.length === 0) {
      throw new InvalidValuesError('ModelMonitor', [{ path: 'features', value: props.features, message: 'is empty: the alarms are per feature', fix: 'name the features to monitor' }]);
    }
    const stack = Stack.of(this);
    const endpoint = props.endpointName;
    const imageUri = props.imageUri ?? AnalyzerImage.uriFor(stack.region);
    this.baselinePrefix = trim('baselinePrefix', props.baselinePrefix ?? `baselines/model-monitor/${endpoint}`);
    const reportPrefix = trim('reportPrefix', props.reportPrefix ?? `model-monitor/${endpoint}/reports`);
    const capturePrefix = `${trim('capturePrefix', props.capturePrefix ?? 'data-capture')}/${endpoint}/`;
    this.scheduleName = `${endpoint}-data-quality`;
    this.metrics = new ModelMonitorMetrics(endpoint, this.scheduleName);
    const dataKeys = props.dataKeys ?? [props.captureBucket.encryptionKey, props.baselineBucket.encryptionKey].filter((k): k is kms.IKey => !!k);

    if (props.network) this.securityGroup = props.network.securityGroupFor(this, 'SecurityGroup', `Data-quality monitoring jobs of ${endpoint}`);
    const policy = this.policy(props, capturePrefix, reportPrefix, imageUri, dataKeys);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Runs the data-quality monitoring jobs of ${endpoint}`,
      managedPolicies: [policy],
    });

    this.jobDefinition = this.createJobDefinition(props, imageUri, reportPrefix, maxRuntime);
    this.jobDefinition.node.addDependency(policy);
    this.monitoringSchedule = this.createSchedule(props);
    this.alarms = this.createDriftAlarms(props);
  }

  /**
   * The data-quality job: the analyzer image on the captured traffic against the baseline,
   * reports and volumes encrypted, network isolation (and the subnets, in a network).
   */
  private createJobDefinition(props: ModelMonitorProps, imageUri: string, reportPrefix: string, maxRuntime: number): CfnDataQualityJobDefinition {
    const definition: DefinitionProps = {
      roleArn: this.role.roleArn,
      dataQualityAppSpecification: { imageUri, environment: { publish_cloudwatch_metrics: 'Enabled' } },
      dataQualityBaselineConfig: {
        statisticsResource: { s3Uri: props.baselineBucket.s3UrlForObject(`${this.baselinePrefix}/statistics.json`) },
        constraintsResource: { s3Uri: props.baselineBucket.s3UrlForObject(`${this.baselinePrefix}/constraints.json`) },
      },
      dataQualityJobInput: {
        endpointInput: {
          endpointName: props.endpointName,
          localPath: '/opt/ml/processing/input/endpoint',
          s3InputMode: 'File',
          s3DataDistributionType: 'FullyReplicated',
        },
      },
      dataQualityJobOutputConfig: {
        kmsKeyId: props.encryptionKey.keyArn,
        monitoringOutputs: [{
          s3Output: { localPath: '/opt/ml/processing/output', s3Uri: props.baselineBucket.s3UrlForObject(reportPrefix), s3UploadMode: 'EndOfJob' },
        }],
      },
      jobResources: {
        clusterConfig: {
          instanceCount: 1,
          instanceType: props.instanceType ?? 'ml.m5.xlarge',
          volumeSizeInGb: props.volumeSizeGb ?? 20,
          volumeKmsKeyId: props.encryptionKey.keyArn,
        },
      },
      networkConfig: {
        enableInterContainerTrafficEncryption: true,
        enableNetworkIsolation: true,
        ...(props.network && this.securityGroup ? { vpcConfig: sageMakerVpcConfig(props.network, this.securityGroup) } : {}),
      },
      stoppingCondition: { maxRuntimeInSeconds: maxRuntime },
    };
    return createDefinition(this, props.endpointName, definition);
  }

  /** The schedule that runs the job on the endpoint, after the job definition exists. */
  private createSchedule(props: ModelMonitorProps): CfnMonitoringSchedule {
    const schedule = new CfnMonitoringSchedule(this, 'Schedule', {
      monitoringScheduleName: this.scheduleName,
      endpointName: props.endpointName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: this.jobDefinition.jobDefinitionName!,
        monitoringType: 'DataQuality',
        scheduleConfig: { scheduleExpression: props.scheduleExpression },
      },
    });
    schedule.node.addDependency(this.jobDefinition);
    return schedule;
  }

  /** One alarm per feature on its distance from the baseline distribution. */
  private createDriftAlarms(props: ModelMonitorProps): cloudwatch.Alarm[] {
    const endpoint = props.endpointName;
    const threshold = props.driftThreshold ?? 0.1;
    return featureAlarms(this, endpoint, props.features.map((feature) => ({
      feature,
      metric: this.metrics.metricBaselineDrift(feature),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `Model Monitor: captured ${feature} of ${endpoint} is more than ${threshold} from the baseline distribution`,
    })), props.alarmAction);
  }

  private policy(props: ModelMonitorProps, capturePrefix: string, reportPrefix: string, imageUri: string, dataKeys: kms.IKey[]): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Data-quality monitoring of ${props.endpointName}: read captured data and baselines, write reports and metrics`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadCapturedDataAndBaselines',
          actions: ['s3:GetObject'],
          resources: [props.captureBucket.arnForObjects(`${capturePrefix}*`), props.baselineBucket.arnForObjects(`${this.baselinePrefix}/*`)],
        }),
        new iam.PolicyStatement({
          sid: 'ListCapturedDataAndBaselines',
          actions: ['s3:ListBucket'],
          resources: [props.captureBucket.bucketArn, props.baselineBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${capturePrefix}*`, `${this.baselinePrefix}/*`, `${reportPrefix}/*`] } },
        }),
        new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject'], resources: [props.baselineBucket.arnForObjects(`${reportPrefix}/*`)] }),
        new iam.PolicyStatement({
          sid: 'UseKeys',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant'],
          resources: [...new Set([props.encryptionKey.keyArn, ...dataKeys.map((k) => k.keyArn)])],
        }),
        new iam.PolicyStatement({
          sid: 'PublishDriftMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': ModelMonitorMetrics.NAMESPACE } },
        }),
        new iam.PolicyStatement({
          sid: 'JobLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [`arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/ProcessingJobs:*`],
        }),
        new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PullAnalyzer',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [`arn:${stack.partition}:ecr:${stack.region}:${AnalyzerImage.accountOf(imageUri)}:repository/${imageUri.split('/').slice(1).join('/').split(':')[0]}`],
        }),
        ...(props.network && this.securityGroup ? vpcAccessStatements(this, props.network, [this.securityGroup]) : []),
      ],
    });
    acknowledgeWildcards(policy, [
      { match: new RegExp(`/${escape(capturePrefix)}\\*$`), reason: 'captured files of the endpoint: SageMaker adds variant, date, hour and file name' },
      { match: new RegExp(`/${escape(this.baselinePrefix)}/\\*$`), reason: 'the baseline statistics and constraints of this endpoint' },
      { match: new RegExp(`/${escape(reportPrefix)}/\\*$`), reason: 'Model Monitor names each report after the execution time' },
      { match: /^Resource::\*$/, reason: `cloudwatch:PutMetricData and ecr:GetAuthorizationToken have no resource-level permissions; PutMetricData is limited to the data-metrics namespace${props.network ? `; ${VPC_DESCRIBE_REASON}` : ''}` },
      { match: /:log-group:\/aws\/sagemaker\/ProcessingJobs:\*$/, reason: 'SageMaker names the log streams after each monitoring job' },
      { match: NETWORK_INTERFACE_WILDCARD, reason: NETWORK_INTERFACE_WILDCARD_REASON },
    ]);
    return policy;
  }
}

type DefinitionProps = ConstructorParameters<typeof CfnDataQualityJobDefinition>[2];

/** A job definition named `<endpoint>-dq-<hash of the definition>`. */
function createDefinition(scope: Construct, endpoint: string, props: DefinitionProps): CfnDataQualityJobDefinition {
  const stack = Stack.of(scope);
  const name = Lazy.string({
    produce: () => {
      const digest = createHash('sha256').update(JSON.stringify(stack.resolve(props))).digest('hex').slice(0, 8);
      return `${endpoint}-dq-${digest}`;
    },
  });
  return new CfnDataQualityJobDefinition(scope, 'JobDefinition', { ...props, jobDefinitionName: name });
}

function trim(name: string, prefix: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  if (!p) throw new InvalidValuesError('ModelMonitor', [{ path: name, value: prefix, message: 'is an empty S3 prefix', fix: 'give a key prefix, or leave it unset for the default' }]);
  return p;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
