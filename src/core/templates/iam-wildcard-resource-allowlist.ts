/**
 * The one list of IAM actions a policy may grant on `Resource: "*"`, and why.
 *
 * An action belongs here only when the Service Authorization Reference lists no resource type
 * for it, so IAM accepts nothing narrower than `*`. Everything else must name its resources.
 * Matching is exact (case-insensitive); a partial wildcard such as `kms:GenerateDataKey*` never
 * matches, so `*` resources cannot ride along with it.
 *
 * Checked against: the Service Authorization Reference for X-Ray (no resource type for these
 * actions); the CloudWatch permissions reference (metric actions take `*` as the resource); the
 * EC2 API reference (Describe* actions support no resource-level permissions); the ECR user guide's
 * least-privilege push and pull policies (repository actions on the repository ARN, the token on `*`).
 */
export const WILDCARD_RESOURCE_ALLOWLIST: Readonly<Record<string, string>> = {
  'cloudwatch:PutMetricData':
    'CloudWatch metrics have no ARN; the drift engine and training jobs publish metrics (narrow it with the cloudwatch:namespace condition key).',
  'cloudwatch:GetMetricData':
    'Metric reads have no resource type in the CloudWatch permissions reference; the release follow-up reads endpoint metrics.',
  'cloudwatch:GetMetricStatistics':
    'Same as GetMetricData: metric reads take no resource ARN.',
  'cloudwatch:ListMetrics':
    'Listing metrics is account-wide; no resource type exists.',
  'ecr:GetAuthorizationToken':
    'The registry login token is account-wide; the ECR guide\'s least-privilege policies grant it on "*" and scope the image actions to the repository.',
  'xray:PutTraceSegments':
    'X-Ray lists no resource type for it; CDK grants it to traced Lambda functions.',
  'xray:PutTelemetryRecords':
    'X-Ray lists no resource type for it; CDK grants it to traced Lambda functions.',
  'xray:GetSamplingRules':
    'X-Ray lists no resource type for it; the X-Ray SDK reads sampling rules.',
  'xray:GetSamplingTargets':
    'X-Ray lists no resource type for it; the X-Ray SDK requests sampling quotas.',
  'ec2:DescribeNetworkInterfaces':
    'EC2 Describe* actions support no resource-level permissions; SageMaker and CodeBuild in a VPC need them.',
  'ec2:DescribeVpcs':
    'EC2 Describe* actions support no resource-level permissions; SageMaker and CodeBuild in a VPC need them.',
  'ec2:DescribeSubnets':
    'EC2 Describe* actions support no resource-level permissions; SageMaker and CodeBuild in a VPC need them.',
  'ec2:DescribeSecurityGroups':
    'EC2 Describe* actions support no resource-level permissions; SageMaker and CodeBuild in a VPC need them.',
  'ec2:DescribeDhcpOptions':
    'EC2 Describe* actions support no resource-level permissions; CodeBuild in a VPC needs it.',
};

const LOWERCASE = new Map(Object.keys(WILDCARD_RESOURCE_ALLOWLIST).map((a) => [a.toLowerCase(), a]));

/** Whether an action may be granted on `*`. */
export function mayUseWildcardResource(action: string): boolean {
  return LOWERCASE.has(action.toLowerCase());
}

/**
 * The one statement allowed a `service:*` action: in a KMS key policy, `kms:*` for the key's own
 * account root principal and nobody else. That statement grants no workload anything; it delegates
 * the key to the account's IAM policies (AWS's default key policy, and what CDK writes), which this
 * audit checks statement by statement, and it keeps the key manageable. `kms:*` for any other
 * principal, or in any other policy, is a finding.
 */
export const KEY_POLICY_ROOT_DELEGATION =
  'Allow kms:* to the account root in a key policy: delegation of the key to IAM, where every grant is audited';
