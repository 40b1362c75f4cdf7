import { TemplateFinding } from './findings';
import { GuardrailRule, IAM_RULES } from './guardrail-rules';
import { mayUseWildcardResource } from './iam-wildcard-resource-allowlist';
import { LocatedResource, StackTemplate, asList, isIntrinsic, isRecord, renderValue, resourcesOf } from './template';

/** One policy document found in a template. */
interface PolicyDocumentRef {
  readonly resource: LocatedResource;
  /** Where the document sits in the resource's properties. */
  readonly location: string;
  readonly document: unknown;
  /** Resource policies of a key name the key itself with `*`: skip the resource check there. */
  readonly resourceIsImplicit: boolean;
}

/** A policy document the audit read. */
export interface CheckedPolicy {
  readonly stack: string;
  readonly logicalId: string;
  readonly location: string;
}

/** What the audit looked at, for reports that show coverage as well as findings. */
export interface IamAuditResult {
  readonly findings: TemplateFinding[];
  /** Number of Allow statements checked. */
  readonly statementsChecked: number;
  /** Every policy document checked. */
  readonly policiesChecked: CheckedPolicy[];
}

const IDENTITY_POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy'];
const INLINE_POLICY_HOLDERS = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];
const RESOURCE_POLICY_TYPES = ['AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy'];

function policyDocuments(stacks: readonly StackTemplate[]): PolicyDocumentRef[] {
  const docs: PolicyDocumentRef[] = [];
  for (const r of resourcesOf(stacks, ...IDENTITY_POLICY_TYPES, ...RESOURCE_POLICY_TYPES)) {
    docs.push({ resource: r, location: 'PolicyDocument', document: r.properties.PolicyDocument, resourceIsImplicit: false });
  }
  for (const r of resourcesOf(stacks, ...INLINE_POLICY_HOLDERS)) {
    asList(r.properties.Policies).forEach((p, i) => {
      docs.push({ resource: r, location: `Policies[${i}].PolicyDocument`, document: isRecord(p) ? p.PolicyDocument : undefined, resourceIsImplicit: false });
    });
  }
  for (const r of resourcesOf(stacks, 'AWS::KMS::Key')) {
    if (r.properties.KeyPolicy !== undefined) {
      docs.push({ resource: r, location: 'KeyPolicy', document: r.properties.KeyPolicy, resourceIsImplicit: true });
    }
  }
  return docs;
}

function finding(doc: PolicyDocumentRef, rule: GuardrailRule, location: string, message: string): TemplateFinding {
  const r = doc.resource;
  return { rule: rule.id, stack: r.stack, logicalId: r.logicalId, path: r.path, location, message, templatePath: r.templatePath };
}

/** `*`, or an ARN whose resource part is only `*` (every resource of a service). */
export function isWildcardResource(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.replace(/\$\{[^}]*\}/g, 'x').split(':');
  return parts[0] === 'arn' && parts.length === 6 && parts[5] === '*';
}

/** The account root as a principal: its ARN or the bare account id, literal or from `AWS::AccountId`. */
function isAccountRoot(principal: unknown): boolean {
  const text = renderValue(principal) ?? '';
  return /^arn:(\$\{AWS::Partition\}|[a-z-]+):iam::(\d{12}|\$\{AWS::AccountId\}):root$/.test(text) || /^(\d{12}|\$\{AWS::AccountId\})$/.test(text);
}

/** `kms:*` for the account root alone in a key policy: see `KEY_POLICY_ROOT_DELEGATION`. */
function isRootDelegation(statement: Record<string, unknown>, actions: string[]): boolean {
  if (actions.length !== 1 || actions[0] !== 'kms:*' || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  if (!isRecord(principal) || Object.keys(principal).length !== 1) return false;
  const roots = asList(principal.AWS);
  return roots.length === 1 && isAccountRoot(roots[0]);
}

function checkStatement(doc: PolicyDocumentRef, statement: unknown, location: string): TemplateFinding[] {
  if (!isRecord(statement) || isIntrinsic(statement)) {
    return [finding(doc, IAM_RULES.unreadablePolicy, location, 'statement is not a plain object')];
  }
  if (statement.Effect !== 'Allow') return [];
  const out: TemplateFinding[] = [];
  if (statement.NotAction !== undefined) {
    out.push(finding(doc, IAM_RULES.notAction, location, `Allow with NotAction ${JSON.stringify(statement.NotAction)} grants every other action`));
  }
  const actions = asList(statement.Action).map((a) => renderValue(a) ?? JSON.stringify(a));
  if (doc.resourceIsImplicit && isRootDelegation(statement, actions)) return out;
  for (const action of actions) {
    if (action === '*') {
      out.push(finding(doc, IAM_RULES.wildcardAction, location, 'Allow "*" grants every action of every service'));
    } else if (/^[A-Za-z0-9-]+:\*$/.test(action)) {
      out.push(finding(doc, IAM_RULES.serviceWildcardAction, location, `Allow "${action}" grants every action of the service`));
    }
  }
  if (doc.resourceIsImplicit) return out;
  if (statement.NotResource !== undefined) {
    out.push(finding(doc, IAM_RULES.notResource, location, `Allow with NotResource ${JSON.stringify(statement.NotResource)} grants every other resource`));
  }
  const wildcards = asList(statement.Resource).map((r) => renderValue(r)).filter((r): r is string => r !== undefined && isWildcardResource(r));
  if (wildcards.length > 0) {
    const notAllowed = actions.filter((a) => !mayUseWildcardResource(a));
    if (notAllowed.length > 0) {
      out.push(finding(doc, IAM_RULES.wildcardResource, location,
        `${notAllowed.join(', ')} on "${wildcards.join('", "')}": these actions support resource-level permissions (not in the wildcard-resource allowlist)`));
    }
  }
  return out;
}

function checkManagedPolicies(stacks: readonly StackTemplate[]): TemplateFinding[] {
  const out: TemplateFinding[] = [];
  for (const r of resourcesOf(stacks, ...INLINE_POLICY_HOLDERS)) {
    asList(r.properties.ManagedPolicyArns).forEach((arn, i) => {
      const text = renderValue(arn) ?? '';
      if (/:iam::aws:policy\//.test(text)) {
        out.push({
          rule: IAM_RULES.awsManagedPolicy.id,
          stack: r.stack,
          logicalId: r.logicalId,
          path: r.path,
          location: `ManagedPolicyArns[${i}]`,
          message: `AWS managed policy ${text.replace(/^.*:policy\//, '')} grants permissions this audit cannot see; write the statements instead`,
          templatePath: r.templatePath,
        });
      }
    });
  }
  return out;
}

/**
 * Least-privilege audit of synthesized templates. Flags, in every identity policy (roles, users,
 * groups, policies) and every bucket, topic, queue and key policy:
 * - Allow of `*` or `service:*` actions, and Allow with `NotAction`;
 * - Allow on a `*` resource (or an ARN ending in `:*`) for any action outside
 *   `WILDCARD_RESOURCE_ALLOWLIST` (key policies excepted: there `*` means the key itself);
 * - the one exception to the first rule is `KEY_POLICY_ROOT_DELEGATION`: `kms:*` for the
 *   account root alone, in a key policy;
 * - Allow with `NotResource`, and AWS managed policies attached to roles, users and groups.
 * Deny statements are not findings: a broad deny only narrows.
 */
export function auditIam(stacks: readonly StackTemplate[]): IamAuditResult {
  const findings: TemplateFinding[] = [];
  const policiesChecked: CheckedPolicy[] = [];
  let statementsChecked = 0;
  for (const doc of policyDocuments(stacks)) {
    policiesChecked.push({ stack: doc.resource.stack, logicalId: doc.resource.logicalId, location: doc.location });
    if (!isRecord(doc.document) || isIntrinsic(doc.document) || doc.document.Statement === undefined) {
      findings.push(finding(doc, IAM_RULES.unreadablePolicy, doc.location, 'policy document is missing, an intrinsic, or has no Statement'));
      continue;
    }
    asList(doc.document.Statement).forEach((statement, i) => {
      if (isRecord(statement) && statement.Effect === 'Allow') statementsChecked++;
      findings.push(...checkStatement(doc, statement, `${doc.location}.Statement[${i}]`));
    });
  }
  findings.push(...checkManagedPolicies(stacks));
  return { findings, statementsChecked, policiesChecked };
}
