import { asList, getPath, isRecord, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromConfig, fromResource } from '../evidence';

/** The `sub` values a trust policy accepts from GitHub's OIDC provider. */
export function githubSubjects(trust: unknown): string[] {
  const subjects: string[] = [];
  for (const s of asList(getPath(trust, 'Statement'))) {
    if (!isRecord(s) || !JSON.stringify(s.Principal ?? '').includes('token.actions.githubusercontent.com')) continue;
    for (const op of Object.values(isRecord(s.Condition) ? s.Condition : {})) {
      const sub = isRecord(op) ? op['token.actions.githubusercontent.com:sub'] : undefined;
      subjects.push(...asList(sub).map(String));
    }
  }
  return subjects;
}

/**
 * Least privilege: the IAM audit over every policy (its findings are the exceptions), GitHub
 * OIDC roles bound to repository subjects, permissions boundaries.
 */
export function leastPrivilege(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const f of ctx.iam.findings) {
    out.exceptions.push({ source: 'cdk.out', stack: f.stack, logicalId: f.logicalId, property: f.location, value: f.rule, note: f.message });
  }
  if (ctx.iam.policiesChecked.length > 0) {
    const byStack = new Map<string, number>();
    for (const p of ctx.iam.policiesChecked) byStack.set(p.stack, (byStack.get(p.stack) ?? 0) + 1);
    for (const [stack, count] of byStack) {
      const offenders = ctx.iam.findings.filter((f) => f.stack === stack).length;
      out.evidence.push({
        source: 'cdk.out',
        stack,
        property: 'IAM policies',
        value: `${count} policy document(s) audited`,
        note: offenders === 0 ? 'no wildcard actions; "*" resources only for actions that support nothing narrower' : `${offenders} finding(s), listed as exceptions`,
      });
    }
  }
  for (const role of resourcesOf(ctx.stacks, 'AWS::IAM::Role')) {
    const subjects = githubSubjects(role.properties.AssumeRolePolicyDocument);
    if (subjects.length > 0) {
      out.evidence.push(fromResource(role, 'AssumeRolePolicyDocument.Condition[token.actions.githubusercontent.com:sub]', subjects.join(', '), 'GitHub OIDC: short-lived credentials for this repository only'));
    }
    if (role.properties.PermissionsBoundary !== undefined) {
      out.evidence.push(fromResource(role, 'PermissionsBoundary', role.properties.PermissionsBoundary, 'permissions boundary'));
    }
  }
  if (ctx.config) {
    out.evidence.push(fromConfig('security.compliancePacks', ctx.config.security.compliancePacks.join(', ') || 'none', 'the packs check IAM wildcards on every synth'));
  }
  return out;
}
