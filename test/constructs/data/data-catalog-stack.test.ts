import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { DataStack } from '../../../src/app/stacks/data-stack';
import { NetworkStack } from '../../../src/app/stacks/network-stack';
import { resolveConfig } from '../../../src/config/resolve';
import { DataCatalog, DataLake } from '../../../src/constructs';
import { testStack } from '../../support/cdk-app';
import { nagFindings } from '../../support/compliance';
import { CONTRACT } from '../../support/contracts';

describe('DataCatalog', () => {
  test('a Glue database and a CSV table whose columns come from the contract', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
    new DataCatalog(stack, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: lake.validatedBucket, prefix: 'validated/churn/data/' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Glue::Database', { CatalogId: '111111111111', DatabaseInput: { Name: 'aidlc_churn' } });
    const table = (Object.values(t.findResources('AWS::Glue::Table'))[0] as any).Properties;
    expect(table.DatabaseName).toBe('aidlc_churn');
    expect(table.TableInput).toMatchObject({
      Name: 'churn_model',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { 'classification': 'csv', 'skip.header.line.count': '1', 'has_encrypted_data': 'true' },
      StorageDescriptor: {
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ',' } },
        Location: { 'Fn::Join': ['', ['s3://', { Ref: stack.resolve((lake.validatedBucket.node.defaultChild as any).logicalId) }, '/validated/churn/data/']] },
      },
    });
    expect(table.TableInput.StorageDescriptor.Columns).toEqual([
      { Name: 'customer_id', Type: 'bigint' },
      { Name: 'signup_date', Type: 'string', Comment: 'ISO 8601 timestamp' },
      { Name: 'monthly_charges', Type: 'double' },
      { Name: 'contract', Type: 'string', Comment: 'Contract term' },
      { Name: 'is_senior', Type: 'boolean' },
      { Name: 'churned', Type: 'bigint' },
    ]);
  });

  test('grantReadDefinition names the catalog, the database and the table', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
    const catalog = new DataCatalog(stack, 'Catalog', { databaseName: 'aidlc_churn', contract: CONTRACT, bucket: lake.validatedBucket });
    catalog.grantReadDefinition(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('athena.amazonaws.com') }));
    const statement = (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement[0];
    expect(statement.Action).toEqual(['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions']);
    expect(JSON.stringify(statement.Resource)).toMatch(/:catalog".*:database\/aidlc_churn".*:table\/aidlc_churn\/churn_model"/);
  });

  test('rejects a contract without columns and a database name Glue cannot take', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { dataEventsTrail: false });
    expect(() => new DataCatalog(stack, 'A', { databaseName: 'x', contract: { columns: [] }, bucket: lake.validatedBucket })).toThrow(/no columns/);
    expect(() => new DataCatalog(stack, 'B', { databaseName: 'aidlc-churn', contract: CONTRACT, bucket: lake.validatedBucket })).toThrow(/lower-case letters/);
  });
});

describe('DataStack', () => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-data-stack-')) });
  const config = resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', data: { rawToGlacierDays: 45 } });
  const env = { account: '123456789012', region: 'us-east-1' };
  const network = new NetworkStack(app, 'churn-network', { config, env }).network;
  const stack = new DataStack(app, 'churn-data', { config, env, network });
  const t = Template.fromStack(stack);

  test('builds the lake, the gate and the catalog from the config', () => {
    expect(stack.lake).toBeInstanceOf(DataLake);
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/aidlc/churn' });
    t.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'aidlc_churn' } });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { RAW_PREFIX: 'raw/churn/', VALIDATED_PREFIX: 'validated/churn/', QUARANTINE_PREFIX: 'quarantine/churn/' } } });
    const raw = Object.values(t.findResources('AWS::S3::Bucket')).find((b: any) => b.Properties.NotificationConfiguration) as any;
    expect(raw.Properties.LifecycleConfiguration.Rules.find((r: any) => r.Id === 'RawToGlacier').Transitions).toEqual([{ StorageClass: 'GLACIER', TransitionInDays: 45 }]);
    const table = (Object.values(t.findResources('AWS::Glue::Table'))[0] as any).Properties.TableInput;
    expect(table.Name).toBe('churn');
    expect(table.StorageDescriptor.Columns.map((c: any) => c.Name)).toEqual(config.data.contract.columns.map((c) => c.name));
    expect(table.StorageDescriptor.Columns[4]).toEqual({ Name: 'monthly_charges', Type: 'double', Comment: 'Current monthly bill' });
  });

  test('validated datasets and captured traffic expire after the configured days (defaults 365 and 90)', () => {
    const rulesOf = (id: string) => (Object.values(t.findResources('AWS::S3::Bucket')) as any[])
      .flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? []).filter((r: any) => r.Id === id);
    expect(rulesOf('ExpireValidatedDatasets')).toEqual([{ Id: 'ExpireValidatedDatasets', Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 365 } }]);
    expect(rulesOf('ExpireDataCapture')).toEqual([{ Id: 'ExpireDataCapture', Status: 'Enabled', Prefix: 'data-capture/', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }]);
    const other = Template.fromStack(new DataStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-data-stack-')) }), 'churn-data', {
      config: resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', data: { validatedRetentionDays: 30 }, monitoring: { captureRetentionDays: 7 } }),
      env: { account: '123456789012', region: 'us-east-1' },
    }));
    const days = (Object.values(other.findResources('AWS::S3::Bucket')) as any[]).flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? [])
      .filter((r: any) => r.Id.startsWith('Expire') && r.Id !== 'ExpireLogs').map((r: any) => [r.Id, r.ExpirationInDays]);
    expect(days).toEqual([['ExpireValidatedDatasets', 30], ['ExpireDataCapture', 7]]);
  });

  test('the whole data stack passes the four compliance packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('and the app\'s own checks at synth: packs, Control Tower controls, guardrails', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-data-compliance-'));
    const checked = new App({ outdir });
    const checkedNetwork = new NetworkStack(checked, 'churn-network', { config, env }).network;
    new DataStack(checked, 'churn-data', { config, env, network: checkedNetwork });
    applyCompliance(checked, config);
    try {
      checked.synth();
    } catch (e) {
      if (!/validation ?failed/i.test(`${(e as Error).name} ${String(e)}`)) throw e;
    }
    const report = join(outdir, 'validation-report.json');
    const findings = existsSync(report)
      ? (JSON.parse(readFileSync(report, 'utf8')).pluginReports as any[]).flatMap((p) => (p.violations ?? []).map((v: any) => `${p.pluginName} ${v.ruleName}`))
      : [];
    expect(findings).toEqual([]);
  });
});
