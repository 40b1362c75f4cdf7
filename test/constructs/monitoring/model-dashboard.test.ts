import { Tags } from 'aws-cdk-lib';
import { DriftMetrics } from '../../../src/constructs/monitoring/drift-metrics';
import { ModelDashboard } from '../../../src/constructs/monitoring/model-dashboard';
import { inferenceApiAlarmNames } from '../../../src/constructs/serving/inference-api-alarms';
import { templateOf, testApp, testStack } from '../../support/cdk-app';

function body(): any {
  const app = testApp();
  const stack = testStack('Monitoring', app);
  Tags.of(stack).add('aidlc:model', 'churn');
  const drift = new DriftMetrics('churn-prod');
  new ModelDashboard(stack, 'Dashboard', {
    dashboardName: 'aidlc-churn',
    endpoints: [{ endpointName: 'churn-staging' }, { endpointName: 'churn-prod' }],
    driftMetrics: ['age', 'contract'].map((f) => drift.metricPsi(f)),
    driftThreshold: 0.2,
    trainingPipelineName: 'churn-training',
  });
  const dashboard = Object.values(templateOf(app, stack).findResources('AWS::CloudWatch::Dashboard'))[0].Properties;
  expect(dashboard.DashboardName).toBe('aidlc-churn');
  // The stack's tags stay off the dashboard: cfn-lint before May 2026 rejects Tags there (E3002).
  expect(dashboard.Tags).toBeUndefined();
  const text = dashboard.DashboardBody['Fn::Join'] ? dashboard.DashboardBody['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : '')).join('') : dashboard.DashboardBody;
  return JSON.parse(text);
}

function widget(b: any, title: string): any {
  const w = b.widgets.find((x: any) => x.properties.title === title);
  if (!w) throw new Error(`no widget ${title}`);
  return w.properties;
}

describe('ModelDashboard', () => {
  const b = body();

  test('invocations per endpoint', () => {
    expect(widget(b, 'Invocations').metrics).toEqual([
      ['AWS/SageMaker', 'Invocations', 'EndpointName', 'churn-staging', 'VariantName', 'primary', expect.objectContaining({ label: 'churn-staging' })],
      ['AWS/SageMaker', 'Invocations', 'EndpointName', 'churn-prod', 'VariantName', 'primary', expect.objectContaining({ label: 'churn-prod' })],
    ]);
  });

  test('errors: 5XX and 4XX counts, and the 5XX rate', () => {
    const text = JSON.stringify(widget(b, 'Errors').metrics);
    expect(text).toContain('Invocation5XXErrors');
    expect(text).toContain('Invocation4XXErrors');
    expect(text).toContain('IF(invocations_churn_staging_primary > 0, 100 * FILL(errors_churn_staging_primary, 0) / invocations_churn_staging_primary, 0)');
    expect(text).toContain('100 * FILL(errors_churn_prod_primary, 0) / invocations_churn_prod_primary');
  });

  test('model latency p50 and p99 in milliseconds (SageMaker reports microseconds)', () => {
    const w = widget(b, 'Model latency (ms)');
    const text = JSON.stringify(w.metrics);
    expect(text.match(/p(50|99)_churn_(staging|prod)_primary \/ 1000/g)).toHaveLength(4);
    expect(text).toContain('"stat":"p50"');
    expect(text).toContain('"stat":"p99"');
    expect(w.yAxis.left.label).toBe('ms');
  });

  test('drift per feature with the threshold line', () => {
    const w = widget(b, 'Drift per feature');
    expect(w.metrics).toEqual([
      ['AIDLC/Drift', 'PSI', 'Endpoint', 'churn-prod', 'Feature', 'age', expect.anything()],
      ['AIDLC/Drift', 'PSI', 'Endpoint', 'churn-prod', 'Feature', 'contract', expect.anything()],
    ]);
    expect(w.annotations.horizontal).toEqual([{ value: 0.2, label: 'drift threshold', yAxis: 'left' }]);
  });

  test('training outcomes of the SageMaker Pipeline', () => {
    const text = JSON.stringify(widget(b, 'Training runs').metrics);
    for (const m of ['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStopped']) {
      expect(text).toContain(`["AWS/Sagemaker/ModelBuildingPipeline","${m}","PipelineName","churn-training"`);
    }
  });
});

describe('ModelDashboard with inference APIs', () => {
  const app = testApp();
  const stack = testStack('Monitoring', app);
  new ModelDashboard(stack, 'Dashboard', {
    dashboardName: 'aidlc-churn',
    endpoints: [{ endpointName: 'churn-staging' }, { endpointName: 'churn-prod' }],
    driftMetrics: [],
    trainingPipelineName: 'churn-training',
    apis: ['staging', 'prod'].map((s) => ({ apiName: `churn-${s}-api`, stageName: s, webAclName: `churn-${s}-api`, alarmNames: inferenceApiAlarmNames(`churn-${s}-api`) })),
  });
  const dashboard = Object.values(templateOf(app, stack).findResources('AWS::CloudWatch::Dashboard'))[0].Properties;
  // Tokens in the body (region, partition) become placeholders.
  const parts = dashboard.DashboardBody['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : `<${p.Ref}>`)).join('');
  const b = JSON.parse(parts);

  test('API requests, 4XX and 5XX per stage, with the 5XX rate', () => {
    const text = JSON.stringify(widget(b, 'API requests and errors').metrics);
    for (const name of ['Count', '4XXError', '5XXError']) expect(text).toContain(`"AWS/ApiGateway","${name}","ApiName","churn-prod-api","Stage","prod"`);
    expect(text).toContain('100 * FILL(server_churn_staging_api_staging, 0) / count_server_churn_staging_api_staging');
  });

  test('API latency p50/p99 and the endpoint\'s share (integration latency)', () => {
    const text = JSON.stringify(widget(b, 'API latency (ms)').metrics);
    expect(text).toContain('"AWS/ApiGateway","Latency","ApiName","churn-staging-api","Stage","staging"');
    expect(text).toContain('"AWS/ApiGateway","IntegrationLatency"');
  });

  test('WAF blocks per web ACL and the API alarms\' states', () => {
    expect(JSON.stringify(widget(b, 'WAF blocked requests').metrics)).toContain('"AWS/WAFV2","BlockedRequests","Region","us-east-1","Rule","ALL","WebACL","churn-prod-api"');
    const alarms = JSON.stringify(widget(b, 'API alarms').alarms);
    for (const name of ['churn-staging-api-5xx-rate', 'churn-prod-api-4xx-rate', 'churn-prod-api-p99-latency']) expect(alarms).toContain(`:alarm:${name}`);
  });
});
