import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { CfnResourceJson, StackTemplate, readCloudAssembly } from '../../../src/app/compliance/template';

/** A fresh output directory, so synth never touches the working tree. */
export function tmpOutdir(prefix = 'aidlc-compliance-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Synthesizes an app and reads its templates. CDK writes every template before the validation
 * plugins run, so templates are returned even when a plugin rejects the app; any other synth
 * error is rethrown.
 */
export function synthTemplates(app: App): StackTemplate[] {
  try {
    app.synth();
  } catch (e) {
    if (!/Validation failed/.test(String(e))) throw e;
  }
  return readCloudAssembly(app.outdir);
}

/** A one-stack template set built from resources, for unit tests. */
export function stackOf(resources: Record<string, CfnResourceJson>, stackName = 'churn-test'): StackTemplate[] {
  return [{ stackName, template: { Resources: resources } }];
}

/** A role with one inline policy. */
export function roleWith(statements: unknown[], extra: Record<string, unknown> = {}): CfnResourceJson {
  return {
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }], ...extra },
    Metadata: { 'aws:cdk:path': 'churn-test/Role/Resource' },
  };
}
