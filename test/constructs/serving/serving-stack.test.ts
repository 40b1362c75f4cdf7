import { Template } from 'aws-cdk-lib/assertions';
import { InterfaceVpcEndpoint } from 'aws-cdk-lib/aws-ec2';
import { ENV, testApp, testConfig } from './helpers';
import { lakeStack } from './lake-stand-in';
import { ServingStack } from '../../../src/app/stacks/serving-stack';
import { ApiAuthorization, ApiEndpointType, NetworkMode, QuotaPeriod, TrafficRouting } from '../../../src/config';
import { requestSchemaOf } from '../../../src/core/request-schema';

const PACKAGE = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/12';

function stacks(overrides = {}, context: Record<string, unknown> = { 'aidlc:modelPackageArn': PACKAGE }) {
  const app = testApp(context);
  const config = testConfig(overrides);
  const { lake } = lakeStack(app);
  const serving = config.deployment.stages.map((stage) => new ServingStack(app, `churn-serving-${stage.name}`, { config, env: ENV, stage, lake }));
  const assembly = app.synth();
  const template = (name: string) => Template.fromJSON(assembly.getStackByName(`churn-serving-${name}`).template);
  return { serving, template };
}

function policy(t: Template): any {
  return Object.values(t.findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig.BlueGreenUpdatePolicy;
}

describe('ServingStack', () => {
  const defaults = stacks();

  test('one endpoint per stage, named <model>-<stage>', () => {
    defaults.template('staging').hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'churn-staging' });
    defaults.template('prod').hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'churn-prod' });
  });

  test('staging deploys all at once; the last stage is the canary with the configured size and bake', () => {
    expect(policy(defaults.template('staging'))).toEqual({
      TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
      TerminationWaitInSeconds: 0,
      MaximumExecutionTimeoutInSeconds: 1800,
    });
    expect(policy(defaults.template('prod'))).toEqual({
      TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
      TerminationWaitInSeconds: 600,
      MaximumExecutionTimeoutInSeconds: 3600,
    });
  });

  test('a linear rollout, and all at once with a bake, from the config', () => {
    const linear = stacks({ deployment: { trafficRouting: TrafficRouting.LINEAR, canaryPercent: 25, bakeMinutes: 5, instanceCount: 4 } });
    expect(policy(linear.template('prod')).TrafficRoutingConfiguration).toEqual({ Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 300 });
    const once = stacks({ deployment: { trafficRouting: TrafficRouting.ALL_AT_ONCE, bakeMinutes: 15 } });
    expect(policy(once.template('prod')).TrafficRoutingConfiguration).toEqual({ Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 900 });
  });

  test('rollback thresholds, capture percentage, instances and autoscaling come from the config', () => {
    const s = stacks({
      deployment: { rollback5xxPercent: 0.5, rollbackP99LatencyMs: 300, instanceType: 'ml.c5.xlarge', instanceCount: 3, autoscaling: { minCapacity: 2, maxCapacity: 8, targetInvocationsPerInstance: 400 } },
      monitoring: { dataCapturePercent: 35 },
    });
    const t = s.template('prod');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-prod-rollback-5xx-rate', Threshold: 0.5 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-prod-rollback-p99-latency', Threshold: 300_000 });
    const config = Object.values(t.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties;
    expect(config.DataCaptureConfig.InitialSamplingPercentage).toBe(35);
    expect(config.ProductionVariants[0]).toEqual(expect.objectContaining({ InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 3 }));
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ResourceId: 'endpoint/churn-prod/variant/primary', MinCapacity: 2, MaxCapacity: 8 });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', { TargetTrackingScalingPolicyConfiguration: { TargetValue: 400, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' } } });
  });

  test('the model is the package the delivery pipeline passes with -c aidlc:modelPackageArn', () => {
    const model = Object.values(defaults.template('prod').findResources('AWS::SageMaker::Model'))[0].Properties;
    expect(model.PrimaryContainer).toEqual({ ModelPackageName: PACKAGE });
    expect(defaults.template('prod').toJSON().Parameters?.ModelPackageArn).toBeUndefined();
    expect(ServingStack.MODEL_PACKAGE_CONTEXT_KEY).toBe('aidlc:modelPackageArn');
  });

  test('without it (offline synth), a ModelPackageArn parameter with the ARN pattern stands in', () => {
    const t = stacks({}, {}).template('prod');
    const parameter = t.toJSON().Parameters.ModelPackageArn;
    expect(parameter.Type).toBe('String');
    expect(new RegExp(parameter.AllowedPattern).test(PACKAGE)).toBe(true);
    expect(new RegExp(parameter.AllowedPattern).test('arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn')).toBe(false);
    const model = Object.values(t.findResources('AWS::SageMaker::Model'))[0].Properties;
    expect(model.PrimaryContainer).toEqual({ ModelPackageName: { Ref: 'ModelPackageArn' } });
  });

  test('rollback alarms notify the monitoring stack\'s alert topic by its fixed name: no cross-stack reference', () => {
    const t = defaults.template('prod');
    const alarm = Object.values(t.findResources('AWS::CloudWatch::Alarm'))[0].Properties;
    expect(alarm.AlarmActions).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:us-east-1:111111111111:churn-alerts']] }]);
    expect(JSON.stringify(t.toJSON())).not.toMatch(/churn-monitoring/);
  });

  test('the stack takes the lake\'s key and artifacts bucket: capture goes under data-capture/', () => {
    const config = Object.values(defaults.template('staging').findResources('AWS::SageMaker::EndpointConfig'))[0].Properties;
    expect(JSON.stringify(config.DataCaptureConfig.DestinationS3Uri)).toMatch(/LakeArtifacts.*\/data-capture"/);
    expect(JSON.stringify(config.KmsKeyId)).toMatch(/LakeKey/);
  });

  describe('inference API', () => {
    const outputs = (name: string) => defaults.template(name).toJSON().Outputs;

    test('each stage has an API named <model>-<stage>-api in front of its endpoint, validating the contract\'s schema', () => {
      for (const name of ['staging', 'prod']) {
        const t = defaults.template(name);
        t.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: `churn-${name}-api` });
        t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: name, TracingEnabled: true });
        expect(JSON.stringify(Object.values(t.findResources('AWS::ApiGateway::Method'))[0].Properties.Integration.Uri)).toContain(`path/endpoints/churn-${name}/invocations`);
        expect(Object.values(t.findResources('AWS::ApiGateway::Model'))[0].Properties.Schema).toEqual(requestSchemaOf(testConfig()));
      }
    });

    test('the canary also rolls back on the API\'s 5XX rate: three rollback alarms of SageMaker\'s ten', () => {
      const deployment = Object.values(defaults.template('prod').findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig;
      const alarms = deployment.AutoRollbackConfiguration.Alarms;
      expect(alarms).toHaveLength(3);
      const t = defaults.template('prod').toJSON().Resources;
      const named = alarms.map((a: any) => t[a.AlarmName.Ref].Properties.AlarmName);
      expect(named).toEqual(['churn-prod-rollback-5xx-rate', 'churn-prod-rollback-p99-latency', 'churn-prod-api-5xx-rate']);
      // The canary itself is unchanged.
      expect(deployment.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({ Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 });
      // SageMaker may read the API's alarm too.
      const describe = Object.values(defaults.template('prod').findResources('AWS::IAM::ManagedPolicy'))
        .flatMap((p: any) => p.Properties.PolicyDocument.Statement).find((st: any) => st.Sid === 'SageMakerWatchesRollbackAlarms');
      expect(describe.Resource).toHaveLength(3);
    });

    test('the API\'s 5XX alarm uses the rollback threshold; the others notify only', () => {
      const t = stacks({ deployment: { rollback5xxPercent: 0.5 }, serving: { api: { clientErrorAlarmPercent: 40, latencyAlarmMs: 3000 } } }).template('prod');
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-prod-api-5xx-rate', Threshold: 0.5 });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-prod-api-4xx-rate', Threshold: 40 });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-prod-api-p99-latency', Threshold: 3000 });
    });

    test('limits, keys and the WAF rate come from the config', () => {
      const t = stacks({ serving: { api: { consumers: ['web', 'batch'], rateLimit: 20, burstLimit: 40, quotaLimit: 5000, quotaPeriod: QuotaPeriod.WEEK, stageRateLimit: 60, stageBurstLimit: 90, wafRateLimit: 9000 } } }).template('staging');
      t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 20, BurstLimit: 40 }, Quota: { Limit: 5000, Period: 'WEEK' } });
      const stage = Object.values(t.findResources('AWS::ApiGateway::Stage'))[0].Properties;
      expect(stage.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 60, ThrottlingBurstLimit: 90 });
      expect(Object.values(t.findResources('AWS::ApiGateway::ApiKey')).map((k: any) => k.Properties.Name).sort())
        .toEqual(['churn-staging-api-batch', 'churn-staging-api-smoke-test', 'churn-staging-api-web']);
      expect(Object.values(t.findResources('AWS::WAFv2::WebACL'))[0].Properties.Rules[0].Statement.RateBasedStatement.Limit).toBe(9000);
    });

    test('outputs: the invocations URL, the keys by caller, the authorization', () => {
      const o = outputs('staging');
      expect(JSON.stringify(o.InferenceApiUrl.Value)).toMatch(/"https:\/\/",\{"Ref":"Api\w+"\},"\.execute-api\.us-east-1\.",.*\{"Ref":"ApiDeploymentStagestaging\w+"\},"\/invocations"/);
      expect(JSON.stringify(o.InferenceApiKeyIds.Value)).toMatch(/default=.*smoke-test=/);
      expect(o.InferenceApiAuthorization.Value).toBe('IAM');
      expect(o.InferenceApiTokenUrl).toBeUndefined();
    });

    test('the first stage sets the account\'s API Gateway logging role, the later stages deploy after it', () => {
      expect(Object.keys(defaults.template('staging').findResources('AWS::ApiGateway::Account'))).toHaveLength(1);
      expect(Object.keys(defaults.template('prod').findResources('AWS::ApiGateway::Account'))).toHaveLength(0);
      expect(defaults.serving[0].apiLogRole).toBeDefined();
      const off = stacks({ serving: { api: { manageAccountLogRole: false } } });
      expect(Object.keys(off.template('staging').findResources('AWS::ApiGateway::Account'))).toHaveLength(0);
    });

    test('Cognito: a user pool per stage, its token URL, client and scope as outputs', () => {
      const s = stacks({ serving: { api: { authorization: ApiAuthorization.COGNITO } } });
      const t = s.template('prod');
      t.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'churn-prod-111111111111' });
      t.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['churn-prod-api/invoke'] });
      const o = t.toJSON().Outputs;
      expect(o.InferenceApiScope.Value).toBe('churn-prod-api/invoke');
      expect(o.InferenceApiAuthorization.Value).toBe('COGNITO');
      for (const key of ['InferenceApiTokenUrl', 'InferenceApiUserPoolId', 'InferenceApiSmokeTestClientId']) expect(o[key]).toBeDefined();
    });

    test('apiVpcEndpoints make each stage\'s API private to those execute-api endpoints', () => {
      const app = testApp({ 'aidlc:modelPackageArn': PACKAGE });
      const config = testConfig();
      const { lake } = lakeStack(app);
      const stage = config.deployment.stages[1];
      const stack = new ServingStack(app, 'churn-serving-prod', {
        config,
        env: ENV,
        stage,
        lake,
        apiVpcEndpoints: [InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(lake, 'ExecuteApi', { vpcEndpointId: 'vpce-0a1b2c3d4e5f67890', port: 443 })],
      });
      const api = Object.values(Template.fromJSON(app.synth().getStackByName(stack.stackName).template).findResources('AWS::ApiGateway::RestApi'))[0] as any;
      expect(api.Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] });
      expect(api.Properties.Policy.Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0a1b2c3d4e5f67890'] } } });
    });

    test('a config whose API is private through the landing zone\'s endpoints makes each stage\'s API private to them, by id', () => {
      const network = {
        mode: NetworkMode.IMPORT_VPC,
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        vpcCidr: '10.20.0.0/16',
        subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
        availabilityZones: ['us-east-1a', 'us-east-1b'],
      };
      const landingZone = stacks({ network, serving: { api: { vpcEndpointIds: ['vpce-0c1b2c3d4e5f67890', 'vpce-0d1b2c3d4e5f67890'] } } });
      for (const stage of ['staging', 'prod']) {
        const api = Object.values(landingZone.template(stage).findResources('AWS::ApiGateway::RestApi'))[0] as any;
        expect(api.Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0c1b2c3d4e5f67890', 'vpce-0d1b2c3d4e5f67890'] });
      }
      expect(landingZone.serving.every((s) => s.api!.isPrivate)).toBe(true);
    });

    test('a config whose API is private refuses to fall back to a regional API when the stack gets no endpoint', () => {
      const app = testApp({ 'aidlc:modelPackageArn': PACKAGE });
      const config = testConfig({ serving: { api: { endpointType: ApiEndpointType.PRIVATE } } });
      const { lake } = lakeStack(app);
      expect(() => new ServingStack(app, 'churn-serving-staging', { config, env: ENV, stage: config.deployment.stages[0], lake }))
        .toThrow(/inference API is PRIVATE but names no execute-api endpoint ids; pass the network's endpoint as apiVpcEndpoints/);
    });

    test('without the API: no REST API, and the endpoint rolls back on its own two alarms', () => {
      const off = stacks({ serving: { api: { enabled: false } } });
      const t = off.template('prod');
      expect(Object.keys(t.findResources('AWS::ApiGateway::RestApi'))).toHaveLength(0);
      expect(Object.values(t.findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig.AutoRollbackConfiguration.Alarms).toHaveLength(2);
      expect(off.serving[1].api).toBeUndefined();
    });
  });
});
