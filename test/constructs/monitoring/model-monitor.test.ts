import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AnalyzerImage } from '../../../src/constructs/monitoring/analyzer-image';
import { ModelMonitor, ModelMonitorProps } from '../../../src/constructs/monitoring/model-monitor';
import { templateOf, testApp, testStack } from '../../support/cdk-app';
import { lakeStack } from '../../support/data-lake-stand-in';

const FEATURES = ['age', 'monthly_charges', 'contract'];

function build(props: Partial<ModelMonitorProps> = {}, stackOf = (app: App, id: string): Stack => testStack(id, app)) {
  const app = testApp();
  const { lake } = lakeStack(app);
  const stack: Stack = stackOf(app, 'Monitoring');
  const monitor = new ModelMonitor(stack, 'ModelMonitor', {
    endpointName: 'churn-prod',
    scheduleExpression: 'cron(0 * ? * * *)',
    captureBucket: lake.artifactsBucket,
    baselineBucket: lake.artifactsBucket,
    encryptionKey: lake.key,
    features: FEATURES,
    ...props,
  });
  return { monitor, template: () => templateOf(app, stack) };
}

function jobDefinition(t: Template): any {
  return Object.values(t.findResources('AWS::SageMaker::DataQualityJobDefinition'))[0].Properties;
}

function statement(t: Template, sid: string): any {
  const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0];
  return policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === sid);
}

describe('ModelMonitor', () => {
  test('a data-quality job on the endpoint\'s captured input, against the exported baselines, with the region\'s analyzer image', () => {
    const def = jobDefinition(build().template());
    expect(def.DataQualityAppSpecification).toEqual({
      ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer',
      Environment: { publish_cloudwatch_metrics: 'Enabled' },
    });
    expect(JSON.stringify(def.DataQualityBaselineConfig.StatisticsResource.S3Uri)).toContain('/baselines/model-monitor/churn-prod/statistics.json');
    expect(JSON.stringify(def.DataQualityBaselineConfig.ConstraintsResource.S3Uri)).toContain('/baselines/model-monitor/churn-prod/constraints.json');
    expect(def.DataQualityJobInput).toEqual({
      EndpointInput: { EndpointName: 'churn-prod', LocalPath: '/opt/ml/processing/input/endpoint', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' },
    });
    expect(JSON.stringify(def.DataQualityJobOutputConfig.MonitoringOutputs[0].S3Output.S3Uri)).toContain('/model-monitor/churn-prod/reports');
    expect(def.DataQualityJobOutputConfig.KmsKeyId).toBeDefined();
    expect(def.JobResources.ClusterConfig).toEqual(expect.objectContaining({ InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: expect.anything() }));
    expect(def.NetworkConfig).toEqual({ EnableInterContainerTrafficEncryption: true, EnableNetworkIsolation: true });
    expect(def.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 1800 });
  });

  test('the job definition name is versioned by its content: unchanged for the same definition, new for a changed one', () => {
    const a = jobDefinition(build().template()).JobDefinitionName;
    const b = jobDefinition(build().template()).JobDefinitionName;
    const c = jobDefinition(build({ instanceType: 'ml.m5.2xlarge' }).template()).JobDefinitionName;
    expect(a).toMatch(/^churn-prod-dq-[0-9a-f]{8}$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  test('the monitoring schedule runs that job definition on the SageMaker cron, after it exists', () => {
    const t = build({ scheduleExpression: 'cron(0 0/6 ? * * *)' }).template();
    const name = jobDefinition(t).JobDefinitionName;
    const schedule = Object.values(t.findResources('AWS::SageMaker::MonitoringSchedule'))[0];
    expect(schedule.Properties).toEqual({
      MonitoringScheduleName: 'churn-prod-data-quality',
      EndpointName: 'churn-prod',
      MonitoringScheduleConfig: { MonitoringJobDefinitionName: name, MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 0/6 ? * * *)' } },
    });
    expect(schedule.DependsOn).toEqual(Object.keys(t.findResources('AWS::SageMaker::DataQualityJobDefinition')));
  });

  test('one alarm per feature on feature_baseline_drift_<feature>, above the comparison threshold', () => {
    const alarms = Object.values(build({ driftThreshold: 0.12 }).template().findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => a.AlarmName)).toEqual(FEATURES.map((f) => `churn-prod-drift-${f}`));
    expect(alarms[1].Metrics[0].MetricStat).toEqual({
      Metric: {
        Namespace: 'aws/sagemaker/Endpoints/data-metrics',
        MetricName: 'feature_baseline_drift_monthly_charges',
        Dimensions: [{ Name: 'Endpoint', Value: 'churn-prod' }, { Name: 'MonitoringSchedule', Value: 'churn-prod-data-quality' }],
      },
      Period: 3600,
      Stat: 'Maximum',
    });
    expect(alarms[1]).toEqual(expect.objectContaining({ Threshold: 0.12, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore' }));
  });

  test('the monitoring role reads capture and baselines, writes reports, publishes data metrics, pulls the analyzer image', () => {
    const t = build().template();
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] } });
    expect(JSON.stringify(statement(t, 'ReadCapturedDataAndBaselines').Resource)).toContain('/data-capture/churn-prod/*');
    expect(JSON.stringify(statement(t, 'WriteReports').Resource)).toContain('/model-monitor/churn-prod/reports/*');
    expect(statement(t, 'PublishDriftMetrics').Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/data-metrics' } });
    expect(JSON.stringify(statement(t, 'PullAnalyzer').Resource)).toContain(':ecr:us-east-1:156813124566:repository/sagemaker-model-monitor-analyzer');
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('accepts only the cron forms SageMaker monitoring schedules take', () => {
    for (const bad of ['rate(1 hour)', 'cron(30 * ? * * *)', 'cron(0 6 ? * MON *)', 'cron(*/5 * ? * * *)']) {
      expect(() => build({ scheduleExpression: bad })).toThrow(/scheduleExpression = ".*": is not a cron SageMaker monitoring schedules accept. Fix: use cron\(0 \* \? \* \* \*\)/);
    }
  });

  test('a run must end within the hour', () => {
    expect(() => build({ maxRuntime: Duration.minutes(61) })).toThrow(/maxRuntime = "3660 s": is not from 1 s to at most an hour/);
  });

  test('an explicit image, for regions the map does not know', () => {
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-analyzer:1';
    expect(jobDefinition(build({ imageUri: uri }).template()).DataQualityAppSpecification.ImageUri).toBe(uri);
  });
});

describe('AnalyzerImage', () => {
  test('the documented map: account per region, China regions on amazonaws.com.cn', () => {
    expect(AnalyzerImage.uriFor('eu-west-1')).toBe('468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer');
    expect(AnalyzerImage.uriFor('us-west-2')).toBe('159807026194.dkr.ecr.us-west-2.amazonaws.com/sagemaker-model-monitor-analyzer');
    expect(AnalyzerImage.uriFor('cn-north-1')).toBe('453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer');
    expect(AnalyzerImage.regions).toHaveLength(20);
  });

  test('unknown or unresolved regions need an explicit image', () => {
    expect(() => AnalyzerImage.uriFor('xx-east-9')).toThrow(/region = "xx-east-9": has no known Model Monitor analyzer image \(known: .*\). Fix: give the image URI explicitly/);
    expect(() => AnalyzerImage.uriFor('${Token[AWS.Region.1]}')).toThrow(/region = .*: is not known at synth, and the Model Monitor analyzer image depends on it/);
    expect(() => build({}, (app, id) => new Stack(app, id))).toThrow(/region = .*: is not known at synth, and the Model Monitor analyzer image depends on it/);
  });
});
