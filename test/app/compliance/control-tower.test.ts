import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { APP_WIDE_DISABLED_CONTROLS, ControlTowerPlugin, controlTowerRuleFiles, controlTowerRulesDir, rulesFor } from '../../../src/app/compliance/control-tower';
import { synthTemplates, validationFindings } from '../../support/compliance';
import { tempDir } from '../../support/temp-dirs';

jest.setTimeout(180_000);

function guardFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? guardFiles(p) : [p];
  });
}

describe('the app-wide disabled Control Tower controls', () => {
  const files = guardFiles(controlTowerRulesDir());

  test.each(APP_WIDE_DISABLED_CONTROLS.map((c) => [c.control, c]))('%s names a bundled rule file, its rule and its control id', (_id, control) => {
    const file = files.find((f) => f.endsWith(`/${control.file}.guard`));
    expect(file).toBeDefined();
    const text = readFileSync(file!, 'utf8');
    expect(text).toContain(`rule ${control.rule} when`);
    expect(text).toContain(`[${control.control}]:`);
    expect(control.reason.length).toBeGreaterThan(80);
  });

  test('lists each control once', () => {
    const ids = APP_WIDE_DISABLED_CONTROLS.map((c) => c.control);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the Control Tower rule selection', () => {
  const catalog = controlTowerRuleFiles();

  test('holds every bundled rule file except the disabled ones, each with the types it reports on', () => {
    expect(catalog).toHaveLength(guardFiles(controlTowerRulesDir()).length - APP_WIDE_DISABLED_CONTROLS.length);
    expect(catalog.map((f) => f.name)).not.toEqual(expect.arrayContaining(['ct-s3-pr-9']));
    expect(catalog.find((f) => f.name === 'ct-s3-pr-1')?.reportsOn).toEqual(['AWS::S3::Bucket']);
    expect(catalog.filter((f) => f.reportsOn.length === 0)).toEqual([]);
  });

  test('picks the rules for the resource types present, and only those', () => {
    const picked = rulesFor(catalog, new Set(['AWS::SQS::Queue', 'AWS::KMS::Key']));
    expect(picked.map((f) => f.name).sort()).toEqual(['ct-kms-pr-1', 'ct-kms-pr-2', 'ct-kms-pr-3', 'ct-sqs-pr-1', 'ct-sqs-pr-2']);
    expect(rulesFor(catalog, new Set(['AWS::SageMaker::Pipeline']))).toEqual([]);
  });

  test('finds what the full rule set finds, acknowledgeable under the validator name', () => {
    const build = (plugin: IPolicyValidationPlugin, acknowledge = false): App => {
      const app = new App({ outdir: tempDir() });
      const stack = new Stack(app, 'churn-test');
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
      new s3.Bucket(stack, 'Bucket', { encryptionKey: key, enforceSSL: true, versioned: true });
      if (acknowledge) Validations.of(queue).acknowledge({ id: 'cdk-validator-cfnguard::sqs_dlq_check', reason: 'test' });
      Validations.of(app).addPlugins(plugin);
      return app;
    };
    const findings = (app: App): string[] => {
      synthTemplates(app);
      return validationFindings(app.outdir);
    };
    const full = findings(build(new CfnGuardValidator({ disabledRules: APP_WIDE_DISABLED_CONTROLS.map((c) => c.file) })));
    const selected = findings(build(new ControlTowerPlugin()));
    expect(selected).toEqual(full);
    expect(selected).toContain('cdk-validator-cfnguard sqs_dlq_check (CT.SQS.PR.1) churn-test/Queue/Resource');
    expect(selected).toContain('cdk-validator-cfnguard s3_bucket_logging_enabled_check (CT.S3.PR.2) churn-test/Bucket/Resource');
    expect(findings(build(new ControlTowerPlugin(), true))).not.toContain('cdk-validator-cfnguard sqs_dlq_check (CT.SQS.PR.1) churn-test/Queue/Resource');
  });
});
