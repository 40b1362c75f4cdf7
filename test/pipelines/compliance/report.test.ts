import { CONTROLS, FRAMEWORKS } from '../../../pipelines/compliance/controls';
import { buildComplianceReport, unmetControls } from '../../../pipelines/compliance/report';
import { StackTemplate } from '../../../src/core/templates/template';
import { allStacks, CONFIG, dataStack, servingStack, trainingStack } from '../../support/audit-templates';

function statuses(stacks: StackTemplate[], withConfig = true): Record<string, string> {
  const report = buildComplianceReport(stacks, withConfig ? CONFIG : undefined);
  return Object.fromEntries(report.controls.map((c) => [c.control.id, c.status]));
}

function control(stacks: StackTemplate[], id: string) {
  const found = buildComplianceReport(stacks, CONFIG).controls.find((c) => c.control.id === id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
}

describe('the control mapping', () => {
  test('covers the twelve controls, each with cited requirements', () => {
    expect(CONTROLS.map((c) => c.id)).toEqual([
      'encryption-at-rest', 'encryption-in-transit', 'access-auditing', 'data-lineage', 'model-versioning',
      'change-management', 'least-privilege', 'retention', 'backup', 'incident-response', 'model-monitoring', 'network-isolation',
    ]);
    for (const c of CONTROLS) {
      expect(new Set(c.requirements.map((r) => r.framework)).size).toBeGreaterThanOrEqual(3);
      for (const r of c.requirements) expect(FRAMEWORKS).toContain(r.framework);
    }
  });

  test('cites requirements by their public ids', () => {
    const ids = CONTROLS.flatMap((c) => c.requirements.map((r) => `${r.framework} ${r.id}`));
    expect(ids).toEqual(expect.arrayContaining([
      'HIPAA 164.312(a)(2)(iv)', 'HIPAA 164.312(b)', 'PCI DSS 3.4', 'PCI DSS 4.1', 'PCI DSS 10.2',
      'SOC 2 CC6.1', 'SOC 2 CC7.2', 'SOC 2 CC8.1', 'GDPR Art. 32(1)(a)', 'GDPR Art. 30', 'GDPR Art. 5(1)(e)',
    ]));
    for (const id of ids) {
      expect(id).toMatch(/^(GDPR Art\. \d+(\(\d\))?(\([a-z]\))?|HIPAA 164\.\d{3}(\([A-Za-z0-9]+\))+|SOC 2 (CC|A|C|PI|P)\d\.\d|PCI DSS \d+(\.\d+)*)$/);
    }
  });
});

describe('buildComplianceReport', () => {
  test('meets every control on templates that show them all', () => {
    const report = buildComplianceReport(allStacks(), CONFIG);
    const unmet = unmetControls(report).map((c) => `${c.control.id}: ${c.status} ${JSON.stringify(c.exceptions)}`);
    expect(unmet).toEqual([]);
    expect(report.modelName).toBe('churn');
    expect(report.stacks).toEqual(['churn-data', 'churn-training', 'churn-serving-prod']);
  });

  test('reports every control as a gap on an empty app, config or not', () => {
    const empty = [{ stackName: 'churn-empty', template: { Resources: {} } }];
    expect(new Set(Object.values(statuses(empty)))).toEqual(new Set(['gap']));
    expect(new Set(Object.values(statuses(empty, false)))).toEqual(new Set(['gap']));
  });

  test('names the stack, resource, property and value of each piece of evidence', () => {
    const atRest = control(allStacks(), 'encryption-at-rest');
    expect(atRest.evidence).toEqual(expect.arrayContaining([
      { source: 'cdk.out', stack: 'churn-data', logicalId: 'Raw', resourceType: 'AWS::S3::Bucket', property: 'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID', value: '${Key.Arn}', note: 'SSE-KMS (aws:kms)' },
      expect.objectContaining({ stack: 'churn-training', logicalId: 'Pipeline', property: 'PipelineDefinition.Steps[Train].Arguments.OutputDataConfig.KmsKeyId', value: '${Import:churn-data:KeyArn}' }),
      expect.objectContaining({ stack: 'churn-data', logicalId: 'Key', property: 'EnableKeyRotation', value: 'true' }),
    ]));
    const lineage = control(allStacks(), 'data-lineage');
    expect(lineage.evidence).toEqual(expect.arrayContaining([
      expect.objectContaining({ logicalId: 'Pipeline', property: 'PipelineDefinition.Steps[Train].Arguments.InputDataConfig[0]', value: 's3://raw/datasets/train.csv' }),
      expect.objectContaining({ source: 'config', property: 'github.repository', value: 'acme/churn@main' }),
    ]));
  });

  test('a Register step that records no provenance makes data lineage partial, naming what is missing', () => {
    const stacks = [dataStack(), trainingStack({ provenanceKeys: ['source_revision', 'dataset_manifest_uri', 'dataset_manifest_sha256', 'training_job_arn', 'artifact_sha256'] }), servingStack()];
    expect(statuses(stacks)['data-lineage']).toBe('partial');
    expect(control(stacks, 'data-lineage').exceptions[0].note).toBe('model versions do not record artifact_signature');
  });

  test('a resource without the control is an exception, and the control is partial', () => {
    const data = dataStack();
    const bare = { Type: 'AWS::S3::Bucket', Properties: {} };
    const stacks = [{ ...data, template: { Resources: { ...data.template.Resources, Bare: bare, Group: { Type: 'AWS::Logs::LogGroup', Properties: {} } } } }, trainingStack(), servingStack()];
    const s = statuses(stacks);
    expect(s['access-auditing']).toBe('partial');
    expect(s.backup).toBe('partial');
    expect(s.retention).toBe('partial');
    expect(s['encryption-at-rest']).toBe('partial');
    expect(s['encryption-in-transit']).toBe('partial');
    expect(control(stacks, 'retention').exceptions).toEqual([
      { source: 'cdk.out', stack: 'churn-data', logicalId: 'Bare', resourceType: 'AWS::S3::Bucket', property: 'LifecycleConfiguration', value: 'no enabled rule', note: 'objects are kept forever' },
      { source: 'cdk.out', stack: 'churn-data', logicalId: 'Group', resourceType: 'AWS::Logs::LogGroup', property: 'RetentionInDays', value: 'not set', note: 'log events never expire' },
    ]);
  });

  test('the log destination bucket needs no access logs of its own', () => {
    const auditing = control(allStacks(), 'access-auditing');
    expect(auditing.exceptions).toEqual([]);
    expect(auditing.evidence.find((e) => e.logicalId === 'Logs')?.note).toContain('receives the other buckets');
  });

  test('an inference API: access and WAF logs are auditing evidence, its TLS policy transit evidence; TLS 1.0 is an exception', () => {
    const api = (securityPolicy?: string) => ({
      stackName: 'churn-serving-prod',
      template: {
        Resources: {
          Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'churn-prod-api', ...(securityPolicy ? { SecurityPolicy: securityPolicy } : {}) } },
          Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'prod', AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['AccessLogs', 'Arn'] } } } },
          Bare: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'old' } },
          WafLogging: { Type: 'AWS::WAFv2::LoggingConfiguration', Properties: { LogDestinationConfigs: ['arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-churn-prod-api'] } },
        },
      },
    });
    const auditing = control([api('SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09')], 'access-auditing');
    expect(auditing.evidence.map((e) => [e.logicalId, e.property])).toEqual([['Stage', 'AccessLogSetting.DestinationArn'], ['WafLogging', 'LogDestinationConfigs']]);
    expect(auditing.exceptions.map((e) => [e.logicalId, e.note])).toEqual([['Bare', 'API stage without access logs']]);
    expect(control([api('SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09')], 'encryption-in-transit').evidence).toEqual([
      expect.objectContaining({ logicalId: 'Api', property: 'SecurityPolicy', value: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09', note: 'API churn-prod-api refuses TLS below 1.2' }),
    ]);
    expect(control([api()], 'encryption-in-transit').exceptions).toEqual([
      expect.objectContaining({ logicalId: 'Api', value: 'not set (TLS_1_0)', note: 'API accepts TLS 1.0' }),
    ]);
  });

  test('least privilege lists the IAM audit findings as exceptions', () => {
    const data = dataStack();
    const wide = { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } };
    const stacks = [{ ...data, template: { Resources: { ...data.template.Resources, Wide: wide } } }];
    const lp = control(stacks, 'least-privilege');
    expect(lp.status).toBe('partial');
    expect(lp.exceptions.map((e) => `${e.logicalId} ${e.value}`)).toEqual(['Wide IAM_SERVICE_WILDCARD_ACTION', 'Wide IAM_WILDCARD_RESOURCE']);
    expect(lp.evidence).toEqual(expect.arrayContaining([
      expect.objectContaining({ logicalId: 'Role', value: 'repo:acme/churn:ref:refs/heads/main' }),
    ]));
  });

  test('multi-instance training without encrypted traffic between instances is an exception', () => {
    const stacks = [dataStack(), trainingStack({ instanceCount: 2, transitEncryption: false }), servingStack()];
    expect(control([dataStack(), trainingStack({ instanceCount: 1, transitEncryption: false }), servingStack()], 'encryption-in-transit').status).toBe('met');
    const transit = control(stacks, 'encryption-in-transit');
    expect(transit.status).toBe('partial');
    expect(transit.exceptions.map((e) => e.property)).toEqual(['PipelineDefinition.Steps[Train].Arguments.EnableInterContainerTrafficEncryption']);
  });

  test('captured traffic that nothing compares with the baseline leaves monitoring partial', () => {
    const serving = servingStack();
    const { Hourly: _hourly, Drift: _drift, ...rest } = serving.template.Resources!;
    const monitoring = control([{ ...serving, template: { Resources: rest } }], 'model-monitoring');
    expect(monitoring.status).toBe('partial');
    expect(monitoring.exceptions.map((e) => e.note)).toEqual(['captured traffic is never compared with the baseline: no monitoring job, schedule or drift alarm in cdk.out']);
    expect(control([serving], 'model-monitoring').status).toBe('met');
  });

  test('config evidence alone leaves a control a gap', () => {
    const s = statuses([dataStack()]);
    expect(s['model-monitoring']).toBe('gap');
    expect(control([dataStack()], 'model-monitoring').evidence.every((e) => e.source === 'config')).toBe(true);
    expect(s['model-versioning']).toBe('gap');
  });
});
