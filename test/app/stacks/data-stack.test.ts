import { Match, Template } from 'aws-cdk-lib/assertions';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { DataStack } from '../../../src/app/stacks/data-stack';
import { NetworkStack } from '../../../src/app/stacks/network-stack';
import { ResolvedConfig } from '../../../src/config';
import { GateEngine } from '../../../src/config/enums';
import { resolveConfig } from '../../../src/config/resolve';
import { DataLake, GateWorkgroup } from '../../../src/constructs';
import { testApp } from '../../support/cdk-app';
import { nagFindings, synthTemplates, validationFindings } from '../../support/compliance';
import { ENV } from '../../support/environments';

/** The data stack of a config, in the config's network. */
function dataApp(config: ResolvedConfig) {
  const app = testApp();
  const network = new NetworkStack(app, 'churn-network', { config, env: ENV }).network;
  return { app, stack: new DataStack(app, 'churn-data', { config, env: ENV, network }) };
}

/** What the app's own checks (packs from the config, Control Tower controls, guardrails) find at synth, on a fresh app. */
function appCheckFindings(config: ResolvedConfig): string[] {
  const { app } = dataApp(config);
  applyCompliance(app, config);
  synthTemplates(app);
  return validationFindings(app.outdir);
}

describe('DataStack', () => {
  const config = resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', data: { rawToGlacierDays: 45 } });
  const { stack } = dataApp(config);
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
    const other = Template.fromStack(new DataStack(testApp(), 'churn-data', {
      config: resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', data: { validatedRetentionDays: 30 }, monitoring: { captureRetentionDays: 7 } }),
      env: ENV,
    }));
    const days = (Object.values(other.findResources('AWS::S3::Bucket')) as any[]).flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? [])
      .filter((r: any) => r.Id.startsWith('Expire') && r.Id !== 'ExpireLogs').map((r: any) => [r.Id, r.ExpirationInDays]);
    expect(days).toEqual([['ExpireValidatedDatasets', 30], ['ExpireDataCapture', 7]]);
  });

  test('the whole data stack passes the four compliance packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('and the app\'s own checks at synth: packs, Control Tower controls, guardrails', () => {
    expect(appCheckFindings(config)).toEqual([]);
  });
});

describe('DataStack with the Athena gate engine', () => {
  const config = resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn', data: { gateEngine: GateEngine.ATHENA, gateScanLimitGb: 100 } });

  test('adds the workgroup and the gate table; the stack passes the packs and the app\'s checks at synth', () => {
    const { stack } = dataApp(config);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'churn-data-gate', WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 100 * 1024 ** 3 }) });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ AIDLC_GATE_ENGINE: 'athena', AIDLC_GATE_TABLE: 'churn_gate' }) } });
    expect(stack.gateWorkgroup).toBeInstanceOf(GateWorkgroup);
    expect(nagFindings(stack)).toEqual([]);
    expect(appCheckFindings(config)).toEqual([]);
  });

  test('the streaming engine (the default) adds no Athena resources', () => {
    const stack = new DataStack(testApp(), 'churn-data', { config: resolveConfig({ modelName: 'churn', githubRepository: 'acme/churn' }), env: ENV });
    Template.fromStack(stack).resourceCountIs('AWS::Athena::WorkGroup', 0);
    expect(stack.gateWorkgroup).toBeUndefined();
  });
});
