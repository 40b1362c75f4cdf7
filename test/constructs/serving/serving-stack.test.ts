import { Template } from 'aws-cdk-lib/assertions';
import { ENV, testApp, testConfig } from './helpers';
import { lakeStack } from './lake-stand-in';
import { ServingStack } from '../../../src/app/stacks/serving-stack';
import { TrafficRouting } from '../../../src/config';

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
});
