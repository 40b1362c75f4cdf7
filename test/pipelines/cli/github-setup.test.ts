jest.mock('@octokit/rest', () => jest.requireActual('../../support/octokit-commonjs').octokitAsCommonJs());

import { UsageError } from '../../../pipelines/cli/command';
import { createGithubSetupCommand, GithubSetupDeps } from '../../../pipelines/cli/commands/github-setup';
import { awsCliStackOutputs } from '../../../pipelines/cli/github/stack-outputs';
import { githubRetryPolicy } from '../../../pipelines/shared/octokit';
import { FakeIo } from '../../support/fake-io';
import { FakeGithub } from '../../support/github-fake-server';

const READ_ROLE = 'arn:aws:iam::123456789012:role/churn-delivery-GithubOidcReadRole-ABC';
const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/churn-delivery-GithubOidcDeployRole-DEF';

let github: FakeGithub;
let baseUrl: string;
let io: FakeIo;
let outputsAsked: string[];
let outputs: Record<string, string>;
let sleeps: number[];

beforeEach(async () => {
  github = new FakeGithub();
  baseUrl = await github.start();
  io = new FakeIo();
  outputsAsked = [];
  sleeps = [];
  outputs = { GithubReadRoleArn: READ_ROLE, GithubDeployRoleArn: DEPLOY_ROLE, DeliveryPipelineName: 'churn-delivery' };
});

afterEach(() => github.stop());

function deps(overrides: Partial<GithubSetupDeps> = {}): GithubSetupDeps {
  return {
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: baseUrl },
    stackOutputs: async (stack, region) => {
      outputsAsked.push(`${stack}@${region}`);
      return outputs;
    },
    retry: githubRetryPolicy({ attempts: 4, sleep: async (ms) => { sleeps.push(ms); } }),
    ...overrides,
  };
}

const run = (...args: string[]) => createGithubSetupCommand(io, deps()).run(args);

test('a fresh repository gets environments, branch protection and variables', async () => {
  await expect(run()).resolves.toBe(0);
  expect(outputsAsked).toEqual(['churn-delivery@eu-west-1']);

  const staging = github.environments.get('staging')!;
  const prod = github.environments.get('prod')!;
  expect(staging.reviewers).toEqual([]);
  expect(prod.reviewers).toEqual([{ type: 'User', id: 583231 }]);
  for (const env of [staging, prod]) {
    expect(env.deploymentBranchPolicy).toEqual({ protected_branches: false, custom_branch_policies: true });
    expect(env.branchPolicies.map((p) => [p.name, p.type])).toEqual([['main', 'branch']]);
  }
  expect(github.protection.get('main')).toMatchObject({
    required_status_checks: { strict: true, contexts: ['build', 'trivy-fs', 'trivy-config'] },
    enforce_admins: false,
  });
  expect(Object.fromEntries(github.variables)).toEqual({
    AIDLC_READ_ROLE_ARN: READ_ROLE,
    AIDLC_DEPLOY_ROLE_ARN: DEPLOY_ROLE,
    AIDLC_AWS_REGION: 'eu-west-1',
  });
  expect(io.stdout).toEqual([
    'Setting up acme/churn:',
    '  + environment staging: create, no required reviewers, deployments from main only',
    '  + environment prod: create, required reviewers octocat, deployments from main only',
    '  + branch main: protect, requiring checks build, trivy-fs, trivy-config (branches up to date before merging)',
    `  + variable AIDLC_READ_ROLE_ARN = ${READ_ROLE}`,
    `  + variable AIDLC_DEPLOY_ROLE_ARN = ${DEPLOY_ROLE}`,
    '  + variable AIDLC_AWS_REGION = eu-west-1',
    'Done: 6 change(s).',
  ]);
});

test('a second run changes nothing', async () => {
  await run();
  const writes = github.writes().length;
  io = new FakeIo();
  await expect(run()).resolves.toBe(0);
  expect(github.writes()).toHaveLength(writes);
  expect(io.stdout.at(-1)).toBe('Nothing to change: the repository is set up.');
  expect(io.stdout.slice(1, -1).every((line) => line.startsWith('  = '))).toBe(true);
});

test('a dry run prints the plan and writes nothing', async () => {
  await expect(run('--dry-run')).resolves.toBe(0);
  expect(github.writes()).toEqual([]);
  expect(github.environments.size).toBe(0);
  expect(io.stdout[0]).toBe('Plan acme/churn:');
  expect(io.stdout.filter((l) => l.startsWith('  + '))).toHaveLength(6);
  expect(io.stdout.at(-1)).toBe('Dry run: 6 change(s) not made.');
});

test('existing settings are kept; only what is missing is added', async () => {
  github.environments.set('prod', {
    name: 'prod',
    reviewers: [{ type: 'Team', id: 4242 }],
    waitTimer: 15,
    preventSelfReview: true,
    deploymentBranchPolicy: { protected_branches: true, custom_branch_policies: false },
    branchPolicies: [],
  });
  github.protection.set('main', { required_status_checks: { strict: false, contexts: ['lint', 'build'] }, enforce_admins: true, required_pull_request_reviews: { required_approving_review_count: 2 }, restrictions: null });
  github.variables.set('AIDLC_READ_ROLE_ARN', 'arn:aws:iam::123456789012:role/old');
  github.variables.set('AIDLC_AWS_REGION', 'eu-west-1');

  await expect(run('--dry-run')).resolves.toBe(0);
  expect(io.stdout).toEqual(expect.arrayContaining([
    '  ~ environment prod: add required reviewers octocat; deployments from main only',
    '  ~ branch main: also require checks trivy-fs, trivy-config (keeps lint, build)',
    `  ~ variable AIDLC_READ_ROLE_ARN: arn:aws:iam::123456789012:role/old -> ${READ_ROLE}`,
    '  = variable AIDLC_AWS_REGION = eu-west-1',
  ]));
  expect(github.writes()).toEqual([]);

  await expect(run()).resolves.toBe(0);
  const prod = github.environments.get('prod')!;
  expect(prod.reviewers).toEqual([{ type: 'Team', id: 4242 }, { type: 'User', id: 583231 }]);
  expect(prod.waitTimer).toBe(15);
  expect(prod.preventSelfReview).toBe(true);
  expect(prod.deploymentBranchPolicy).toEqual({ protected_branches: false, custom_branch_policies: true });
  expect(prod.branchPolicies.map((p) => p.name)).toEqual(['main']);
  expect(github.protection.get('main')).toMatchObject({
    required_status_checks: { strict: false, contexts: ['lint', 'build', 'trivy-fs', 'trivy-config'] },
    enforce_admins: true,
    required_pull_request_reviews: { required_approving_review_count: 2 },
  });
  expect(github.variables.get('AIDLC_READ_ROLE_ARN')).toBe(READ_ROLE);
  expect(github.writes().filter((w) => w.path.includes('AIDLC_AWS_REGION'))).toEqual([]);
});

test('a protection without status checks is rebuilt with its rules and the checks', async () => {
  github.protection.set('main', {
    required_status_checks: null,
    enforce_admins: true,
    restrictions: null,
    required_linear_history: true,
    required_pull_request_reviews: {
      dismiss_stale_reviews: true, require_code_owner_reviews: false, required_approving_review_count: 2, require_last_push_approval: false,
    },
  });
  await expect(run()).resolves.toBe(0);
  const put = github.writes().find((w) => w.method === 'PUT' && w.path.endsWith('/branches/main/protection'))!;
  expect(put.body).toMatchObject({
    required_status_checks: { strict: true, contexts: ['build', 'trivy-fs', 'trivy-config'] },
    enforce_admins: true,
    required_linear_history: true,
    required_pull_request_reviews: { dismiss_stale_reviews: true, required_approving_review_count: 2 },
    restrictions: null,
  });
});

test('reviewers and checks from flags; the dataset variable when asked', async () => {
  await expect(run('--reviewer', 'acme/ml-reviewers', '--reviewer', 'octocat', '--check', 'build', '--dataset-uri', 's3://churn-raw/raw/churn/train.csv')).resolves.toBe(0);
  expect(github.environments.get('prod')!.reviewers).toEqual([{ type: 'Team', id: 4242 }, { type: 'User', id: 583231 }]);
  expect(github.protection.get('main')!.required_status_checks!.contexts).toEqual(['build']);
  expect(github.variables.get('AIDLC_DATASET_URI')).toBe('s3://churn-raw/raw/churn/train.csv');
  expect(github.requests.some((r) => r.path === '/user')).toBe(false);
});

test('GitHub throttling is waited out', async () => {
  github.fail('POST', /\/actions\/variables$/, 2, { status: 429, headers: { 'retry-after': '3' } });
  github.fail('GET', /\/environments\/prod$/, 1, { status: 502 });
  await expect(run()).resolves.toBe(0);
  expect(sleeps).toEqual([1000, 3000, 3000]);
  expect(github.variables.size).toBe(3);
});

test('a token without admin rights gets a clear error and exit 2', async () => {
  github.fail('GET', /\/branches\/main\/protection$/, 1, { status: 403, body: { message: 'Resource not accessible by personal access token' } });
  await expect(run()).resolves.toBe(2);
  expect(io.stderr).toEqual([expect.stringMatching(/^aidlc github setup: GitHub refused to read the protection of main on acme\/churn \(HTTP 403\): Resource not accessible by personal access token.*Administration \(read and write\)/)]);
});

test('an unknown reviewer is a clear error', async () => {
  await expect(run('--reviewer', 'nobody-here')).resolves.toBe(2);
  expect(io.stderr[0]).toMatch(/GitHub refused to find user nobody-here on acme\/churn \(HTTP 404\)/);
  expect(github.writes()).toEqual([]);
});

test('the stack must have been deployed; its outputs are required unless given as flags', async () => {
  outputs = {};
  await expect(run()).resolves.toBe(2);
  expect(io.stderr[0]).toBe('aidlc github setup: stack churn-delivery in eu-west-1 has no output GithubReadRoleArn: deploy the current delivery stack ("npx cdk deploy churn-delivery")');
  io = new FakeIo();
  await expect(run('--read-role-arn', 'arn:r', '--deploy-role-arn', 'arn:d', '--dry-run')).resolves.toBe(0);
  expect(outputsAsked).toEqual(['churn-delivery@eu-west-1']);
});

test('a stack that cannot be read names the stack and the fix', async () => {
  const cmd = createGithubSetupCommand(io, deps({ stackOutputs: async () => { throw new Error('Stack with id churn-delivery does not exist'); } }));
  await expect(cmd.run([])).resolves.toBe(2);
  expect(io.stderr[0]).toMatch(/cannot read the outputs of stack churn-delivery in eu-west-1: Stack with id churn-delivery does not exist\. Deploy it first/);
});

test('no token, no config: usage errors before any call', async () => {
  await expect(createGithubSetupCommand(io, deps({ env: {} })).run([])).rejects.toThrow(UsageError);
  await expect(createGithubSetupCommand(new FakeIo({}), deps()).run([])).rejects.toThrow(/--config = "pipelines\/aidlc.json": does not exist/);
  expect(github.requests).toEqual([]);
});

test('the AWS CLI reader asks for the stack and reads its outputs', async () => {
  const calls: string[][] = [];
  const reader = awsCliStackOutputs(async (file, args) => {
    calls.push([file, ...args]);
    return JSON.stringify({ Stacks: [{ StackName: 'churn-delivery', Outputs: [{ OutputKey: 'GithubReadRoleArn', OutputValue: READ_ROLE }, { OutputKey: 'X' }] }] });
  });
  await expect(reader('churn-delivery', 'eu-west-1')).resolves.toEqual({ GithubReadRoleArn: READ_ROLE });
  expect(calls).toEqual([['aws', 'cloudformation', 'describe-stacks', '--stack-name', 'churn-delivery', '--region', 'eu-west-1', '--output', 'json',
    '--cli-connect-timeout', '5', '--cli-read-timeout', '30']]);
});

