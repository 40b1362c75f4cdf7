jest.mock('@octokit/rest', () => jest.requireActual('../../support/octokit-commonjs').octokitAsCommonJs());

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createGithubSetupCommand } from '../../../pipelines/cli/commands/github-setup';
import { createPipelineStartCommand } from '../../../pipelines/cli/commands/pipeline-start';
import { createPipelineTrainCommand } from '../../../pipelines/cli/commands/pipeline-train';
import { AwsClientFactory, awsClientSettings } from '../../../pipelines/shared/clients';
import { githubRetryPolicy } from '../../../pipelines/shared/octokit';
import { FakeIo } from '../../support/fake-io';
import { FakeGithub } from '../../support/github-fake-server';
import { allSucceeded, EXECUTION, SHA, STAGES } from '../../support/pipeline-executions';

/**
 * The real AWS SDK clients and Octokit, with the CLI's timeouts, against a local HTTP server that
 * accepts a call and never answers, or answers with a body cut off: the call is retried, each
 * retry line names it, and the command ends with a clear message in bounded time.
 */

/** How the stand-in service answers one operation (X-Amz-Target's last word). */
type Answer = { json: unknown } | 'stall' | 'garbled';

class StandInAws {
  public readonly calls: string[] = [];
  private server?: Server;

  constructor(private readonly answer: (operation: string, call: number) => Answer) {}

  public async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req) { /* read the body */ }
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    this.calls.push(operation);
    const answer = this.answer(operation, this.calls.filter((c) => c === operation).length);
    if (answer === 'stall') return;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(answer === 'garbled' ? '{"pipelineExecution": {"status": "InPro' : JSON.stringify(answer.json));
  }
}

const REQUEST_MS = 300;

/** The CLI's client settings with short timeouts, pointed at the stand-in. */
function pointedAt(endpoint: string, requestMs = REQUEST_MS): AwsClientFactory {
  return (region) => ({
    ...awsClientSettings(region, { connectMs: 1000, requestMs }),
    endpoint,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
  });
}

/** Fake time for waits between polls and retries; the deadline of --timeout-minutes runs 1 minute in 1.5 s. */
function io(): FakeIo {
  const fake = new FakeIo();
  fake.deadline = (ms) => AbortSignal.timeout(ms / 40);
  return fake;
}

let aws: StandInAws | undefined;
afterEach(async () => {
  await aws?.stop();
  aws = undefined;
});

test('a CodePipeline call that is accepted and never answered is retried, named, and fails with a clear message', async () => {
  aws = new StandInAws(() => 'stall');
  const endpoint = await aws.start();
  const fake = io();
  const started = Date.now();
  await expect(createPipelineStartCommand(fake, pointedAt(endpoint)).run(['--revision', SHA])).resolves.toBe(2);
  const elapsed = Date.now() - started;
  expect(aws.calls).toEqual(Array(6).fill('StartPipelineExecution'));
  expect(fake.stderr.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((n) => expect.stringMatching(new RegExp(
    `^CodePipeline StartPipelineExecution on churn-delivery: no answer within ${REQUEST_MS} ms \\(TimeoutError, requestTimeout\\) \\(attempt ${n} of 6\\); retrying in \\d+s$`))));
  expect(fake.stderr[5]).toBe(`aidlc pipeline start: lost contact with AWS: CodePipeline StartPipelineExecution on churn-delivery failed 6 times in a row; last error: no answer within ${REQUEST_MS} ms (TimeoutError, requestTimeout)`);
  // Six attempts of 300 ms; the waits between them are fake.
  expect(elapsed).toBeLessThan(6 * REQUEST_MS + 4000);
});

test('--wait with --timeout-minutes ends when a poll hangs: the deadline cuts the call short, exit 1', async () => {
  aws = new StandInAws((operation) => {
    if (operation === 'StartPipelineExecution') return { json: { pipelineExecutionId: EXECUTION } };
    if (operation === 'GetPipeline') return { json: { pipeline: { name: 'churn-delivery', roleArn: 'arn:aws:iam::123456789012:role/p', stages: STAGES } } };
    return 'stall';
  });
  const endpoint = await aws.start();
  const fake = io();
  const started = Date.now();
  // Calls time out only after 60 s here: the 1-minute deadline (1.5 s) must end the hanging call.
  const code = await createPipelineStartCommand(fake, pointedAt(endpoint, 60_000)).run(['--revision', SHA, '--wait', '--timeout-minutes', '1', '--summary', 's.md']);
  expect(code).toBe(1);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(fake.stderr.at(-1)).toBe(`churn-delivery execution ${EXECUTION}: no answer from CodePipeline within 1 minutes; it keeps running in CodePipeline`);
  expect(fake.files.get('s.md')).toBeUndefined();
});

test('an answer that cannot be parsed is retried like a network error, and the follow goes on', async () => {
  aws = new StandInAws((operation, call) => {
    if (operation === 'StartPipelineExecution') return { json: { pipelineExecutionId: EXECUTION } };
    if (operation === 'GetPipeline') return { json: { pipeline: { name: 'churn-delivery', roleArn: 'arn:aws:iam::123456789012:role/p', stages: STAGES } } };
    if (operation === 'GetPipelineExecution') {
      return call === 1 ? 'garbled' : { json: { pipelineExecution: { pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION, status: 'Succeeded', artifactRevisions: [{ revisionId: SHA }] } } };
    }
    if (operation === 'ListActionExecutions') return { json: { actionExecutionDetails: allSucceeded().map((a) => ({ ...a, startTime: a.startTime!.getTime() / 1000, lastUpdateTime: a.lastUpdateTime!.getTime() / 1000 })) } };
    return 'stall';
  });
  const endpoint = await aws.start();
  const fake = io();
  await expect(createPipelineStartCommand(fake, pointedAt(endpoint)).run(['--revision', SHA, '--wait'])).resolves.toBe(0);
  expect(fake.stderr).toEqual([
    'CodePipeline GetPipelineExecution on churn-delivery: unreadable response (HTTP 200): Unterminated string in JSON at position 39 (attempt 1 of 6); retrying in 2s',
  ]);
  expect(fake.stdout.at(-1)).toBe(`churn-delivery execution ${EXECUTION}: Succeeded`);
});

test('pipeline train: a SageMaker poll that hangs ends at --timeout-minutes with exit 1; the run goes on', async () => {
  const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/churn-training/execution/abc123';
  aws = new StandInAws((operation) => (operation === 'StartPipelineExecution' ? { json: { PipelineExecutionArn: arn } } : 'stall'));
  const endpoint = await aws.start();
  const fake = io();
  // The dataset parameters given directly (as a rerun of a known gate run would), so SageMaker is the only service called.
  const dataset = ['InputDataUri=s3://v/runs/r/data/', 'DatasetManifestUri=s3://v/runs/r/manifest.json', `DatasetManifestSha256=${'a'.repeat(64)}`]
    .flatMap((p) => ['--parameter', p]);
  const code = await createPipelineTrainCommand(fake, pointedAt(endpoint, 60_000)).run(['--commit', SHA, '--timeout-minutes', '1', ...dataset]);
  expect(code).toBe(1);
  expect(aws.calls).toEqual(['StartPipelineExecution', 'DescribePipelineExecution']);
  expect(fake.stderr.at(-1)).toBe(`churn-training: training run ${arn}: no answer from SageMaker within 1 minutes`);
});

describe('GitHub', () => {
  let github: FakeGithub;
  let baseUrl: string;

  beforeEach(async () => {
    github = new FakeGithub();
    baseUrl = await github.start();
  });
  afterEach(() => github.stop());

  const setup = (fake: FakeIo, timeoutMs: number) => createGithubSetupCommand(fake, {
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: baseUrl },
    stackOutputs: async () => ({ GithubReadRoleArn: 'arn:aws:iam::123456789012:role/r', GithubDeployRoleArn: 'arn:aws:iam::123456789012:role/d' }),
    retry: githubRetryPolicy({ sleep: fake.sleep, onRetry: (_e, n, _ms, what) => fake.err(`${what} (attempt ${n})`) }),
    timeoutMs,
  }).run(['--dry-run']);

  test('a request that is never answered is retried and then fails with a clear message', async () => {
    github.fail('GET', /^\/repos\/acme\/churn$/, 10, 'stall');
    const fake = new FakeIo();
    const started = Date.now();
    await expect(setup(fake, 250)).resolves.toBe(2);
    expect(Date.now() - started).toBeLessThan(5 * 250 + 4000);
    expect(fake.stderr.slice(0, 4)).toEqual([1, 2, 3, 4].map((n) => `GitHub: read the repository (attempt ${n})`));
    expect(fake.stderr[4]).toBe('aidlc github setup: GitHub: read the repository failed 5 times in a row; last error: HttpError: no answer from GitHub within 0.25 s');
  });

  test('a JSON answer cut off is retried, not taken for data', async () => {
    github.fail('GET', /^\/repos\/acme\/churn$/, 1, 'garbled');
    const fake = new FakeIo();
    await expect(setup(fake, 5000)).resolves.toBe(0);
    expect(fake.stderr).toEqual(['GitHub: read the repository (attempt 1)']);
    expect(fake.stdout[0]).toBe('Plan acme/churn:');
  });
});
