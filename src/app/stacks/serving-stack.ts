import { Aws, CfnOutput, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';
import { MonitoringStack } from './monitoring-stack';
import { ResolvedConfig, ResolvedDeployment, ResolvedStage, ResourceNames, TrafficRouting } from '../../config';
import { IDataLake } from '../../constructs/data/data-lake-ref';
import { IModelNetwork } from '../../constructs/network/model-network-ref';
import { CanaryEndpoint } from '../../constructs/serving/canary-endpoint';
import { PackageModel } from '../../constructs/serving/package-model';
import { Rollout } from '../../constructs/serving/rollout';

/**
 * Props of a serving stack.
 */
export interface ServingStackProps extends AidlcStackProps {
  /** The deployment stage this stack serves. */
  readonly stage: ResolvedStage;
  /** The data lake (from the data stack): model artifacts, the key, the bucket data capture goes to. */
  readonly lake: IDataLake;
  /**
   * ARN of the approved model package version to serve.
   * @default - the `aidlc:modelPackageArn` context value (`cdk deploy -c aidlc:modelPackageArn=...`),
   * else a `ModelPackageArn` stack parameter
   */
  readonly modelPackageArn?: string;
  /**
   * The model's network (from the network stack).
   * @default - no network: the workloads run outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * The endpoint of one deployment stage, with data capture; a canary with alarm rollback where the
 * stage says so (by default the last stage), all at once otherwise. The model comes from the
 * approved model package the delivery pipeline passes at deploy time.
 */
export class ServingStack extends AidlcStack {
  /** CDK context key through which `cdk deploy` receives the model package to serve. */
  public static readonly MODEL_PACKAGE_CONTEXT_KEY = 'aidlc:modelPackageArn';

  public readonly stage: ResolvedStage;
  /** The served model. */
  public readonly model: PackageModel;
  /** The endpoint. */
  public readonly endpoint: CanaryEndpoint;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, `serving-${props.stage.name}`, props);
    this.stage = props.stage;
    const config = props.config;
    const names = new ResourceNames(config);
    const deployment = config.deployment;

    this.model = new PackageModel(this, 'Model', {
      modelPackageArn: props.modelPackageArn ?? modelPackageArn(this),
      artifactsBucket: props.lake.artifactsBucket,
      encryptionKey: props.lake.key,
      networkIsolation: true,
      ...(props.network ? { network: props.network } : {}),
    });

    const alerts = sns.Topic.fromTopicArn(this, 'Alerts', alertTopicArn(this, config));
    this.endpoint = new CanaryEndpoint(this, 'Endpoint', {
      endpointName: names.endpoint(props.stage.name),
      model: this.model.model,
      instanceType: deployment.instanceType,
      instanceCount: props.stage.instanceCount,
      rollout: rolloutOf(props.stage, deployment),
      rollback: { errorRatePercent: deployment.rollback5xxPercent, p99LatencyMs: deployment.rollbackP99LatencyMs },
      alarmAction: new actions.SnsAction(alerts),
      encryptionKey: props.lake.key,
      dataCapture: {
        bucket: props.lake.artifactsBucket,
        samplingPercent: config.monitoring.dataCapturePercent,
        encryptionKey: props.lake.key,
      },
      ...(deployment.autoscaling ? { autoscaling: deployment.autoscaling } : {}),
    });

    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'The stage\'s SageMaker endpoint' });
    new CfnOutput(this, 'RolloutStrategy', { value: this.endpoint.rollout.type, description: 'How an update shifts traffic' });
  }
}

/** The rollout of a stage: canary stages follow the deployment's traffic routing; others go all at once. */
function rolloutOf(stage: ResolvedStage, d: ResolvedDeployment): Rollout {
  if (!stage.canary) return Rollout.allAtOnce();
  const bakeTime = Duration.minutes(d.bakeMinutes);
  switch (d.trafficRouting) {
    case TrafficRouting.LINEAR:
      return Rollout.linear({ stepPercent: d.canaryPercent, bakeTime });
    case TrafficRouting.ALL_AT_ONCE:
      return Rollout.allAtOnce({ bakeTime });
    default:
      return Rollout.canary({ canaryPercent: d.canaryPercent, bakeTime });
  }
}

/**
 * The model package from `-c aidlc:modelPackageArn=...`, which the delivery pipeline passes. An
 * offline synth (`npx projen build`) has none: the stack then takes a `ModelPackageArn`
 * parameter, which a deploy must supply (or keep from the previous deploy).
 */
function modelPackageArn(stack: Stack): string {
  const fromContext = stack.node.tryGetContext(ServingStack.MODEL_PACKAGE_CONTEXT_KEY);
  if (typeof fromContext === 'string' && fromContext.length > 0) return fromContext;
  return new CfnParameter(stack, 'ModelPackageArn', {
    type: 'String',
    description: `The approved model package version to serve; the delivery pipeline deploys with -c ${ServingStack.MODEL_PACKAGE_CONTEXT_KEY}=<arn>`,
    allowedPattern: '^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[a-zA-Z0-9-]{1,63}/[0-9]+$',
    constraintDescription: 'a model package version ARN: arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>',
  }).valueAsString;
}

/** The monitoring stack's alert topic, by its fixed name: no cross-stack reference, so either stack deploys first. */
function alertTopicArn(stack: Stack, config: ResolvedConfig): string {
  return `arn:${Aws.PARTITION}:sns:${stack.region}:${stack.account}:${MonitoringStack.alertTopicName(config.modelName)}`;
}
