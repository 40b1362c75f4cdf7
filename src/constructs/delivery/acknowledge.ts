import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { rules } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Turns a value (a string with tokens) into the text compliance findings use for it, as resolved
 * in the construct's stack: `<Logical.Arn>` for an attribute, `<Logical>` for a reference, the
 * export name for a value imported from another stack.
 */
export type FindingText = (value: string) => string;

/** A wildcard an IAM policy under a construct may hold, and why. */
export interface WildcardAllowance {
  /** The AwsSolutions-IAM5 finding(s) allowed, e.g. `Action::s3:GetObject*` or `Resource::<Bucket.Arn>/*`. */
  readonly findings: (text: FindingText) => string[];
  readonly reason: string;
  /** Only policies under this construct may hold them (default: any under the acknowledging construct). */
  readonly within?: IConstruct;
}

/** A rule acknowledged for every resource under a construct, and why. */
export interface RuleAcknowledgement {
  /** Rule ids, one per pack that has the rule, e.g. `HIPAA.Security-IAMNoInlinePolicy`. */
  readonly ids: string[];
  readonly reason: string;
  /** The construct the rule is acknowledged on (default: the acknowledging construct). */
  readonly on?: IConstruct;
}

/**
 * Records the construct's acknowledgements: whole rules on the construct (its resources inherit
 * them), and IAM wildcards finding by finding.
 *
 * A wildcard finding names resolved references (`<Bucket1234.Arn>/*`, or the export of another
 * stack), known only once the app is prepared; allowances are therefore turned into finding ids
 * when the tree is validated, right before the compliance packs run. Only findings that a policy
 * under the construct actually has are acknowledged; any other wildcard stays a finding.
 */
export function acknowledgeFindings(scope: IConstruct, acknowledgements: RuleAcknowledgement[], wildcards: WildcardAllowance[]): void {
  for (const ack of acknowledgements) {
    for (const id of ack.ids) Validations.of(ack.on ?? scope).acknowledge({ id, reason: ack.reason });
  }
  if (wildcards.length === 0) return;
  scope.node.addValidation({
    validate: () => {
      const stack = Stack.of(scope);
      const text: FindingText = (value) => flatten(stack.resolve(value));
      const allowed = wildcards.map((w) => ({ findings: new Set(w.findings(text)), reason: w.reason, within: w.within ?? scope }));
      for (const node of scope.node.findAll()) {
        if (!CfnResource.isCfnResource(node)) continue;
        const findings = rules.iam.IAMNoWildcardPermissions(node);
        if (!Array.isArray(findings)) continue;
        for (const finding of findings) {
          const allowance = allowed.find((a) => a.findings.has(finding) && isWithin(node, a.within));
          if (allowance) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: allowance.reason });
        }
      }
      return [];
    },
  });
}

function isWithin(node: IConstruct, ancestor: IConstruct): boolean {
  return node.node.scopes.includes(ancestor);
}

/** The acknowledgement id of a Control Tower proactive control (its cfn-guard rule). */
export function controlTowerRule(rule: string): string {
  return `cdk-validator-cfnguard::${rule}`;
}

/** The three packs that share a rule name (HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1). */
export function inCompliancePacks(rule: string): string[] {
  return [`HIPAA.Security-${rule}`, `NIST.800.53.R5-${rule}`, `PCI.DSS.321-${rule}`];
}

/** The finding text of a resolved CloudFormation value (the convention cdk-nag documents for acknowledgements). */
function flatten(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
    if (o.Ref) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(value);
}
