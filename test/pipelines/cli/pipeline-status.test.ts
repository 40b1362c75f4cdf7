import {
  CodePipelineClient, GetPipelineCommand, GetPipelineExecutionCommand, ListActionExecutionsCommand, ListPipelineExecutionsCommand,
  PipelineExecutionStatus,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { createPipelineStatusCommand } from '../../../pipelines/cli/commands/pipeline-status';
import { FakeIo } from '../../support/fake-io';
import { action, allSucceeded, EXECUTION, SHA, STAGES } from '../../support/pipeline-executions';

const cp = mockClient(CodePipelineClient);
let io: FakeIo;

beforeEach(() => {
  cp.reset();
  io = new FakeIo();
  cp.on(GetPipelineCommand).resolves({ pipeline: { name: 'churn-delivery', roleArn: 'r', stages: STAGES } });
  cp.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: EXECUTION, status: 'InProgress' }] });
});

const run = (...args: string[]) => createPipelineStatusCommand(io).run(args);

function execution(status: PipelineExecutionStatus, actions = allSucceeded()): void {
  cp.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION, status, artifactRevisions: [{ revisionId: SHA }] } });
  cp.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: actions });
}

test('shows the latest execution stage by stage; a running one exits 0', async () => {
  execution('InProgress', [...allSucceeded().slice(0, 3), action('Approve', 'ApproveModel', 'InProgress', 30, 30)]);
  await expect(run()).resolves.toBe(0);
  expect(cp.commandCalls(ListPipelineExecutionsCommand)[0].args[0].input).toEqual({ pipelineName: 'churn-delivery', maxResults: 1 });
  expect(cp.commandCalls(GetPipelineExecutionCommand)[0].args[0].input).toEqual({ pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION });
  expect(io.stdout[0]).toMatch(/^\[InProgress\] Source ✓ 5m 00s \| Gate ✓ 5m 00s \| Train ✓ 5m 00s \| Approve ⏸ approval /);
  expect(io.stdout.join('\n')).toContain('| Approve | ⏸ Waiting for approval | 10:30:00 UTC |');
});

test('a given execution that failed exits 1; its summary goes to the file', async () => {
  execution('Failed', [...allSucceeded().slice(0, 1), action('Gate', 'DataGate', 'Failed', 10, 12, { output: { executionResult: { externalExecutionSummary: '3 contract violations' } } })]);
  await expect(run('--execution', 'older-one', '--summary', 'out.md')).resolves.toBe(1);
  expect(cp.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(0);
  expect(cp.commandCalls(GetPipelineExecutionCommand)[0].args[0].input.pipelineExecutionId).toBe('older-one');
  expect(io.files.get('out.md')).toContain('| Gate | ✗ Failed | 10:10:00 UTC | 2m 00s | DataGate: 3 contract violations |');
});

test('a pipeline that never ran is exit 2 with what to do', async () => {
  cp.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
  await expect(run()).resolves.toBe(2);
  expect(io.stderr).toEqual(['churn-delivery has no executions yet: start one with "aidlc pipeline start --revision SHA"']);
});

test('--wait follows the execution to its end', async () => {
  let polls = 0;
  cp.on(GetPipelineExecutionCommand).callsFake(() => ({ pipelineExecution: { pipelineName: 'churn-delivery', pipelineExecutionId: EXECUTION, status: ++polls < 3 ? 'InProgress' : 'Succeeded' } }));
  cp.on(ListActionExecutionsCommand).callsFake(() => ({ actionExecutionDetails: polls < 3 ? allSucceeded().slice(0, 2) : allSucceeded() }));
  await expect(run('--wait')).resolves.toBe(0);
  expect(polls).toBe(3);
  expect(io.stdout.at(-1)).toBe(`churn-delivery execution ${EXECUTION}: Succeeded`);
});

test('access denied is reported with a hint, exit 2', async () => {
  cp.on(ListPipelineExecutionsCommand).rejects(Object.assign(new Error('User is not authorized to perform: codepipeline:ListPipelineExecutions'), { name: 'AccessDeniedException' }));
  await expect(run()).resolves.toBe(2);
  expect(io.stderr[0]).toBe('aidlc pipeline status: AccessDeniedException: User is not authorized to perform: codepipeline:ListPipelineExecutions (check the AWS credentials and the role\'s permissions)');
});
