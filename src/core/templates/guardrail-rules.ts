/**
 * The one table of the guardrail audits' rules: each rule's id, as findings, reports and
 * acknowledgements name it, beside the fix the synth report prints with it. The audits, the
 * synth-time plugin and the constructs that acknowledge a rule all read it from here.
 */

/** Name the guardrails report under; acknowledgements use `aidlc-guardrails::<RULE>`. */
export const GUARDRAILS_PLUGIN_NAME = 'aidlc-guardrails';

/** A rule of the guardrail audits. */
export interface GuardrailRule {
  /** The rule id, e.g. `IAM_WILDCARD_ACTION`. */
  readonly id: string;
  /** What to do about a finding of it. */
  readonly fix: string;
}

/** Rules of the least-privilege audit (`auditIam`). */
export const IAM_RULES = {
  wildcardAction: {
    id: 'IAM_WILDCARD_ACTION',
    fix: 'Name the actions the principal calls.',
  },
  serviceWildcardAction: {
    id: 'IAM_SERVICE_WILDCARD_ACTION',
    fix: 'Name the actions the principal calls (CDK grant methods do).',
  },
  notAction: {
    id: 'IAM_NOT_ACTION',
    fix: 'Allow a list of actions instead of everything but some.',
  },
  wildcardResource: {
    id: 'IAM_WILDCARD_RESOURCE',
    fix: 'Name the resource ARNs; only actions in WILDCARD_RESOURCE_ALLOWLIST may use "*".',
  },
  notResource: {
    id: 'IAM_NOT_RESOURCE',
    fix: 'Allow a list of resources instead of everything but some.',
  },
  awsManagedPolicy: {
    id: 'IAM_AWS_MANAGED_POLICY',
    fix: 'Pass a role whose statements you write (for a Lambda function: a role with its own log permissions).',
  },
  unreadablePolicy: {
    id: 'IAM_UNREADABLE_POLICY',
    fix: 'Write the policy document as an object with a Statement list.',
  },
} as const satisfies Record<string, GuardrailRule>;

/** Rules of the network isolation audit (`auditNetworkIsolation`). */
export const NETWORK_RULES = {
  notIsolated: {
    id: 'NETWORK_NOT_ISOLATED',
    fix: 'Set EnableNetworkIsolation to true (NetworkConfig.EnableNetworkIsolation for processing and monitoring jobs).',
  },
  notInVpc: {
    id: 'NETWORK_NOT_IN_VPC',
    fix: 'Give the job or model a VpcConfig with the private subnets of the model\'s network and a security group of its own.',
  },
  publicSubnet: {
    id: 'NETWORK_PUBLIC_SUBNET',
    fix: 'Run the job in private subnets.',
  },
  noVpcEndpoints: {
    id: 'NETWORK_NO_VPC_ENDPOINTS',
    fix: 'Add an S3 gateway endpoint to the VPC.',
  },
  functionOutsideVpc: {
    id: 'NETWORK_FUNCTION_OUTSIDE_VPC',
    fix: 'Pass the network to the construct (its function then runs in the private subnets), or acknowledge why it must reach the internet.',
  },
  openIngress: {
    id: 'NETWORK_OPEN_INGRESS',
    fix: 'Admit only the workloads\' security groups.',
  },
  openEgress: {
    id: 'NETWORK_OPEN_EGRESS',
    fix: 'Send HTTPS only to the endpoints\' security group and the S3 prefix list (IModelNetwork.securityGroupFor).',
  },
  internetRoute: {
    id: 'NETWORK_INTERNET_ROUTE',
    fix: 'Remove the gateway or route: the model\'s network reaches AWS through endpoints only.',
  },
  dataOutsideBoundary: {
    id: 'NETWORK_DATA_OUTSIDE_BOUNDARY',
    fix: 'Give the lake the network\'s data boundary (DataLakeProps.dataBoundary).',
  },
} as const satisfies Record<string, GuardrailRule>;

/** Rules of reading the SageMaker jobs out of a template (`findSageMakerJobs`). */
export const SAGEMAKER_RULES = {
  definitionUnreadable: {
    id: 'SAGEMAKER_DEFINITION_UNREADABLE',
    fix: 'Keep the definition inline and valid JSON so it can be checked.',
  },
} as const satisfies Record<string, GuardrailRule>;

/** Every rule the guardrails report. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  ...Object.values(IAM_RULES),
  ...Object.values(NETWORK_RULES),
  ...Object.values(SAGEMAKER_RULES),
];

/** The fix of a rule id; undefined for an id that is not a guardrail rule. */
export function guardrailFix(ruleId: string): string | undefined {
  return GUARDRAIL_RULES.find((r) => r.id === ruleId)?.fix;
}

/** The id that acknowledges a rule on a construct: `aidlc-guardrails::<RULE>`. */
export function guardrailAcknowledgement(rule: GuardrailRule): string {
  return `${GUARDRAILS_PLUGIN_NAME}::${rule.id}`;
}
