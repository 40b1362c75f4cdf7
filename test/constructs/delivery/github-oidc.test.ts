import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GithubOidc, GithubOidcProps } from '../../../src/constructs/delivery/github-oidc';
import { testApp } from '../../support/cdk-app';
import { LakeStandIn } from '../../support/data-lake-stand-in';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function synth(props: Partial<GithubOidcProps> = {}): Template {
  const stack = new Stack(testApp(), 'Oidc', { env: ENV });
  new GithubOidc(stack, 'GithubOidc', {
    repositoryOwner: 'acme',
    repositoryName: 'churn',
    deployEnvironments: ['staging', 'prod'],
    lake: new LakeStandIn(stack, 'Lake'),
    stackNamePrefix: 'churn-',
    ...props,
  });
  return Template.fromStack(stack);
}

/** The trust statement of the role whose logical id starts with `prefix`. */
function trust(template: Template, prefix: string): any {
  const roles = template.findResources('AWS::IAM::Role');
  const id = Object.keys(roles).find((k) => k.startsWith(prefix))!;
  return roles[id].Properties.AssumeRolePolicyDocument.Statement[0];
}

/** IAM's StringLike: `*` any run of characters, `?` one character, everything else literal. */
function like(pattern: string, value: string): boolean {
  const re = pattern.split('').map((c) => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${re}$`).test(value);
}

/** Whether a token with this `sub` (and `aud = sts.amazonaws.com`) may assume the role. */
function admits(statement: any, sub: string, aud = 'sts.amazonaws.com'): boolean {
  const c = statement.Condition;
  const patterns: string[] = [c.StringLike['token.actions.githubusercontent.com:sub']].flat();
  const guards: string[] = [c.StringNotLike['token.actions.githubusercontent.com:sub']].flat();
  return c.StringEquals['token.actions.githubusercontent.com:aud'] === aud
    && patterns.some((p) => like(p, sub))
    && !guards.some((g) => like(g, sub));
}

describe('trust', () => {
  const template = synth();
  const read = trust(template, 'GithubOidcReadRole');
  const deploy = trust(template, 'GithubOidcDeployRole');

  test('both roles trust the GitHub provider for sts.amazonaws.com only, with web identity', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    for (const statement of [read, deploy]) {
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(statement.Principal).toEqual({ Federated: { Ref: expect.stringMatching(/^GithubOidcProvider/) } });
      expect(statement.Condition.StringEquals).toEqual({ 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' });
    }
  });

  test('the read-only role accepts the branch in both sub forms', () => {
    expect(read.Condition.StringLike['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/churn:ref:refs/heads/main',
      'repo:acme@*/churn@*:ref:refs/heads/main',
    ]);
  });

  test('the deploy role accepts the branch and each stage environment in both sub forms', () => {
    expect(deploy.Condition.StringLike['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/churn:ref:refs/heads/main',
      'repo:acme@*/churn@*:ref:refs/heads/main',
      'repo:acme/churn:environment:staging',
      'repo:acme@*/churn@*:environment:staging',
      'repo:acme/churn:environment:prod',
      'repo:acme@*/churn@*:environment:prod',
    ]);
  });

  test.each([
    ['the name form of the branch', 'repo:acme/churn:ref:refs/heads/main', true, true],
    ['the immutable form of the branch', 'repo:acme@1342004/churn@987654321:ref:refs/heads/main', true, true],
    ['an environment (name form)', 'repo:acme/churn:environment:prod', false, true],
    ['an environment (immutable form)', 'repo:acme@1342004/churn@987654321:environment:staging', false, true],
    ['another branch', 'repo:acme/churn:ref:refs/heads/feature', false, false],
    ['a pull request', 'repo:acme/churn:pull_request', false, false],
    ['an environment that is no stage', 'repo:acme/churn:environment:sandbox', false, false],
    ['another repository of the owner', 'repo:acme/churn-fork:ref:refs/heads/main', false, false],
    ['the same repository name under another owner', 'repo:evil/churn:ref:refs/heads/main', false, false],
    ['another owner in the immutable form', 'repo:evil@5/churn@6:ref:refs/heads/main', false, false],
    ['a sibling repository whose environment name embeds this repository', 'repo:acme@1/other@2:environment:x/churn@3:ref:refs/heads/main', false, false],
  ])('%s (%s): read %s, deploy %s', (_what, sub, readOk, deployOk) => {
    expect(admits(read, sub)).toBe(readOk);
    expect(admits(deploy, sub)).toBe(deployOk);
  });

  test('a token for another audience is refused', () => {
    expect(admits(read, 'repo:acme/churn:ref:refs/heads/main', 'https://github.com/acme')).toBe(false);
  });

  test('known owner and repository ids pin the immutable form', () => {
    const pinned = trust(synth({ repositoryOwnerId: '1342004', repositoryId: '987654321', deployEnvironments: [] }), 'GithubOidcReadRole');
    expect(pinned.Condition.StringLike['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/churn:ref:refs/heads/main',
      'repo:acme@1342004/churn@987654321:ref:refs/heads/main',
    ]);
    expect(admits(pinned, 'repo:acme@999/churn@987654321:ref:refs/heads/main')).toBe(false);
  });

  test('another branch can be the chain\'s branch', () => {
    const release = trust(synth({ branch: 'release' }), 'GithubOidcReadRole');
    expect(admits(release, 'repo:acme/churn:ref:refs/heads/release')).toBe(true);
    expect(admits(release, 'repo:acme/churn:ref:refs/heads/main')).toBe(false);
  });
});

test('an existing provider is imported, not created', () => {
  const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const template = synth({ existingProviderArn: arn });
  template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  expect(trust(template, 'GithubOidcReadRole').Principal).toEqual({ Federated: arn });
  expect(trust(template, 'GithubOidcDeployRole').Principal).toEqual({ Federated: arn });
});

function statements(template: Template, rolePrefix: string): any[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const policy = Object.entries(policies).find(([, p]) => p.Properties.Roles.some((r: any) => r.Ref.startsWith(rolePrefix)))!;
  return policy[1].Properties.PolicyDocument.Statement;
}

describe('permissions', () => {
  const template = synth();

  test('the read-only role reads the raw and validated datasets, describes the model\'s stacks, may look up', () => {
    expect(statements(template, 'GithubOidcReadRole')).toEqual([
      { Sid: 'ListDatasets', Effect: 'Allow', Action: 's3:ListBucket', Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^LakeRaw/), 'Arn'] }, { 'Fn::GetAtt': [expect.stringMatching(/^LakeValidated/), 'Arn'] }] },
      {
        Sid: 'ReadDatasets',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LakeRaw/), 'Arn'] }, '/*']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LakeValidated/), 'Arn'] }, '/*']] },
        ],
      },
      {
        Sid: 'DecryptDatasets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:role/cdk-hnb659fds-lookup-role-123456789012-eu-west-1']] },
      },
      {
        Sid: 'DescribeModelStacks',
        Effect: 'Allow',
        Action: 'cloudformation:DescribeStacks',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:eu-west-1:123456789012:stack/churn-*/*']] },
      },
    ]);
  });

  test('the deploy role may only assume the CDK bootstrap deploy, file-publishing and lookup roles', () => {
    const role = (kind: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::123456789012:role/cdk-hnb659fds-${kind}-role-123456789012-eu-west-1`]] });
    expect(statements(template, 'GithubOidcDeployRole')).toEqual([
      { Sid: 'AssumeCdkBootstrapRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [role('deploy'), role('file-publishing'), role('lookup')] },
    ]);
  });

  test('sessions last at most an hour', () => {
    template.allResourcesProperties('AWS::IAM::Role', { MaxSessionDuration: 3600 });
  });

  test('a custom qualifier names other bootstrap roles', () => {
    const custom = synth({ cdkQualifier: 'ml0001' });
    expect(JSON.stringify(statements(custom, 'GithubOidcDeployRole'))).toContain('cdk-ml0001-deploy-role-');
    expect(JSON.stringify(statements(custom, 'GithubOidcDeployRole'))).not.toContain('hnb659fds');
  });

  test('a custom training image can be pulled by the read-only role, and nothing else of ECR', () => {
    const repo = 'arn:aws:ecr:eu-west-1:123456789012:repository/churn-train';
    const read = statements(synth({ imageRepositoryArns: [repo] }), 'GithubOidcReadRole');
    expect(read).toEqual(expect.arrayContaining([
      { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'PullScannedImages', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: repo },
    ]));
    expect(JSON.stringify(statements(template, 'GithubOidcReadRole'))).not.toContain('ecr:');
  });

  test('no role may write anywhere', () => {
    const actions = [...statements(template, 'GithubOidcReadRole'), ...statements(template, 'GithubOidcDeployRole')].flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => /Put|Delete|Create|Update|\*/.test(a))).toEqual([]);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});
