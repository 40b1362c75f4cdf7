import { formatFindings } from '../../../src/core/templates/findings';
import { IAM_RULES } from '../../../src/core/templates/guardrail-rules';
import { auditIam, isWildcardResource } from '../../../src/core/templates/iam-audit';
import { WILDCARD_RESOURCE_ALLOWLIST, mayUseWildcardResource } from '../../../src/core/templates/iam-wildcard-resource-allowlist';
import { roleWith, stackOf } from '../../support/audit-templates';

const BUCKET_ARN = { 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] };

function rules(statements: unknown[]): string[] {
  return auditIam(stackOf({ Role: roleWith(statements) })).findings.map((f) => f.rule);
}

describe('auditIam', () => {
  test('passes scoped statements, partial wildcards and allowlisted actions on "*"', () => {
    const result = auditIam(stackOf({
      Role: roleWith([
        { Effect: 'Allow', Action: ['s3:GetObject*', 's3:List*'], Resource: [BUCKET_ARN, { 'Fn::Join': ['', [BUCKET_ARN, '/*']] }] },
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
        { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'aidlc/churn' } } },
      ]),
    }));
    expect(result.findings).toEqual([]);
    expect(result.statementsChecked).toBe(3);
    expect(result.policiesChecked).toEqual([{ stack: 'churn-test', logicalId: 'Role', location: 'Policies[0].PolicyDocument' }]);
  });

  test('flags "*" and service:* actions, even with a scoped resource', () => {
    expect(rules([{ Effect: 'Allow', Action: '*', Resource: BUCKET_ARN }])).toEqual([IAM_RULES.wildcardAction.id]);
    expect(rules([{ Effect: 'Allow', Action: ['s3:GetObject', 'sagemaker:*'], Resource: BUCKET_ARN }])).toEqual([IAM_RULES.serviceWildcardAction.id]);
  });

  test('flags a "*" resource for actions that support resource-level permissions', () => {
    const result = auditIam(stackOf({ Role: roleWith([{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 's3:GetObject'], Resource: '*' }]) }));
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      rule: IAM_RULES.wildcardResource.id,
      stack: 'churn-test',
      logicalId: 'Role',
      path: 'churn-test/Role/Resource',
      location: 'Policies[0].PolicyDocument.Statement[0]',
    });
    expect(result.findings[0].message).toContain('s3:GetObject on "*"');
    expect(result.findings[0].message).not.toContain('xray');
  });

  test('treats an ARN whose resource part is "*" like "*", and a partial wildcard action is never allowlisted', () => {
    expect(rules([{ Effect: 'Allow', Action: 'sagemaker:DescribeTrainingJob', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:*']] } }]))
      .toEqual([IAM_RULES.wildcardResource.id]);
    expect(rules([{ Effect: 'Allow', Action: 'kms:GenerateDataKey*', Resource: '*' }])).toEqual([IAM_RULES.wildcardResource.id]);
    expect(isWildcardResource('arn:aws:s3:::bucket/*')).toBe(false);
    expect(isWildcardResource('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*')).toBe(false);
  });

  test('flags NotAction and NotResource on Allow, ignores Deny statements', () => {
    expect(rules([{ Effect: 'Allow', NotAction: 'iam:*', Resource: BUCKET_ARN }])).toEqual([IAM_RULES.notAction.id]);
    expect(rules([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: BUCKET_ARN }])).toEqual([IAM_RULES.notResource.id]);
    expect(rules([{ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }])).toEqual([]);
  });

  test('lets a key policy delegate the key to the account root with kms:*, and nobody else', () => {
    const root = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
    const key = (statement: Record<string, unknown>) => ({ Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*', ...statement }] } } });
    const findings = auditIam(stackOf({
      Root: key({ Principal: { AWS: root } }),
      RootLiteral: key({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      Service: key({ Principal: { Service: 'logs.amazonaws.com' } }),
      Role: key({ Principal: { AWS: 'arn:aws:iam::123456789012:role/deployer' } }),
      RootAndRole: key({ Principal: { AWS: [root, 'arn:aws:iam::123456789012:role/deployer'] } }),
      RoleWithKmsAll: roleWith([{ Effect: 'Allow', Action: 'kms:*', Resource: { 'Fn::GetAtt': ['Root', 'Arn'] } }]),
    })).findings;
    expect(findings.map((f) => `${f.logicalId} ${f.rule}`).sort()).toEqual([
      `Role ${IAM_RULES.serviceWildcardAction.id}`,
      `RootAndRole ${IAM_RULES.serviceWildcardAction.id}`,
      `RoleWithKmsAll ${IAM_RULES.serviceWildcardAction.id}`,
      `Service ${IAM_RULES.serviceWildcardAction.id}`,
    ].sort());
  });

  test('checks standalone policies, bucket policies and key policies (where "*" names the key itself)', () => {
    const result = auditIam(stackOf({
      Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*' }] } } },
      BucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:*', Resource: BUCKET_ARN }] } } },
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          KeyPolicy: {
            Statement: [
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/admin' }, Action: 'kms:*', Resource: '*' },
              { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
            ],
          },
        },
      },
    }));
    expect(result.findings.map((f) => `${f.logicalId} ${f.rule} ${f.location}`).sort()).toEqual([
      `BucketPolicy ${IAM_RULES.serviceWildcardAction.id} PolicyDocument.Statement[0]`,
      `Key ${IAM_RULES.serviceWildcardAction.id} KeyPolicy.Statement[0]`,
      `Policy ${IAM_RULES.wildcardResource.id} PolicyDocument.Statement[0]`,
    ]);
  });

  test('flags AWS managed policies attached to roles', () => {
    const role = roleWith([], { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSageMakerFullAccess']] }, { Ref: 'OwnPolicy' }] });
    const result = auditIam(stackOf({ Role: role }));
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: IAM_RULES.awsManagedPolicy.id, location: 'ManagedPolicyArns[0]' });
    expect(result.findings[0].message).toContain('AmazonSageMakerFullAccess');
  });

  test('reports a policy it cannot read', () => {
    const result = auditIam(stackOf({ Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { 'Fn::If': ['c', {}, {}] } } } }));
    expect(result.findings.map((f) => f.rule)).toEqual([IAM_RULES.unreadablePolicy.id]);
  });

  test('lists every offender on its own line', () => {
    const result = auditIam(stackOf({
      A: roleWith([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
      B: roleWith([{ Effect: 'Allow', Action: 's3:*', Resource: BUCKET_ARN }]),
    }));
    const text = formatFindings(result.findings);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('[IAM_WILDCARD_ACTION] churn-test/A (churn-test/Role/Resource) at Policies[0].PolicyDocument.Statement[0]');
    expect(text).toContain('[IAM_WILDCARD_RESOURCE] churn-test/A');
    expect(text).toContain('[IAM_SERVICE_WILDCARD_ACTION] churn-test/B');
  });
});

describe('the wildcard-resource allowlist', () => {
  test('gives a reason for every action and holds no wildcard action itself', () => {
    for (const [action, reason] of Object.entries(WILDCARD_RESOURCE_ALLOWLIST)) {
      expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  test('matches actions case-insensitively and exactly', () => {
    expect(mayUseWildcardResource('ECR:getauthorizationtoken')).toBe(true);
    expect(mayUseWildcardResource('ecr:GetAuthorizationTokens')).toBe(false);
    expect(mayUseWildcardResource('ec2:Describe*')).toBe(false);
  });
});
