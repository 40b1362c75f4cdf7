import * as sagemaker from '@aws-cdk/aws-sagemaker-alpha';
import { Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnEndpoint, CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './acknowledgements';
import { captureKeyPrefix, normalizedPrefix, renderDataCapture } from './data-capture';
import { DataCaptureOptions } from './data-capture-options';
import { EndpointMetrics } from './endpoint-metrics';
import { hasInstanceStorage } from './instance-storage';
import { RollbackAlarms, RollbackOptions } from './rollback-alarms';
import { Rollout } from './rollout';
import { InvalidValuesError } from '../../core/problem';

/**
 * Autoscaling of the endpoint on invocations per instance.
 */
export interface EndpointAutoscalingOptions {
  /** Fewest instances. */
  readonly minCapacity: number;
  /** Most instances. */
  readonly maxCapacity: number;
  /**
   * Invocations per instance per minute that autoscaling keeps the fleet at.
   * @default 1000
   */
  readonly targetInvocationsPerInstance?: number;
}

/**
 * Props of a canary endpoint.
 */
export interface CanaryEndpointProps {
  /**
   * The endpoint's fixed name. Fixed, so the rollback alarms can name the endpoint without
   * referencing it (which would be a dependency cycle).
   */
  readonly endpointName: string;
  /** The model to serve; its execution role gets the permissions the endpoint needs. */
  readonly model: sagemaker.IModel;
  /** SageMaker instance type, e.g. `ml.m5.large`. */
  readonly instanceType: string;
  /**
   * Instances behind the endpoint. A canary or linear rollout needs at least 2.
   * @default 2
   */
  readonly instanceCount?: number;
  /**
   * The production variant's name. It must stay the same from one update to the next.
   * @default "primary"
   */
  readonly variantName?: string;
  /**
   * How an update shifts traffic.
   * @default Rollout.allAtOnce()
   */
  readonly rollout?: Rollout;
  /**
   * Thresholds of the alarms that roll an update back.
   * @default - 1% 5XX rate, 1000 ms p99 model latency
   */
  readonly rollback?: RollbackOptions;
  /**
   * Notified when a rollback alarm fires.
   * @default - no notification
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * Key for the instances' storage volumes and, by default, for captured data. Not applied to
   * the volumes of instance types with local NVMe storage (SageMaker rejects it there).
   * @default - AWS managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Whether the instance type has local NVMe instance storage, which SageMaker encrypts itself
   * and which rejects a volume key.
   * @default - derived from the instance family (m5d, g4dn, g5, p4d, trn1, ... have it)
   */
  readonly instanceStorage?: boolean;
  /**
   * Capture requests and responses to S3.
   * @default - no data capture
   */
  readonly dataCapture?: DataCaptureOptions;
  /**
   * Scale the variant on invocations per instance.
   * @default - a fixed instance count
   */
  readonly autoscaling?: EndpointAutoscalingOptions;
}

const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * A SageMaker endpoint that rolls out new models blue/green, as a canary (or in linear steps)
 * where asked, and rolls back when its alarms fire: built on the alpha `Model`,
 * `EndpointConfig` and `Endpoint`, extended through their L1 children with the deployment
 * config, data capture and the volume key.
 */
export class CanaryEndpoint extends Construct {
  /** The endpoint. */
  public readonly endpoint: sagemaker.Endpoint;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.EndpointConfig;
  /** The endpoint's fixed name. */
  public readonly endpointName: string;
  /** The endpoint's ARN, built from its fixed name. */
  public readonly endpointArn: string;
  /** The production variant's name. */
  public readonly variantName: string;
  /** The rollout of updates. */
  public readonly rollout: Rollout;
  /** The alarms SageMaker watches during an update. */
  public readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** Metrics of the variant. */
  public readonly metrics: EndpointMetrics;
  /** The permissions the model's execution role gets for this endpoint. */
  public readonly executionPolicy: iam.ManagedPolicy;
  /** Whether the volume key is applied (false for instance types with local storage). */
  public readonly volumeEncrypted: boolean;
  /**
   * `s3://` URI of this variant's captured data, if capture is on.
   */
  public readonly captureS3Uri?: string;

  constructor(scope: Construct, id: string, props: CanaryEndpointProps) {
    super(scope, id);
    if (!ENDPOINT_NAME.test(props.endpointName)) {
      throw new InvalidValuesError('CanaryEndpoint', [{
        path: 'endpointName', value: props.endpointName, message: 'is not a SageMaker endpoint name', fix: 'use up to 63 letters, digits and dashes, starting and ending with a letter or digit',
      }]);
    }
    const role = props.model.role;
    if (!role) {
      throw new InvalidValuesError('CanaryEndpoint', [{
        path: 'model.role', message: 'is missing: the endpoint grants the model\'s role data capture and cloudwatch:DescribeAlarms', fix: 'give the model an execution role (PackageModel has one)',
      }]);
    }
    this.endpointName = props.endpointName;
    this.variantName = props.variantName ?? 'primary';
    this.rollout = props.rollout ?? Rollout.allAtOnce();
    const instanceCount = props.instanceCount ?? 2;
    if (!Number.isInteger(instanceCount) || instanceCount < 1) {
      throw new InvalidValuesError('CanaryEndpoint', [{ path: 'instanceCount', value: instanceCount, message: 'is not a positive whole number', fix: 'give 1 or more instances' }]);
    }
    if (this.rollout.isGradual && instanceCount < 2) {
      throw new InvalidValuesError('CanaryEndpoint', [{
        path: 'instanceCount', value: instanceCount, message: `is too few for a ${this.rollout.type} rollout, which shifts part of the fleet`, fix: 'give at least 2 instances, or roll out all at once',
      }]);
    }
    const stack = Stack.of(this);
    this.endpointArn = stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: this.endpointName.toLowerCase() });
    this.metrics = new EndpointMetrics(this.endpointName, this.variantName);

    const instanceStorage = props.instanceStorage ?? hasInstanceStorage(props.instanceType);
    this.volumeEncrypted = !!props.encryptionKey && !instanceStorage;
    this.endpointConfig = new sagemaker.EndpointConfig(this, 'Config', {
      encryptionKey: this.volumeEncrypted ? props.encryptionKey : undefined,
      instanceProductionVariants: [{
        model: props.model,
        variantName: this.variantName,
        instanceType: sagemaker.InstanceType.of(props.instanceType),
        initialInstanceCount: instanceCount,
      }],
    });

    const alarms = new RollbackAlarms(this, 'Rollback', { ...props.rollback, metrics: this.metrics, alarmAction: props.alarmAction });
    this.rollbackAlarms = alarms.alarms;

    const statements = [new iam.PolicyStatement({
      sid: 'SageMakerWatchesRollbackAlarms',
      actions: ['cloudwatch:DescribeAlarms'],
      resources: this.rollbackAlarms.map((a) => a.alarmArn),
    })];
    if (props.dataCapture) {
      const key = props.dataCapture.encryptionKey ?? props.encryptionKey;
      const prefix = normalizedPrefix(props.dataCapture);
      const cfnConfig = this.endpointConfig.node.findChild('EndpointConfig') as CfnEndpointConfig;
      cfnConfig.dataCaptureConfig = renderDataCapture(props.dataCapture, key);
      const variantPrefix = captureKeyPrefix(prefix, this.endpointName, this.variantName);
      this.captureS3Uri = props.dataCapture.bucket.s3UrlForObject(variantPrefix);
      statements.push(new iam.PolicyStatement({
        sid: 'WriteCapturedData',
        actions: ['s3:PutObject'],
        resources: [props.dataCapture.bucket.arnForObjects(`${prefix}/${this.endpointName}/*`)],
      }));
      if (key) statements.push(new iam.PolicyStatement({ sid: 'EncryptCapturedData', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
    }
    this.executionPolicy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: `What SageMaker needs to run and update endpoint ${this.endpointName}`,
      statements,
    });
    this.executionPolicy.attachToRole(role);

    this.endpoint = new sagemaker.Endpoint(this, 'Endpoint', { endpointName: this.endpointName, endpointConfig: this.endpointConfig });
    const cfnEndpoint = this.endpoint.node.findChild('Endpoint') as CfnEndpoint;
    cfnEndpoint.deploymentConfig = {
      blueGreenUpdatePolicy: this.rollout._renderUpdatePolicy(),
      autoRollbackConfiguration: { alarms: this.rollbackAlarms.map((a) => ({ alarmName: a.alarmName })) },
    };
    cfnEndpoint.node.addDependency(this.executionPolicy);

    if (props.autoscaling) this.addAutoscaling(props.autoscaling, instanceCount, cfnEndpoint);
    this.acknowledgeFindings(instanceStorage && !!props.encryptionKey);
  }

  /** Permits a principal to invoke the endpoint. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  /** Requests sent to the endpoint. @default - sum over 1 minute */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricInvocations(props);
  }

  /** Requests answered with a 5XX status. @default - sum over 1 minute */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricInvocation5XXErrors(props);
  }

  /** Share of requests answered with a 5XX status, in percent. @default - over 1 minute */
  public metricErrorRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.metrics.metricErrorRate(props);
  }

  /** p50 model latency, in microseconds. @default - over 1 minute */
  public metricModelLatencyP50(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricModelLatencyP50(props);
  }

  /** p99 model latency, in microseconds. @default - over 1 minute */
  public metricModelLatencyP99(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricModelLatencyP99(props);
  }

  /** Invocations per instance, the metric autoscaling tracks. @default - sum over 1 minute */
  public metricInvocationsPerInstance(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricInvocationsPerInstance(props);
  }

  private addAutoscaling(options: EndpointAutoscalingOptions, instanceCount: number, endpoint: CfnEndpoint): void {
    const { minCapacity, maxCapacity } = options;
    if (!(Number.isInteger(minCapacity) && Number.isInteger(maxCapacity) && minCapacity >= 1 && minCapacity <= maxCapacity)) {
      throw new InvalidValuesError('CanaryEndpoint', [{
        path: 'autoscaling', value: { minCapacity, maxCapacity }, message: 'is not a range of whole numbers 1 <= minCapacity <= maxCapacity', fix: 'give whole numbers with minCapacity at least 1 and at most maxCapacity',
      }]);
    }
    if (instanceCount < minCapacity || instanceCount > maxCapacity) {
      throw new InvalidValuesError('CanaryEndpoint', [{
        path: 'instanceCount', value: instanceCount, message: `is outside the autoscaling range ${minCapacity}..${maxCapacity}`, fix: `give ${minCapacity} to ${maxCapacity} instances, or widen the range`,
      }]);
    }
    if (this.rollout.isGradual && minCapacity < 2) {
      throw new InvalidValuesError('CanaryEndpoint', [{
        path: 'autoscaling.minCapacity', value: minCapacity, message: `lets autoscaling scale in below the 2 instances a ${this.rollout.type} rollout needs`, fix: 'set minCapacity to at least 2',
      }]);
    }
    const target = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${this.endpointName}/variant/${this.variantName}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity,
      maxCapacity,
    });
    target.node.addDependency(endpoint);
    target.scaleToTrackMetric('InvocationsPerInstance', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue: options.targetInvocationsPerInstance ?? 1000,
    });
  }

  private acknowledgeFindings(keyRejected: boolean): void {
    if (keyRejected) {
      const reason = 'the instance type has local NVMe storage, which the instance encrypts in hardware; SageMaker rejects a KmsKeyId for it';
      Validations.of(this.endpointConfig).acknowledge(
        { id: 'AwsSolutions-SM2', reason },
        { id: 'HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured', reason },
        { id: 'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured', reason },
        { id: 'PCI.DSS.321-SageMakerEndpointConfigurationKMSKeyConfigured', reason },
      );
    }
    acknowledgeWildcards(this.executionPolicy, [
      { match: new RegExp(`^Resource::.*/${this.endpointName}/\\*$`), reason: `captured requests and responses: SageMaker adds variant, date and hour to the key under the endpoint's capture prefix (${this.endpointName})` },
    ]);
  }
}
