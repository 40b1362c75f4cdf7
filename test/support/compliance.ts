import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { StackTemplate, readCloudAssembly } from '../../src/core/templates/template';

/** The four compliance packs of the design. */
function compliancePacks(app?: App) {
  return [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app)];
}

/** Adds the four compliance packs to the app as validation plugins: synthesis fails on any unacknowledged finding. */
export function withCompliancePacks(app: App): App {
  Validations.of(app).addPlugins(...compliancePacks(app));
  return app;
}

/**
 * Unacknowledged findings of the four compliance packs on a construct tree, as sorted
 * `rule construct-path` lines. The app is synthesized first, so its aspects have run.
 */
export function nagFindings(scope: IConstruct): string[] {
  const root = scope.node.root;
  if (App.isApp(root)) root.synth();
  const lines: string[] = [];
  for (const pack of compliancePacks(App.isApp(root) ? root : undefined)) {
    for (const violation of pack.validateScope(scope).violations) {
      for (const resource of violation.violatingResources) lines.push(`${violation.ruleName} ${resource.constructPath}`);
    }
  }
  return lines.sort();
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
