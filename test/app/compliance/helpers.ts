import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { CfnResourceJson, StackTemplate, readCloudAssembly } from '../../../src/core/templates/template';

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
    if (!/validation ?failed/i.test(`${(e as Error).name} ${String(e)}`)) throw e;
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

interface ValidationReportJson {
  readonly pluginReports?: Array<{
    readonly pluginName: string;
    readonly violations?: Array<{
      readonly ruleName: string;
      readonly description?: string;
      readonly violatingConstructs?: Array<{ readonly constructPath?: string }>;
    }>;
  }>;
}

/**
 * The unacknowledged findings of the last synth, one `plugin rule construct-path` line each,
 * read from the `validation-report.json` CDK writes next to the templates (none when it passed).
 */
export function validationFindings(outdir: string): string[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReportJson;
  const lines: string[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      const ctId = /^\[(CT\.[A-Z0-9.]+)\]/.exec(v.description ?? '')?.[1];
      for (const c of v.violatingConstructs ?? []) {
        lines.push(`${plugin.pluginName} ${v.ruleName}${ctId ? ` (${ctId})` : ''} ${c.constructPath ?? '?'}`);
      }
    }
  }
  return lines.sort();
}
