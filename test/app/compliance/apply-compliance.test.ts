import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CONTROL_TOWER_CONTEXT_KEY, applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { nagPacks } from '../../../src/app/compliance/nag-packs';
import { AidlcConfig, CompliancePack, ResolvedConfig } from '../../../src/config';
import { GUARDRAILS_PLUGIN_NAME } from '../../../src/core/templates/guardrail-rules';
import { synthTemplates, validationFindings } from '../../support/compliance';
import { tempDir } from '../../support/temp-dirs';

// Each synth runs external validators (cfn-guard spawns a binary per run).
jest.setTimeout(180_000);

function config(packs?: CompliancePack[]): ResolvedConfig {
  return AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', security: packs ? { compliancePacks: packs } : undefined });
}

function appWithBucket(context: Record<string, unknown> = {}): { app: App; stack: Stack; bucket: s3.Bucket } {
  const app = new App({ outdir: tempDir(), context });
  const stack = new Stack(app, 'churn-test', { env: { region: 'us-east-1' } });
  const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
  return { app, stack, bucket };
}

function findingsAfterSynth(app: App): string[] {
  synthTemplates(app);
  return validationFindings(app.outdir);
}

describe('nagPacks', () => {
  test('runs all four packs by default, in config order', () => {
    expect(nagPacks(new App(), config().security.compliancePacks).map((p) => p.readPackName)).toEqual([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321',
    ]);
  });

  test('runs only the packs the config names, once each', () => {
    const packs = [CompliancePack.PCI_DSS_321, CompliancePack.PCI_DSS_321, CompliancePack.HIPAA_SECURITY];
    expect(nagPacks(new App(), packs).map((p) => p.readPackName)).toEqual(['PCI.DSS.321', 'HIPAA.Security']);
    expect(nagPacks(new App(), [])).toEqual([]);
  });
});

describe('applyCompliance', () => {
  test('fails synth on cdk-nag findings of the configured packs, and an acknowledgement clears one', () => {
    const { app, bucket } = appWithBucket();
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S10', reason: 'test: acknowledged on the construct that has it' });
    applyCompliance(app, config([CompliancePack.AWS_SOLUTIONS]), { controlTower: false, guardrails: false });
    const findings = findingsAfterSynth(app);
    expect(findings).toContain('AwsSolutions AwsSolutions-S1 churn-test/Bucket/Resource');
    expect(findings.filter((f) => !f.startsWith('AwsSolutions '))).toEqual([]);
    expect(findings.join('\n')).not.toContain('AwsSolutions-S10');
  });

  test('runs the Control Tower controls without the app-wide disabled ones', () => {
    const { app, bucket } = appWithBucket();
    Validations.of(bucket).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: 'test: per-resource acknowledgement' });
    applyCompliance(app, config([]), { guardrails: false });
    const findings = findingsAfterSynth(app);
    expect(findings).toContain('cdk-validator-cfnguard s3_bucket_level_public_access_prohibited_check (CT.S3.PR.1) churn-test/Bucket/Resource');
    expect(findings).toContain('cdk-validator-cfnguard s3_bucket_default_encryption_kms_check (CT.S3.PR.10) churn-test/Bucket/Resource');
    const text = findings.join('\n');
    expect(text).not.toContain('CT.S3.PR.9)');
    expect(text).not.toContain('CT.S3.PR.4)');
    expect(text).not.toContain('CT.S3.PR.2)');
  });

  test('runs the least-privilege guardrails at synth; an acknowledgement on the construct clears them', () => {
    const build = (acknowledge: boolean): App => {
      const app = new App({ outdir: tempDir(), context: { [CONTROL_TOWER_CONTEXT_KEY]: 'false' } });
      const stack = new Stack(app, 'churn-test');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::churn-data/*'] }));
      if (acknowledge) {
        Validations.of(role).acknowledge({ id: `${GUARDRAILS_PLUGIN_NAME}::IAM_SERVICE_WILDCARD_ACTION`, reason: 'test' });
      }
      applyCompliance(app, config([]));
      return app;
    };
    expect(findingsAfterSynth(build(false))).toEqual([`${GUARDRAILS_PLUGIN_NAME} IAM_SERVICE_WILDCARD_ACTION churn-test/Role/DefaultPolicy/Resource`]);
    expect(findingsAfterSynth(build(true))).toEqual([]);
  });

  test('acknowledging one Control Tower finding leaves synth failing on the others', () => {
    const { app, bucket } = appWithBucket();
    Validations.of(bucket).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: 'test: one finding acknowledged' });
    applyCompliance(app, config([]), { guardrails: false });
    expect(() => app.synth()).toThrow(/CT\.S3\.PR\.1\]/);
  });

  test('acknowledging one guardrail finding leaves synth failing on another construct\'s', () => {
    const app = new App({ outdir: tempDir(), context: { [CONTROL_TOWER_CONTEXT_KEY]: 'false' } });
    const stack = new Stack(app, 'churn-test');
    const roles = ['A', 'B'].map((id) => {
      const role = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::churn-data/*'] }));
      return role;
    });
    Validations.of(roles[0]).acknowledge({ id: `${GUARDRAILS_PLUGIN_NAME}::IAM_SERVICE_WILDCARD_ACTION`, reason: 'test' });
    applyCompliance(app, config([]));
    expect(() => app.synth()).toThrow(/churn-test\/B\/DefaultPolicy\/Resource/);
  });

  test('with no packs and every switch off, synth passes; a second call adds nothing', () => {
    const { app } = appWithBucket({ [CONTROL_TOWER_CONTEXT_KEY]: false });
    applyCompliance(app, config([]), { guardrails: false });
    applyCompliance(app, config(), {});
    expect(() => app.synth()).not.toThrow();
  });
});
