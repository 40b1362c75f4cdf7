import { readFileSync } from 'fs';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { TemplateFinding } from '../../core/templates/findings';
import { auditIam } from '../../core/templates/iam-audit';
import { NetworkAuditOptions, auditNetworkIsolation } from '../../core/templates/network-audit';
import { CfnTemplateJson, StackTemplate } from '../../core/templates/template';

/** Name the plugin reports under; acknowledgements use `aidlc-guardrails::<RULE>`. */
export const GUARDRAILS_PLUGIN_NAME = 'aidlc-guardrails';

const FIXES: Record<string, string> = {
  IAM_WILDCARD_ACTION: 'Name the actions the principal calls.',
  IAM_SERVICE_WILDCARD_ACTION: 'Name the actions the principal calls (CDK grant methods do).',
  IAM_NOT_ACTION: 'Allow a list of actions instead of everything but some.',
  IAM_WILDCARD_RESOURCE: 'Name the resource ARNs; only actions in WILDCARD_RESOURCE_ALLOWLIST may use "*".',
  IAM_NOT_RESOURCE: 'Allow a list of resources instead of everything but some.',
  IAM_AWS_MANAGED_POLICY: 'Pass a role whose statements you write (for a Lambda function: a role with its own log permissions).',
  IAM_UNREADABLE_POLICY: 'Write the policy document as an object with a Statement list.',
  NETWORK_NOT_ISOLATED: 'Set EnableNetworkIsolation to true (NetworkConfig.EnableNetworkIsolation for processing and monitoring jobs).',
  NETWORK_NOT_IN_VPC: 'Give the job or model a VpcConfig with the private subnets of the model\'s network and a security group of its own.',
  NETWORK_PUBLIC_SUBNET: 'Run the job in private subnets.',
  NETWORK_NO_VPC_ENDPOINTS: 'Add an S3 gateway endpoint to the VPC.',
  NETWORK_FUNCTION_OUTSIDE_VPC: 'Pass the network to the construct (its function then runs in the private subnets), or acknowledge why it must reach the internet.',
  NETWORK_OPEN_INGRESS: 'Admit only the workloads\' security groups.',
  NETWORK_OPEN_EGRESS: 'Send HTTPS only to the endpoints\' security group and the S3 prefix list (IModelNetwork.securityGroupFor).',
  NETWORK_INTERNET_ROUTE: 'Remove the gateway or route: the model\'s network reaches AWS through endpoints only.',
  NETWORK_DATA_OUTSIDE_BOUNDARY: 'Give the lake the network\'s data boundary (DataLakeProps.dataBoundary).',
  SAGEMAKER_DEFINITION_UNREADABLE: 'Keep the definition inline and valid JSON so it can be checked.',
};

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
    fix: FIXES[rule],
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
  public readonly ruleIds = Object.keys(FIXES);

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
