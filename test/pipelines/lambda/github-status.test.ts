jest.mock('@octokit/rest', () => jest.requireActual('../../support/octokit-commonjs').octokitAsCommonJs());

import { CodePipelineClient, GetPipelineExecutionCommand, ListActionExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { CommitStatuses } from '../../../pipelines/lambda/github-status/commit-statuses';
import { ACTION_EVENT, CodePipelineEvent, PIPELINE_EVENT, STAGE_EVENT } from '../../../pipelines/lambda/github-status/events';
import { PipelineExecutions } from '../../../pipelines/lambda/github-status/executions';
import { createHandler, ReporterDeps } from '../../../pipelines/lambda/github-status/handler';
import { depsFromEnvironment } from '../../../pipelines/lambda/github-status/index';
import { SecretToken } from '../../../pipelines/lambda/github-status/token';
import { githubRetryPolicy, octokit } from '../../../pipelines/shared/octokit';
import { RetryPolicy } from '../../../pipelines/shared/retry';
import { FakeGithub } from '../../support/github-fake-server';

const SHA = 'a'.repeat(40);
const EXECUTION = '3f1e2d4c-0000-4000-8000-000000000001';
const codepipeline = mockClient(CodePipelineClient);
const secrets = mockClient(SecretsManagerClient);

let github: FakeGithub;
let baseUrl: string;
let logs: string[];
let sleeps: number[];

beforeEach(async () => {
  codepipeline.reset();
  secrets.reset();
  github = new FakeGithub();
  github.commits.add(SHA);
  baseUrl = await github.start();
  logs = [];
  sleeps = [];
  secrets.on(GetSecretValueCommand).resolves({ SecretString: `${github.token}\n` });
  codepipeline.on(GetPipelineExecutionCommand).resolves({
    pipelineExecution: { pipelineExecutionId: EXECUTION, artifactRevisions: [{ name: 'Source', revisionId: SHA }] },
  });
  codepipeline.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
});

afterEach(() => github.stop());

function retryPolicy(): RetryPolicy {
  return githubRetryPolicy({ attempts: 4, sleep: async (ms) => { sleeps.push(ms); } });
}

function deps(): ReporterDeps {
  const token = new SecretToken(new SecretsManagerClient({}), 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:token');
  return {
    contextPrefix: 'aidlc',
    executions: new PipelineExecutions(new CodePipelineClient({})),
    token: () => token.get(),
    forgetToken: () => token.forget(),
    statuses: async (t) => new CommitStatuses(await octokit({ token: t, baseUrl }), 'acme/churn', retryPolicy()),
    log: (m) => logs.push(m),
  };
}

function event(kind: string, state: string, extra: Partial<CodePipelineEvent['detail']> = {}): CodePipelineEvent {
  return {
    'detail-type': kind,
    'region': 'eu-west-1',
    'detail': { 'pipeline': 'churn-delivery', 'execution-id': EXECUTION, state, ...extra },
  };
}

const statusesOn = (sha: string) => github.statuses.get(sha) ?? [];

test('a stage that starts puts a pending status on the execution\'s commit, linked to the console', async () => {
  const handle = createHandler(deps());
  await expect(handle(event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }))).resolves.toBe('set');
  expect(statusesOn(SHA)).toEqual([expect.objectContaining({
    context: 'aidlc/Gate',
    state: 'pending',
    description: 'Gate: Running',
    target_url: `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/churn-delivery/executions/${EXECUTION}/timeline?region=eu-west-1`,
  })]);
  expect(codepipeline.commandCalls(GetPipelineExecutionCommand)[0].args[0].input).toEqual({ pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION });
});

test('a failed stage names the failing action and what its provider said', async () => {
  codepipeline.on(ListActionExecutionsCommand).resolvesOnce({
    actionExecutionDetails: [{ stageName: 'Train', actionName: 'Other', status: 'Succeeded' }],
    nextToken: 'page-2',
  }).resolvesOnce({
    actionExecutionDetails: [{
      stageName: 'Train',
      actionName: 'TrainAndRegister',
      status: 'Failed',
      output: { executionResult: { externalExecutionSummary: 'Build failed', errorDetails: { code: 'JobFailed', message: 'Error while executing command: npx aidlc pipeline train. Reason: exit status 1' } } },
    }],
  });
  await createHandler(deps())(event(STAGE_EVENT, 'FAILED', { stage: 'Train' }));
  const [status] = statusesOn(SHA);
  expect(status).toMatchObject({ context: 'aidlc/Train', state: 'failure' });
  expect(status.description).toBe('TrainAndRegister failed: Error while executing command: npx aidlc pipeline train. Reason: exit status 1');
  expect(codepipeline.commandCalls(ListActionExecutionsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
});

test('a failed action with a summary in the event needs no lookup; long text is cut to 140 characters', async () => {
  const summary = 'Violation: column age above max 100 in 37 rows. '.repeat(5);
  await createHandler(deps())(event(ACTION_EVENT, 'FAILED', { 'stage': 'Gate', 'action': 'DataGate', 'type': { category: 'Build' }, 'execution-result': { 'external-execution-summary': summary } }));
  const [status] = statusesOn(SHA);
  expect(status.state).toBe('failure');
  expect(status.description.startsWith('DataGate failed: Violation: column age')).toBe(true);
  expect(status.description).toHaveLength(140);
  expect(codepipeline.commandCalls(ListActionExecutionsCommand)).toHaveLength(0);
});

test('a rejected approval and a waiting approval read as such', async () => {
  const handle = createHandler(deps());
  await handle(event(ACTION_EVENT, 'STARTED', { stage: 'Approve', action: 'ApproveModel', type: { category: 'Approval' } }));
  expect(statusesOn(SHA)[0]).toMatchObject({ state: 'pending', description: 'Waiting for approval: ApproveModel' });
  await handle(event(ACTION_EVENT, 'FAILED', { stage: 'Approve', action: 'ApproveModel', type: { category: 'Approval' } }));
  expect(statusesOn(SHA)[0]).toMatchObject({ state: 'failure', description: 'ApproveModel rejected' });
});

test('pipeline outcomes: succeeded, superseded, stopped', async () => {
  const handle = createHandler(deps());
  await handle(event(PIPELINE_EVENT, 'SUCCEEDED'));
  expect(statusesOn(SHA)[0]).toMatchObject({ context: 'aidlc/pipeline', state: 'success', description: 'Pipeline: Succeeded' });
  await handle(event(PIPELINE_EVENT, 'SUPERSEDED'));
  expect(statusesOn(SHA)[0]).toMatchObject({ state: 'error', description: 'Pipeline: Superseded by a newer execution' });
  await handle(event(PIPELINE_EVENT, 'STOPPED'));
  expect(statusesOn(SHA)[0]).toMatchObject({ state: 'error', description: 'Pipeline: Stopped' });
});

test('a STARTED event that arrives after its stage finished does not turn the status back to pending', async () => {
  const handle = createHandler(deps());
  await handle(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }));
  await expect(handle(event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }))).resolves.toBe('stale');
  expect(statusesOn(SHA).map((s) => s.state)).toEqual(['success']);
  // a retry of a failed stage (RESUMED) does go back to pending
  await handle(event(STAGE_EVENT, 'FAILED', { stage: 'Gate' }));
  await expect(handle(event(STAGE_EVENT, 'RESUMED', { stage: 'Gate' }))).resolves.toBe('set');
  expect(statusesOn(SHA)[0]).toMatchObject({ state: 'pending', description: 'Gate: Retrying' });
});

test('a terminal status of another execution on the same commit does not block a new run', async () => {
  const handle = createHandler(deps());
  await handle(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }));
  const other = { ...event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }) };
  (other.detail as { 'execution-id': string })['execution-id'] = 'another-execution';
  await expect(handle(other)).resolves.toBe('set');
});

test('successful actions inside a stage change nothing', async () => {
  await expect(createHandler(deps())(event(ACTION_EVENT, 'SUCCEEDED', { stage: 'Gate', action: 'DataGate' }))).resolves.toBe('ignored');
  expect(github.requests).toHaveLength(0);
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
});

test('until a real token is in the secret, nothing is sent to GitHub and the log says why', async () => {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'Xq9$-random-generated-by-cloudformation' });
  await expect(createHandler(deps())(event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }))).resolves.toBe('no-token');
  expect(github.requests).toHaveLength(0);
  expect(logs.join('\n')).toMatch(/No GitHub token in the secret yet/);
});

test('the token is read once and reused; a token GitHub refuses is read again next time', async () => {
  const handle = createHandler(deps());
  await handle(event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }));
  await handle(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }));
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);

  github.token = 'ghp_rotatedtoken999';
  await expect(handle(event(STAGE_EVENT, 'STARTED', { stage: 'Train' }))).resolves.toBe('refused');
  expect(logs.join('\n')).toMatch(/HTTP 401.*Commit statuses: read and write/);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'ghp_rotatedtoken999' });
  await expect(handle(event(STAGE_EVENT, 'STARTED', { stage: 'Train' }))).resolves.toBe('set');
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
});

test('GitHub throttling is waited out as Retry-After asks', async () => {
  github.fail('POST', /\/statuses\//, 2, { status: 429, headers: { 'retry-after': '7' } });
  await expect(createHandler(deps())(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }))).resolves.toBe('set');
  expect(sleeps).toEqual([7000, 7000]);
  expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
});

test('a secondary rate limit (403 with an exhausted quota) waits for the reset', async () => {
  const reset = Math.ceil(Date.now() / 1000) + 30;
  github.fail('POST', /\/statuses\//, 1, { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
  await expect(createHandler(deps())(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }))).resolves.toBe('set');
  expect(sleeps).toHaveLength(1);
  expect(sleeps[0]).toBeGreaterThan(25_000);
  expect(sleeps[0]).toBeLessThanOrEqual(31_000);
});

test('a GitHub that keeps dropping the connection fails the invocation, so EventBridge retries it', async () => {
  github.fail('POST', /\/statuses\//, 10, 'reset');
  await expect(createHandler(deps())(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }))).rejects.toThrow(/GitHub: set aidlc\/Gate failed 4 times in a row/);
  expect(sleeps).toEqual([1000, 2000, 4000]);
});

test('an unknown commit is refused by GitHub and dropped, not retried', async () => {
  codepipeline.on(GetPipelineExecutionCommand).resolves({
    pipelineExecution: { artifactRevisions: [{ name: 'Source', revisionId: 'b'.repeat(40) }] },
  });
  await expect(createHandler(deps())(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Gate' }))).resolves.toBe('refused');
  expect(logs.join('\n')).toMatch(/HTTP 422.*No commit found/);
  expect(sleeps).toEqual([]);
});

test('an execution without a Git revision is reported nowhere', async () => {
  codepipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { artifactRevisions: [{ name: 'Source', revisionId: 'v1.zip' }] } });
  await expect(createHandler(deps())(event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }))).resolves.toBe('no-revision');
  expect(github.requests).toHaveLength(0);
});

test('CodePipeline throttling is not swallowed: the invocation fails and EventBridge retries', async () => {
  codepipeline.on(GetPipelineExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  await expect(createHandler(deps())(event(STAGE_EVENT, 'STARTED', { stage: 'Gate' }))).rejects.toThrow('Rate exceeded');
});

test('the handler is wired from the environment the construct sets', async () => {
  process.env.GITHUB_REPOSITORY = 'acme/churn';
  process.env.TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:token';
  process.env.GITHUB_API_URL = baseUrl;
  process.env.STATUS_CONTEXT_PREFIX = 'ml';
  process.env.AWS_REGION = 'eu-west-1';
  try {
    const handle = createHandler({ ...depsFromEnvironment(), log: (m) => logs.push(m) });
    await expect(handle(event(STAGE_EVENT, 'SUCCEEDED', { stage: 'Deploy-prod' }))).resolves.toBe('set');
    expect(statusesOn(SHA)[0]).toMatchObject({ context: 'ml/Deploy-prod', state: 'success' });
    expect(secrets.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: process.env.TOKEN_SECRET_ARN });
  } finally {
    for (const k of ['GITHUB_REPOSITORY', 'TOKEN_SECRET_ARN', 'GITHUB_API_URL', 'STATUS_CONTEXT_PREFIX']) delete process.env[k];
  }
});
