import {
  CodePipelineClient, GetPipelineCommand, GetPipelineExecutionCommand, ListActionExecutionsCommand, StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { UsageError } from '../../../pipelines/cli/command';
import { createPipelineStartCommand } from '../../../pipelines/cli/commands/pipeline-start';
import { FakeIo } from '../../support/fake-io';
import { action, allSucceeded, EXECUTION, SHA, STAGES } from '../../support/pipeline-executions';

const cp = mockClient(CodePipelineClient);
let io: FakeIo;

beforeEach(() => {
  cp.reset();
  io = new FakeIo();
  cp.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: EXECUTION });
  cp.on(GetPipelineCommand).resolves({ pipeline: { name: 'churn-delivery', roleArn: 'r', stages: STAGES } });
});

const run = (...args: string[]) => createPipelineStartCommand(io).run(args);

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

function networkError(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** GetPipelineExecution/ListActionExecutions answer poll by poll from a script. */
function script(polls: { status: string; actions: ReturnType<typeof allSucceeded>; summary?: string }[]): void {
  let i = -1;
  cp.on(GetPipelineExecutionCommand).callsFake(() => {
    i = Math.min(i + 1, polls.length - 1);
    return { pipelineExecution: { pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION, status: polls[i].status, statusSummary: polls[i].summary, artifactRevisions: [{ name: 'Source', revisionId: SHA }] } };
  });
  cp.on(ListActionExecutionsCommand).callsFake(() => ({ actionExecutionDetails: polls[Math.max(i, 0)].actions }));
}

test('starts the pipeline named in pipelines/aidlc.json on exactly the given commit', async () => {
  await expect(run('--revision', SHA)).resolves.toBe(0);
  const input = cp.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
  expect(input).toEqual({
    name: 'churn-delivery',
    clientRequestToken: 'token-1',
    sourceRevisions: [{ actionName: 'GitHub', revisionType: 'COMMIT_ID', revisionValue: SHA }],
    variables: undefined,
  });
  expect(await cp.call(0).thisValue.config.region()).toBe('eu-west-1');
  expect(io.stdout).toEqual([
    `Started churn-delivery execution ${EXECUTION} on ${SHA}`,
    `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/churn-delivery/executions/${EXECUTION}/timeline?region=eu-west-1`,
  ]);
  expect(cp.commandCalls(GetPipelineExecutionCommand)).toHaveLength(0);
});

test('flags override the config; pipeline variables are passed through', async () => {
  await run('--revision', SHA.toUpperCase(), '--pipeline', 'other', '--region', 'us-west-2', '--variable', 'DATASET_URI=s3://b/k=v.csv', '--source-action', 'Src');
  const input = cp.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
  expect(input.name).toBe('other');
  expect(input.sourceRevisions).toEqual([{ actionName: 'Src', revisionType: 'COMMIT_ID', revisionValue: SHA }]);
  expect(input.variables).toEqual([{ name: 'DATASET_URI', value: 's3://b/k=v.csv' }]);
  expect(await cp.call(0).thisValue.config.region()).toBe('us-west-2');
});

test('usage errors: short SHA, missing revision, unknown flag, no config and no flags', async () => {
  await expect(run('--revision', 'abc123')).rejects.toThrow(new UsageError('--revision = "abc123": is not a full 40-character commit SHA. Fix: pass the whole SHA, e.g. --revision "$(git rev-parse HEAD)"'));
  await expect(run()).rejects.toThrow('--revision = (not set): is required');
  await expect(run('--revision', SHA, '--wiat')).rejects.toThrow('--wiat = (not set): is not a flag of this command');
  io = new FakeIo({});
  await expect(run('--revision', SHA)).rejects.toThrow(/--config = "pipelines\/aidlc.json": does not exist. Fix: .*--pipeline NAME and --region REGION/);
  expect(cp.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
});

test('--wait follows stage by stage, writes the summary, and exits 0 on success', async () => {
  const done = allSucceeded();
  script([
    { status: 'InProgress', actions: done.slice(0, 1) },
    { status: 'InProgress', actions: [...done.slice(0, 1), action('Gate', 'DataGate', 'InProgress', 10, 11)] },
    { status: 'InProgress', actions: [...done.slice(0, 4), action('Approve', 'ApproveModel', 'InProgress', 30, 31)] },
    { status: 'Succeeded', actions: done },
  ]);
  await expect(run('--revision', SHA, '--wait', '--summary', 'summary.md')).resolves.toBe(0);
  expect(io.stdout.slice(2)).toEqual([
    '[InProgress] Source ✓ 5m 00s | Gate · | Train · | Approve · | Deploy-staging · | Deploy-prod · | Monitor ·',
    // the fake clock stands at 13:00; a running stage shows how long it has run so far
    '[InProgress] Source ✓ 5m 00s | Gate … 2h 50m | Train · | Approve · | Deploy-staging · | Deploy-prod · | Monitor ·',
    expect.stringMatching(/^\[InProgress\] Source ✓ 5m 00s \| Gate ✓ 5m 00s \| Train ✓ 5m 00s \| Approve ⏸ approval 2h 30m \| Deploy-staging · \|/),
    '[Succeeded] Source ✓ 5m 00s | Gate ✓ 5m 00s | Train ✓ 5m 00s | Approve ✓ 6m 00s | Deploy-staging ✓ 5m 00s | Deploy-prod ✓ 6m 00s | Monitor ✓ 5m 00s',
    `churn-delivery execution ${EXECUTION}: Succeeded`,
  ]);
  const summary = io.files.get('summary.md')!;
  expect(summary).toContain('### churn-delivery: Succeeded');
  expect(summary).toContain(`Commit \`${SHA.slice(0, 12)}\``);
  expect(summary).toContain('| Stage | Status | Started | Duration | Details |');
  for (const stage of STAGES) expect(summary).toMatch(new RegExp(`\\| ${stage.name} \\| ✓ Succeeded \\| \\d\\d:\\d\\d:\\d\\d UTC \\| \\d+m \\d\\ds \\|`));
  expect(summary).toContain('| Deploy-prod | ✓ Succeeded | 10:50:00 UTC | 6m 00s | [Promote](https://console.example/Deploy-prod/Promote)<br>[Deploy](https://console.example/Deploy-prod/Deploy) |');
  expect(summary).toContain(' · 1h 05m in all');
});

test('a failed stage exits 1 and names the failing action and its message', async () => {
  const failed = action('Train', 'TrainAndRegister', 'Failed', 20, 48, {
    output: { executionResult: { externalExecutionUrl: 'https://codebuild/train', externalExecutionSummary: 'Build failed', errorDetails: { code: 'JobFailed', message: 'training registered no model package: auc 0.61 below 0.75' } } },
  });
  script([{ status: 'Failed', actions: [...allSucceeded().slice(0, 2), failed], summary: 'Action failed' }]);
  await expect(run('--revision', SHA, '--wait', '--summary', 's.md')).resolves.toBe(1);
  expect(io.stderr).toEqual([`churn-delivery execution ${EXECUTION} failed at Train / TrainAndRegister: training registered no model package: auc 0.61 below 0.75`]);
  const summary = io.files.get('s.md')!;
  expect(summary).toContain('> **churn-delivery execution');
  expect(summary).toContain('| Train | ✗ Failed | 10:20:00 UTC | 28m 00s | [TrainAndRegister](https://codebuild/train): training registered no model package: auc 0.61 below 0.75 |');
  expect(summary).toContain('| Approve | · Not started |');
});

test('a superseded execution exits 1 and says so', async () => {
  script([
    { status: 'InProgress', actions: allSucceeded().slice(0, 4) },
    { status: 'Superseded', actions: allSucceeded().slice(0, 4) },
  ]);
  await expect(run('--revision', SHA, '--wait')).resolves.toBe(1);
  expect(io.stderr).toEqual([`churn-delivery execution ${EXECUTION} was superseded by a newer execution`]);
});

test('a stopped execution exits 1 with CodePipeline\'s summary', async () => {
  script([{ status: 'Stopped', actions: allSucceeded().slice(0, 2), summary: 'Stopped by alice: wrong dataset' }]);
  await expect(run('--revision', SHA, '--wait')).resolves.toBe(1);
  expect(io.stderr).toEqual([`churn-delivery execution ${EXECUTION} stopped: Stopped by alice: wrong dataset`]);
});

test('throttling of the start is retried with the same idempotency token', async () => {
  cp.on(StartPipelineExecutionCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({ pipelineExecutionId: EXECUTION });
  await expect(run('--revision', SHA)).resolves.toBe(0);
  const tokens = cp.commandCalls(StartPipelineExecutionCommand).map((c) => c.args[0].input.clientRequestToken);
  expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
  expect(io.sleeps).toEqual([2000, 4000]);
  expect(io.stderr[0]).toBe('CodePipeline StartPipelineExecution on churn-delivery: ThrottlingException: Rate exceeded (attempt 1 of 6); retrying in 2s');
});

test('a network error mid-poll is retried and the follow goes on', async () => {
  let calls = 0;
  cp.on(GetPipelineExecutionCommand).callsFake(() => {
    calls++;
    if (calls === 2 || calls === 3) throw networkError();
    return { pipelineExecution: { pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION, status: calls >= 4 ? 'Succeeded' : 'InProgress', artifactRevisions: [{ revisionId: SHA }] } };
  });
  cp.on(ListActionExecutionsCommand).callsFake(() => ({ actionExecutionDetails: calls >= 4 ? allSucceeded() : allSucceeded().slice(0, 1) }));
  await expect(run('--revision', SHA, '--wait')).resolves.toBe(0);
  expect(calls).toBe(4);
  expect(io.sleeps).toEqual([10_000, 2000, 4000]);
  expect(io.stderr).toEqual([
    'CodePipeline GetPipelineExecution on churn-delivery: socket hang up (ECONNRESET) (attempt 1 of 6); retrying in 2s',
    'CodePipeline GetPipelineExecution on churn-delivery: socket hang up (ECONNRESET) (attempt 2 of 6); retrying in 4s',
  ]);
});

test('a network that stays down ends the follow with a clear error and exit 2', async () => {
  script([{ status: 'InProgress', actions: allSucceeded().slice(0, 1) }]);
  let calls = 0;
  cp.on(GetPipelineExecutionCommand).callsFake(() => {
    if (++calls > 1) throw networkError();
    return { pipelineExecution: { pipelineExecutionId: EXECUTION, status: 'InProgress' } };
  });
  await expect(run('--revision', SHA, '--wait')).resolves.toBe(2);
  expect(io.stderr.at(-1)).toBe('aidlc pipeline start: lost contact with AWS: CodePipeline GetPipelineExecution on churn-delivery failed 6 times in a row; last error: socket hang up (ECONNRESET)');
  expect(calls).toBe(7);
});

test('polls back off while nothing changes and speed up again on a change', async () => {
  const training = [...allSucceeded().slice(0, 2), action('Train', 'TrainAndRegister', 'InProgress', 20, 21)];
  script([
    ...Array.from({ length: 6 }, () => ({ status: 'InProgress', actions: training })),
    { status: 'InProgress', actions: allSucceeded().slice(0, 3) },
    { status: 'Succeeded', actions: allSucceeded() },
  ]);
  await expect(run('--revision', SHA, '--wait', '--poll-seconds', '5')).resolves.toBe(0);
  expect(io.sleeps).toEqual([5000, 7500, 11250, 16875, 25313, 37970, 5000]);
});

test('an unknown pipeline is a clear error with the fix, exit 2', async () => {
  cp.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error('Pipeline not found'), { name: 'PipelineNotFoundException' }));
  await expect(run('--revision', SHA)).resolves.toBe(2);
  expect(io.stderr).toEqual(['aidlc pipeline start: PipelineNotFoundException: Pipeline not found (deploy the delivery stack first, or check --pipeline and --region)']);
  expect(io.sleeps).toEqual([]);
});

test('--timeout-minutes stops following, writes what it saw, exits 1', async () => {
  script([{ status: 'InProgress', actions: allSucceeded().slice(0, 3) }]);
  await expect(run('--revision', SHA, '--wait', '--timeout-minutes', '1', '--summary', 's.md')).resolves.toBe(1);
  expect(io.stderr.at(-1)).toBe(`churn-delivery execution ${EXECUTION} still InProgress after 1 minutes; it keeps running in CodePipeline`);
  expect(io.files.get('s.md')).toContain('### churn-delivery: InProgress');
});

test('--detach-minutes stops following without failing: the run goes on', async () => {
  script([{ status: 'InProgress', actions: allSucceeded().slice(0, 3) }]);
  await expect(run('--revision', SHA, '--wait', '--detach-minutes', '1', '--summary', 's.md')).resolves.toBe(0);
  expect(io.stdout.at(-1)).toMatch(/still InProgress after 1 minutes; following stops here, the run goes on/);
  expect(io.files.get('s.md')).toContain('### churn-delivery: InProgress');
  await expect(run('--revision', SHA, '--wait', '--detach-minutes', '1', '--timeout-minutes', '2')).rejects.toThrow('pass one');
});

test('--until-approval stops at a stage waiting for a person, exit 0; without it, following goes on', async () => {
  const done = allSucceeded();
  const waiting = { status: 'InProgress', actions: [...done.slice(0, 4), action('Approve', 'ApproveModel', 'InProgress', 30, 31)] };
  script([waiting, { status: 'Succeeded', actions: done }]);
  await expect(run('--revision', SHA, '--wait', '--until-approval')).resolves.toBe(0);
  expect(cp.commandCalls(GetPipelineExecutionCommand)).toHaveLength(1);
  expect(io.stdout.at(-1)).toBe(`churn-delivery execution ${EXECUTION}: InProgress`);

  cp.resetHistory();
  script([waiting, { status: 'Succeeded', actions: done }]);
  await expect(run('--revision', SHA, '--wait')).resolves.toBe(0);
  expect(cp.commandCalls(GetPipelineExecutionCommand).length).toBeGreaterThanOrEqual(2);
});

test('without --wait, the summary records the start', async () => {
  await run('--revision', SHA, '--summary', 's.md');
  expect(io.files.get('s.md')).toBe(`### churn-delivery: started\n\nCommit \`${SHA.slice(0, 12)}\` · execution [\`${EXECUTION}\`](https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/churn-delivery/executions/${EXECUTION}/timeline?region=eu-west-1)\n`);
});
