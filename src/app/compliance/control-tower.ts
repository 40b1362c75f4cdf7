import { readFileSync, readdirSync, statSync } from 'fs';
import { dirname, join, parse } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';

/** A Control Tower proactive control switched off for the whole app, and why. */
export interface DisabledControl {
  /** Control Tower id, as findings print it. */
  readonly control: string;
  /** The guard file's name in `@cdklabs/cdk-validator-cfnguard` (what `disabledRules` takes). */
  readonly file: string;
  /** The rule inside it (what a per-resource acknowledgement names: `cdk-validator-cfnguard::<rule>`). */
  readonly rule: string;
  readonly reason: string;
}

/**
 * The one list of Control Tower proactive controls this product turns off for every resource.
 * A control belongs here only when it fits none (or almost none) of the resources the product
 * creates; where a control fits most resources, the construct that has the exception
 * acknowledges it on that resource instead, with its own reason.
 */
export const APP_WIDE_DISABLED_CONTROLS: readonly DisabledControl[] = [
  {
    control: 'CT.S3.PR.9',
    file: 'ct-s3-pr-9',
    rule: 's3_bucket_object_lock_enabled_check',
    reason: 'S3 Object Lock makes objects undeletable for the retention period. Raw datasets, endpoint data capture '
      + 'and access logs must expire through lifecycle rules (data.rawToGlacierDays, log retention) and personal data '
      + 'must stay erasable on request (GDPR Art. 17); versioning and access logging cover the audit need instead. '
      + 'Object Lock can also only be turned on when a bucket is created, so no bucket of this product can adopt it later.',
  },
  {
    control: 'CT.S3.PR.4',
    file: 'ct-s3-pr-4',
    rule: 's3_event_notifications_enabled_check',
    reason: 'The chain reacts to pipeline and schedule events, not to object events: no consumer exists for '
      + 'notifications from the artifact, model, capture or access-log buckets, and a notification with no consumer '
      + 'is noise. A construct that does react to uploads configures its own notification.',
  },
];

/** One bundled Control Tower rule file and the resource types it reports on. */
export interface ControlTowerRuleFile {
  /** File name without `.guard`, e.g. `ct-s3-pr-1`. */
  readonly name: string;
  readonly path: string;
  /** Resource types from the file's `Reports on:` header; empty when the header is missing. */
  readonly reportsOn: string[];
}

/** Where `@cdklabs/cdk-validator-cfnguard` keeps the Control Tower rules. */
export function controlTowerRulesDir(): string {
  return join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
}

function guardFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? guardFiles(p) : p.endsWith('.guard') ? [p] : [];
  });
}

/** Every bundled rule file except the app-wide disabled ones. */
export function controlTowerRuleFiles(): ControlTowerRuleFile[] {
  const disabled = new Set(APP_WIDE_DISABLED_CONTROLS.map((c) => c.file));
  return guardFiles(controlTowerRulesDir())
    .filter((p) => !disabled.has(parse(p).name))
    .map((p) => {
      const header = /#\s*Reports on:\s*\n((?:#\s+AWS::\S+.*\n)+)/.exec(readFileSync(p, 'utf8'));
      return { name: parse(p).name, path: p, reportsOn: header ? header[1].match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [] : [] };
    });
}

/** The rule files that can report on any of the given resource types (files without a header always run). */
export function rulesFor(files: readonly ControlTowerRuleFile[], resourceTypes: ReadonlySet<string>): ControlTowerRuleFile[] {
  return files.filter((f) => f.reportsOn.length === 0 || f.reportsOn.some((t) => resourceTypes.has(t)));
}

const PLUGIN_NAME = 'cdk-validator-cfnguard';

/**
 * The AWS Control Tower proactive controls through `@cdklabs/cdk-validator-cfnguard`, minus
 * `APP_WIDE_DISABLED_CONTROLS`. A rule only reports on resources of its own types and skips a
 * template without them, so this runs cfn-guard with just the rules for the types the templates
 * hold: the same findings at a fraction of the cost. Reports under the validator's own name, so
 * acknowledgements stay `cdk-validator-cfnguard::<rule>`.
 */
export class ControlTowerPlugin implements IPolicyValidationPlugin {
  public readonly name = PLUGIN_NAME;
  public readonly ruleIds: string[];
  private readonly files = controlTowerRuleFiles();

  constructor() {
    this.ruleIds = this.files.map((f) => f.name);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const types = new Set<string>();
    for (const path of context.templatePaths) {
      const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
      for (const r of Object.values(template.Resources ?? {})) if (r.Type) types.add(r.Type);
    }
    const rules = rulesFor(this.files, types);
    if (rules.length === 0) return { success: true, violations: [] };
    const validator = new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules: rules.map((r) => r.path),
      // Guard's JSON output grows with every template and rule; the Node default of 1 MB is too small.
      maxBuffer: 256 * 1024 * 1024,
    });
    const report = validator.validate(context);
    // The validator leaves `severity` unset. Once any finding is acknowledged, CDK recomputes the
    // report's success from the severities of what remains, so without this every other finding
    // would pass silently.
    return { ...report, violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })) };
  }
}
