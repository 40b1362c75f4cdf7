import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A wildcard a policy is meant to have, and why.
 */
export interface IntendedWildcard {
  /** Matches the finding text, e.g. `Resource::<Bucket.Arn>/data-capture/...` or `Action::s3:GetObject*`. */
  readonly match: RegExp;
  /** Why the wildcard is needed, recorded with the acknowledgement. */
  readonly reason: string;
}

/**
 * Acknowledges the cdk-nag `AwsSolutions-IAM5` findings of a managed policy that match an
 * intended wildcard, and only those: a wildcard nobody declared still fails the build.
 *
 * The finding ids embed the resolved policy (cross-stack references become imports), which is
 * only known once the app is prepared, so they are computed in a construct validation. Those run
 * after references are resolved and before validation plugins such as cdk-nag.
 */
export function acknowledgeWildcards(policy: iam.ManagedPolicy, wildcards: IntendedWildcard[]): void {
  policy.node.addValidation({
    validate: () => {
      const cfn = policy.node.defaultChild as iam.CfnManagedPolicy;
      const document = Stack.of(cfn).resolve(cfn.policyDocument);
      for (const finding of wildcardFindings(document)) {
        const intended = wildcards.find((w) => w.match.test(finding));
        if (intended) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: intended.reason });
      }
      return [];
    },
  });
}

/** The wildcard findings of a resolved policy document, worded as cdk-nag words them. */
export function wildcardFindings(document: { Statement?: any[] }): string[] {
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (typeof action === 'string' && action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource)) {
      const flat = flatten(resource);
      if (flat.includes('*')) findings.add(`Resource::${flat}`);
    }
  }
  return [...findings];
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function flatten(node: any): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return items.map(flatten).join(delimiter);
  }
  if (node['Fn::Sub']) return flatten(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flatten(node['Fn::ImportValue']);
  if (node.Ref) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(node);
}
