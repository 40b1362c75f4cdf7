import { Aws, CfnOutput, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';
import { MonitoringStack } from './monitoring-stack';
import { ApiAuthorization, ApiEndpointType, QuotaPeriod, ResolvedConfig, ResolvedDeployment, ResolvedStage, TrafficRouting } from '../../config';
import { IDataLake } from '../../constructs/data/data-lake-ref';
import { IModelNetwork } from '../../constructs/network/model-network-ref';
import { ApiGatewayLogRole } from '../../constructs/serving/api-gateway-log-role';
import { CanaryEndpoint } from '../../constructs/serving/canary-endpoint';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { INFERENCE_API_OUTPUTS } from '../../constructs/serving/inference-api-names';
import { InferenceUserPool } from '../../constructs/serving/inference-user-pool';
import { PackageModel } from '../../constructs/serving/package-model';
import { Rollout } from '../../constructs/serving/rollout';
import { ResourceNames } from '../../core/names/resource-names';
import { requestSchemaOf } from '../../core/request-schema';

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
  /**
   * Make the stage's inference API private: reachable only through these `execute-api` interface
   * VPC endpoints (the network stack's, when the network creates its endpoints).
   * @default - the landing zone's endpoints of `serving.api.vpcEndpointIds` when the config names
   * them; otherwise a regional API (a config whose API is PRIVATE must then pass the endpoints)
   */
  readonly apiVpcEndpoints?: ec2.IVpcEndpoint[];
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
  /** The inference API in front of the endpoint, when `serving.api` is on. */
  public readonly api?: InferenceApi;
  /** The user pool of the API, with `ApiAuthorization.COGNITO`. */
  public readonly userPool?: InferenceUserPool;
  /** The account's API Gateway logging role, set by the first stage's stack (`serving.api.manageAccountLogRole`). */
  public readonly apiLogRole?: ApiGatewayLogRole;

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
    const alarmAction = new actions.SnsAction(alerts);
    const endpointName = names.endpoint(props.stage.name);
    if (config.serving.api.enabled) {
      const front = frontDoor(this, config, endpointName, alarmAction, props.apiVpcEndpoints ?? apiVpcEndpointsOf(this, config));
      this.api = front.api;
      this.userPool = front.userPool;
      this.apiLogRole = front.logRole;
    }
    // The API's 5XX rate counts the model's failures on valid requests (SageMaker calls them 4XX),
    // which the endpoint's own alarms miss: it rolls an update back too.
    const apiRollbackAlarms: cloudwatch.IAlarm[] = this.api ? [this.api.alarms.serverErrorRate] : [];
    this.endpoint = new CanaryEndpoint(this, 'Endpoint', {
      endpointName,
      model: this.model.model,
      instanceType: deployment.instanceType,
      instanceCount: props.stage.instanceCount,
      rollout: rolloutOf(props.stage, deployment),
      rollback: { errorRatePercent: deployment.rollback5xxPercent, p99LatencyMs: deployment.rollbackP99LatencyMs, alarms: apiRollbackAlarms },
      alarmAction,
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

/**
 * The stage's inference API, its user pool (COGNITO), the account's logging role (first stage
 * only), and the outputs the CLI and the smoke test read.
 */
function frontDoor(
  stack: ServingStack, config: ResolvedConfig, endpointName: string, alarmAction: cloudwatch.IAlarmAction, vpcEndpoints?: ec2.IVpcEndpoint[],
) {
  const names = new ResourceNames(config);
  const api = config.serving.api;
  const stage = stack.stage.name;
  const apiName = names.inferenceApi(stage);
  const userPool = api.authorization === ApiAuthorization.COGNITO
    ? new InferenceUserPool(stack, 'ApiUsers', { name: apiName, domainPrefix: `${config.modelName}-${stage}-${stack.account}` })
    : undefined;
  const inference = new InferenceApi(stack, 'Api', {
    restApiName: apiName,
    stageName: stage,
    endpointName,
    requestSchema: requestSchemaOf(config) as apigw.JsonSchema,
    stageThrottle: { rateLimit: api.stageRateLimit, burstLimit: api.stageBurstLimit },
    keyThrottle: { rateLimit: api.rateLimit, burstLimit: api.burstLimit },
    quota: { limit: api.quotaLimit, period: QUOTA_PERIODS[api.quotaPeriod] },
    apiKeyNames: api.consumers,
    ...(userPool ? { cognito: { userPool: userPool.userPool, scopes: [userPool.scopeName] } } : {}),
    ...(vpcEndpoints && vpcEndpoints.length > 0 ? { vpcEndpoints } : {}),
    wafRateLimit: api.wafRateLimit,
    alarms: {
      serverErrorRatePercent: config.deployment.rollback5xxPercent,
      clientErrorRatePercent: api.clientErrorAlarmPercent,
      p99LatencyMs: api.latencyAlarmMs,
    },
    alarmAction,
  });
  let logRole: ApiGatewayLogRole | undefined;
  if (api.manageAccountLogRole && config.deployment.stages[0].name === stage) {
    logRole = new ApiGatewayLogRole(stack, 'ApiGatewayLogRole');
    inference.stage.node.addDependency(logRole.account);
  }

  const keys = Object.entries(inference.apiKeys).map(([caller, key]) => `${caller}=${key.keyId}`);
  new CfnOutput(stack, INFERENCE_API_OUTPUTS.url, { value: inference.invocationsUrl, description: `POST rows here: npx aidlc invoke --stage ${stage} --file rows.csv` });
  new CfnOutput(stack, INFERENCE_API_OUTPUTS.apiKeyIds, { value: Fn.join(',', keys), description: 'API keys by caller; read one with aws apigateway get-api-key --include-value --api-key <id>' });
  new CfnOutput(stack, INFERENCE_API_OUTPUTS.authorization, { value: api.authorization, description: 'How callers authenticate' });
  if (userPool) {
    new CfnOutput(stack, INFERENCE_API_OUTPUTS.tokenUrl, { value: userPool.tokenUrl, description: 'OAuth 2.0 token endpoint (client credentials grant)' });
    new CfnOutput(stack, INFERENCE_API_OUTPUTS.userPoolId, { value: userPool.userPool.userPoolId, description: 'The API\'s user pool' });
    new CfnOutput(stack, INFERENCE_API_OUTPUTS.smokeTestClientId, { value: userPool.smokeTestClient.userPoolClientId, description: 'The smoke test\'s app client' });
    new CfnOutput(stack, INFERENCE_API_OUTPUTS.scope, { value: userPool.scopeName, description: 'The scope an access token needs' });
  }
  return { api: inference, userPool, logRole };
}

/**
 * The `execute-api` endpoints of a private API that the stack is not given: the landing zone's, by
 * the ids the config names (no lookup). A private API with neither would fall back to a regional
 * one, which is refused.
 */
function apiVpcEndpointsOf(stack: Stack, config: ResolvedConfig): ec2.IVpcEndpoint[] {
  const api = config.serving.api;
  if (api.endpointType !== ApiEndpointType.PRIVATE) return [];
  if (!api.vpcEndpointIds?.length) {
    throw new Error(`${stack.node.id}: the config's inference API is PRIVATE but names no execute-api endpoint ids; pass the network's endpoint as apiVpcEndpoints`);
  }
  return api.vpcEndpointIds.map((vpcEndpointId, i) =>
    ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, `ApiVpcEndpoint${i + 1}`, { vpcEndpointId, port: 443 }));
}

const QUOTA_PERIODS: Record<QuotaPeriod, apigw.Period> = {
  [QuotaPeriod.DAY]: apigw.Period.DAY,
  [QuotaPeriod.WEEK]: apigw.Period.WEEK,
  [QuotaPeriod.MONTH]: apigw.Period.MONTH,
};

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
