import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CanaryEndpoint, CanaryEndpointProps } from '../../../src/constructs/serving/canary-endpoint';
import { PackageModel } from '../../../src/constructs/serving/package-model';
import { Rollout } from '../../../src/constructs/serving/rollout';
import { templateOf, testApp, testStack } from '../../support/cdk-app';
import { lakeStack } from '../../support/data-lake-stand-in';
import { dependencyCycles } from '../../support/template-queries';

const PACKAGE = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/7';

function build(props: Partial<CanaryEndpointProps> = {}, withCapture = true) {
  const app = testApp();
  const { lake } = lakeStack(app);
  const stack = testStack('Serving', app);
  const model = new PackageModel(stack, 'Model', { modelPackageArn: PACKAGE, artifactsBucket: lake.artifactsBucket, encryptionKey: lake.key });
  const endpoint = new CanaryEndpoint(stack, 'Endpoint', {
    endpointName: 'churn-prod',
    model: model.model,
    instanceType: 'ml.m5.large',
    encryptionKey: lake.key,
    ...(withCapture ? { dataCapture: { bucket: lake.artifactsBucket, samplingPercent: 25 } } : {}),
    ...props,
  });
  return { app, stack, lake, model, endpoint, template: () => templateOf(app, stack) };
}

function endpointConfig(t: Template): any {
  return Object.values(t.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties;
}

function deploymentConfig(t: Template): any {
  return Object.values(t.findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig;
}

describe('CanaryEndpoint', () => {
  test('the endpoint has the fixed name and serves the variant of the config', () => {
    const t = build().template();
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'churn-prod', EndpointConfigName: Match.anyValue() });
    expect(endpointConfig(t).ProductionVariants).toEqual([expect.objectContaining({ VariantName: 'primary', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 })]);
    // The config has no fixed name, so every change replaces it and updates the endpoint blue/green.
    expect(endpointConfig(t).EndpointConfigName).toBeUndefined();
  });

  describe('model from the approved model package', () => {
    test('the container names the package and nothing else', () => {
      const t = build().template();
      const model = Object.values(t.findResources('AWS::SageMaker::Model'))[0].Properties;
      expect(model.PrimaryContainer).toEqual({ ModelPackageName: PACKAGE });
    });

    test('the execution role is SageMaker\'s with a managed policy, no AWS managed policy', () => {
      const t = build().template();
      t.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
        ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('ModelExecutionPolicy') }],
      });
      expect(JSON.stringify(t.toJSON())).not.toContain('AmazonSageMakerFullAccess');
    });

    test('rejects a string that is not a model package version ARN', () => {
      const app = testApp();
      const { lake } = lakeStack(app);
      expect(() => new PackageModel(testStack('Under-Test', app), 'M', { modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn', artifactsBucket: lake.artifactsBucket }))
        .toThrow(/modelPackageArn = ".*": is not a model package version ARN. Fix: /);
    });
  });

  describe('data capture', () => {
    test('captures input and output at the configured percentage, KMS-encrypted, under a prefix of the artifacts bucket', () => {
      const { template, lake, stack } = build();
      const capture = endpointConfig(template()).DataCaptureConfig;
      expect(capture).toMatchObject({
        EnableCapture: true,
        InitialSamplingPercentage: 25,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json', 'application/jsonlines'] },
      });
      expect(stack.resolve(lake.artifactsBucket.bucketName)).toBeDefined();
      expect(JSON.stringify(capture.DestinationS3Uri)).toMatch(/"s3:\/\/",\{"Fn::ImportValue":"Lake:ExportsOutputRefLakeArtifacts[^"]*"\},"\/data-capture"/);
      expect(JSON.stringify(capture.KmsKeyId)).toMatch(/LakeKey/);
    });

    test('the execution role may write exactly under the endpoint\'s capture prefix with the key', () => {
      const t = build().template();
      const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p).includes('WriteCapturedData'))!;
      const statements = policy.Properties.PolicyDocument.Statement;
      const write = statements.find((s: any) => s.Sid === 'WriteCapturedData');
      expect(write.Action).toBe('s3:PutObject');
      expect(JSON.stringify(write.Resource)).toContain('/data-capture/churn-prod/*');
      expect(statements.find((s: any) => s.Sid === 'EncryptCapturedData').Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    });

    test('no capture config and no capture grant without data capture', () => {
      const t = build({}, false).template();
      expect(endpointConfig(t).DataCaptureConfig).toBeUndefined();
      expect(JSON.stringify(t.toJSON())).not.toContain('WriteCapturedData');
    });

    test('sampling percent must be 1 to 100', () => {
      const app = testApp();
      const { lake } = lakeStack(app);
      const stack = testStack('Under-Test', app);
      const model = new PackageModel(stack, 'Model', { modelPackageArn: PACKAGE, artifactsBucket: lake.artifactsBucket });
      expect(() => new CanaryEndpoint(stack, 'E', { endpointName: 'churn-prod', model: model.model, instanceType: 'ml.m5.large', dataCapture: { bucket: lake.artifactsBucket, samplingPercent: 0 } }))
        .toThrow(/dataCapture.samplingPercent = .*: is not a whole percentage from 1 to 100/);
    });
  });

  describe('volume key', () => {
    test('an EBS-backed instance type gets the key on the endpoint config', () => {
      const { template, endpoint } = build({ instanceType: 'ml.c5.xlarge' });
      expect(JSON.stringify(endpointConfig(template()).KmsKeyId)).toMatch(/LakeKey/);
      expect(endpoint.volumeEncrypted).toBe(true);
    });

    test.each(['ml.g5.xlarge', 'ml.m5d.large', 'ml.g4dn.xlarge'])('%s (local NVMe) gets no key, captured data still does', (instanceType) => {
      const { template, endpoint } = build({ instanceType });
      const config = endpointConfig(template());
      expect(config.KmsKeyId).toBeUndefined();
      expect(config.DataCaptureConfig.KmsKeyId).toBeDefined();
      expect(endpoint.volumeEncrypted).toBe(false);
    });

    test('instanceStorage overrides the family rule', () => {
      expect(endpointConfig(build({ instanceType: 'ml.g7.2xlarge', instanceStorage: true }).template()).KmsKeyId).toBeUndefined();
      expect(endpointConfig(build({ instanceType: 'ml.g5.xlarge', instanceStorage: false }).template()).KmsKeyId).toBeDefined();
    });
  });

  describe('rollout', () => {
    test('all at once by default (staging): no canary size, no wait', () => {
      const dc = deploymentConfig(build().template());
      expect(dc.BlueGreenUpdatePolicy).toEqual({
        TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
        TerminationWaitInSeconds: 0,
        MaximumExecutionTimeoutInSeconds: 1800,
      });
    });

    test('canary: CanarySize in capacity percent, wait and termination wait from the bake, execution timeout', () => {
      const dc = deploymentConfig(build({ rollout: Rollout.canary({ canaryPercent: 10, bakeTime: Duration.minutes(10) }) }).template());
      expect(dc.BlueGreenUpdatePolicy).toEqual({
        TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
        TerminationWaitInSeconds: 600,
        MaximumExecutionTimeoutInSeconds: 3600,
      });
    });

    test('linear: LinearStepSize in capacity percent', () => {
      const rollout = Rollout.linear({ stepPercent: 25, bakeTime: Duration.minutes(5) });
      const dc = deploymentConfig(build({ instanceCount: 4, rollout }).template());
      expect(dc.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({
        Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 300,
      });
      expect(dc.BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds).toBe(4 * 300 + 300 + 1800);
    });

    test('a canary needs at least two instances', () => {
      expect(() => build({ instanceCount: 1, rollout: Rollout.canary({ canaryPercent: 50 }) })).toThrow(/instanceCount = 1: is too few for a CANARY rollout.*Fix: give at least 2 instances/);
      expect(() => build({ instanceCount: 1 })).not.toThrow();
    });
  });

  describe('rollback alarms', () => {
    test('the endpoint rolls back on the 5XX-rate and p99-latency alarms, by name', () => {
      const t = build({ rollout: Rollout.canary({ canaryPercent: 10 }) }).template();
      expect(deploymentConfig(t).AutoRollbackConfiguration).toEqual({
        Alarms: [{ AlarmName: { Ref: expect.stringMatching(/^EndpointRollbackErrorRate/) } }, { AlarmName: { Ref: expect.stringMatching(/^EndpointRollbackP99Latency/) } }],
      });
    });

    test('5XX rate: Invocation5XXErrors / Invocations metric math in percent, on the literal endpoint name', () => {
      const t = build({ rollback: { errorRatePercent: 2.5 } }).template();
      const alarm = t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'churn-prod-rollback-5xx-rate' } });
      const props = Object.values(alarm)[0].Properties;
      expect(props.Threshold).toBe(2.5);
      expect(props.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(props.TreatMissingData).toBe('notBreaching');
      const [expr, ...metrics] = props.Metrics;
      expect(expr.Expression).toBe('IF(invocations_churn_prod_primary > 0, 100 * FILL(errors_churn_prod_primary, 0) / invocations_churn_prod_primary, 0)');
      const byId = Object.fromEntries(metrics.map((m: any) => [m.Id, m.MetricStat.Metric]));
      expect(byId.invocations_churn_prod_primary).toEqual({ Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: [{ Name: 'EndpointName', Value: 'churn-prod' }, { Name: 'VariantName', Value: 'primary' }] });
      expect(byId.errors_churn_prod_primary.MetricName).toBe('Invocation5XXErrors');
    });

    test('p99 ModelLatency threshold is the millisecond limit in microseconds', () => {
      const t = build({ rollback: { p99LatencyMs: 250 } }).template();
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'churn-prod-rollback-p99-latency',
        MetricName: 'ModelLatency',
        Namespace: 'AWS/SageMaker',
        ExtendedStatistic: 'p99',
        Threshold: 250_000,
        Dimensions: [{ Name: 'EndpointName', Value: 'churn-prod' }, { Name: 'VariantName', Value: 'primary' }],
      });
    });

    test('custom alarms from props join the rollback alarms, ten at most', () => {
      const refunds = build({ rollback: { alarms: [cloudwatch.Alarm.fromAlarmArn(testStack(), 'Imported', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:refunds')] } });
      const alarms = deploymentConfig(refunds.template()).AutoRollbackConfiguration.Alarms;
      expect(alarms).toHaveLength(3);
      expect(alarms[2]).toEqual({ AlarmName: 'refunds' });
      const many = new Array(9).fill(cloudwatch.Alarm.fromAlarmArn(testStack(), 'Many', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:x'));
      expect(() => build({ rollback: { alarms: many } })).toThrow(/alarms = "9 alarms": are too many .* SageMaker watches at most 10. Fix: give at most 8 alarms/);
    });

    test('SageMaker\'s execution role may DescribeAlarms on exactly those alarms', () => {
      const t = build({ rollout: Rollout.canary({ canaryPercent: 10 }) }).template();
      const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p).includes('SageMakerWatchesRollbackAlarms'))!;
      const statement = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'SageMakerWatchesRollbackAlarms');
      expect(statement.Action).toBe('cloudwatch:DescribeAlarms');
      expect(statement.Resource).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/EndpointRollbackErrorRate/), 'Arn'] },
        { 'Fn::GetAtt': [expect.stringMatching(/EndpointRollbackP99Latency/), 'Arn'] },
      ]);
      expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/ModelExecutionRole/) }]);
      // The endpoint waits for the grant: SageMaker checks the alarms when an update starts.
      const endpoint = Object.values(t.findResources('AWS::SageMaker::Endpoint'))[0];
      const policyId = Object.keys(t.findResources('AWS::IAM::ManagedPolicy')).find((id) => id.startsWith('EndpointExecutionPolicy'));
      expect(endpoint.DependsOn).toContain(policyId);
    });

    test('the alarms notify the given action', () => {
      const topicArn = 'arn:aws:sns:us-east-1:111111111111:churn-alerts';
      const alarms = Object.values(build({ alarmAction: { bind: () => ({ alarmActionArn: topicArn }) } }).template().findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.map((a) => a.Properties.AlarmActions)).toEqual([[topicArn], [topicArn]]);
    });

    test('alarms and endpoint form no dependency cycle: the alarms name the endpoint literally', () => {
      const { app, stack } = build({ rollout: Rollout.canary({ canaryPercent: 10 }), autoscaling: { minCapacity: 2, maxCapacity: 4 } });
      const template = app.synth().getStackByName(stack.stackName).template;
      expect(dependencyCycles(template)).toEqual([]);
      const endpointId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::SageMaker::Endpoint')!;
      for (const alarm of Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')) {
        expect(JSON.stringify(alarm)).not.toContain(endpointId);
      }
    });

    test('the cycle check finds a cycle when there is one', () => {
      expect(dependencyCycles({ Resources: { A: { Properties: { X: { Ref: 'B' } } }, B: { Properties: { Y: { 'Fn::GetAtt': ['A', 'Arn'] } } } } }))
        .toEqual([['A', 'B']]);
    });
  });

  describe('autoscaling', () => {
    test('target tracking on SageMakerVariantInvocationsPerInstance for the variant', () => {
      const t = build({ instanceCount: 3, autoscaling: { minCapacity: 2, maxCapacity: 6, targetInvocationsPerInstance: 750 } }).template();
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'sagemaker',
        ResourceId: 'endpoint/churn-prod/variant/primary',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        MinCapacity: 2,
        MaxCapacity: 6,
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 750, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' } },
      });
      const target = Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0];
      expect(target.DependsOn).toEqual(Object.keys(t.findResources('AWS::SageMaker::Endpoint')));
    });

    test('no scaling resources without autoscaling', () => {
      build().template().resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    });

    test('the instance count lies within the range, and a canary keeps two instances', () => {
      expect(() => build({ instanceCount: 8, autoscaling: { minCapacity: 2, maxCapacity: 6 } })).toThrow(/instanceCount = 8: is outside the autoscaling range 2..6/);
      expect(() => build({ rollout: Rollout.canary({ canaryPercent: 10 }), autoscaling: { minCapacity: 1, maxCapacity: 6 } })).toThrow(/autoscaling.minCapacity = 1: lets autoscaling scale in below the 2 instances a CANARY rollout needs/);
    });
  });

  describe('metrics and grants', () => {
    test('metric methods name the endpoint and variant literally', () => {
      const { endpoint, stack } = build();
      expect(stack.resolve(endpoint.metricInvocations().dimensions)).toEqual({ EndpointName: 'churn-prod', VariantName: 'primary' });
      expect(endpoint.metricModelLatencyP99().statistic).toBe('p99');
      expect(endpoint.metricModelLatencyP50().statistic).toBe('p50');
      expect(endpoint.metricInvocation5XXErrors().metricName).toBe('Invocation5XXErrors');
      expect(endpoint.metricInvocationsPerInstance().metricName).toBe('InvocationsPerInstance');
      expect(endpoint.metricErrorRate().expression).toContain('invocations_churn_prod_primary');
    });

    test('grantInvoke allows sagemaker:InvokeEndpoint on the endpoint', () => {
      const { endpoint, stack } = build();
      const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
      endpoint.grantInvoke(role);
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'sagemaker:InvokeEndpoint', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':sagemaker:us-east-1:111111111111:endpoint/churn-prod$')])] } })] },
      });
    });
  });

  test('rejects an endpoint name SageMaker would reject', () => {
    expect(() => build({ endpointName: 'churn_prod' })).toThrow(/endpointName = "churn_prod": is not a SageMaker endpoint name/);
  });
});
