import { readFileSync } from 'fs';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { TemplateFinding } from '../../core/templates/findings';
import { GUARDRAILS_PLUGIN_NAME, GUARDRAIL_RULES, guardrailFix } from '../../core/templates/guardrail-rules';
import { auditIam } from '../../core/templates/iam-audit';
import { NetworkAuditOptions, auditNetworkIsolation } from '../../core/templates/network-audit';
import { CfnTemplateJson, StackTemplate } from '../../core/templates/template';

/** Groups findings into the report shape CDK prints, one violation per rule. */
export function toViolations(findings: readonly TemplateFinding[]): PolicyViolation[] {
  const byRule = new Map<string, TemplateFinding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  return [...byRule.entries()].map(([rule, list]) => ({
    ruleName: rule,
    // Explicit: once any finding of a report is acknowledged, CDK recomputes the report's success
    // from the severities of what remains, and a violation without one counts as passing.
    severity: 'error',
    description: list.map((f) => `${f.stack}/${f.logicalId}: ${f.message}`).join('\n'),
    fix: guardrailFix(rule),
    violatingResources: list.map((f) => ({ resourceLogicalId: f.logicalId, templatePath: f.templatePath ?? '', locations: [f.location] })),
  }));
}

/**
 * A synth-time validation plugin that runs the least-privilege audit and the network isolation
 * audit over every template of the app, so a generated repository's `cdk synth` fails on a
 * `*` action, a `*` resource outside the allowlist, or a SageMaker job without isolation.
 */
export class GuardrailsPlugin implements IPolicyValidationPlugin {
  public readonly name = GUARDRAILS_PLUGIN_NAME;
  public readonly ruleIds = GUARDRAIL_RULES.map((r) => r.id);

  constructor(private readonly network: NetworkAuditOptions = {}) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks: StackTemplate[] = context.stackTemplates.map((s) => ({
      stackName: s.stackConstructPath,
      templatePath: s.templatePath,
      template: JSON.parse(readFileSync(s.templatePath, 'utf8')) as CfnTemplateJson,
    }));
    const findings = [
      ...auditIam(stacks).findings,
      ...auditNetworkIsolation(stacks, this.network).findings,
    ];
    return { success: findings.length === 0, violations: toViolations(findings) };
  }
}
