import {
  DescribePipelineExecutionCommand, ListPipelineExecutionStepsCommand, PipelineExecutionStep, SageMakerClient, StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeIo, SHA } from './pipeline-fixtures';
import { SOURCE_REVISION_PARAMETER, createPipelineTrainCommand } from '../../../pipelines/cli/commands/pipeline-train';
import { TrainingPipeline } from '../../../src/constructs/training/training-pipeline';

const sm = mockClient(SageMakerClient);
const RUN = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/churn-training/execution/abc123';
const PACKAGE = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn/7';
let io: FakeIo;

const step = (StepName: string, StepStatus: PipelineExecutionStep['StepStatus'], extra: Partial<PipelineExecutionStep> = {}): PipelineExecutionStep => ({ StepName, StepStatus, ...extra });

/** DescribePipelineExecution and ListPipelineExecutionSteps answer poll by poll. */
function script(polls: { status: 'Executing' | 'Succeeded' | 'Failed' | 'Stopped'; steps: PipelineExecutionStep[]; reason?: string }[]): void {
  let i = -1;
  sm.on(DescribePipelineExecutionCommand).callsFake(() => {
    i = Math.min(i + 1, polls.length - 1);
    return { PipelineExecutionStatus: polls[i].status, FailureReason: polls[i].reason };
  });
  sm.on(ListPipelineExecutionStepsCommand).callsFake(() => ({ PipelineExecutionSteps: polls[Math.max(i, 0)].steps }));
}

beforeEach(() => {
  sm.reset();
  io = new FakeIo();
  sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: RUN });
});

const run = (...args: string[]) => createPipelineTrainCommand(io).run(args);

test('runs <model>-training for the commit, waits, and hands over the registered model package', async () => {
  script([
    { status: 'Executing', steps: [step('Train', 'Executing')] },
    { status: 'Executing', steps: [step('Train', 'Executing')] },
    { status: 'Succeeded', steps: [step('Register', 'Succeeded', { Metadata: { RegisterModel: { Arn: PACKAGE } } }), step('MetricCheck', 'Succeeded', { Metadata: { Condition: { Outcome: 'True' } } }), step('Evaluate', 'Succeeded'), step('Train', 'Succeeded')] },
  ]);
  await expect(run('--commit', SHA, '--arn-file', 'model-package.arn')).resolves.toBe(0);
  const input = sm.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
  expect(input).toEqual({
    PipelineName: 'churn-training',
    PipelineExecutionDisplayName: `commit-${SHA.slice(0, 12)}`,
    PipelineExecutionDescription: `aidlc delivery pipeline, commit ${SHA}`,
    PipelineParameters: [{ Name: 'SourceRevision', Value: SHA }],
    ClientRequestToken: 'token-1',
  });
  expect(io.files.get('model-package.arn')).toBe(PACKAGE);
  expect(io.stdout).toEqual([
    `Started churn-training: ${RUN}`,
    'Train Executing',
    'Register Succeeded | MetricCheck Succeeded | Evaluate Succeeded | Train Succeeded',
    `Registered ${PACKAGE}`,
  ]);
  expect(io.sleeps).toEqual([30_000, 30_000]);
});

test('the commit parameter has the name the training pipeline declares', () => {
  expect(SOURCE_REVISION_PARAMETER).toBe(TrainingPipeline.SOURCE_REVISION_PARAMETER);
});

test('parameters and an explicit pipeline and region need no config', async () => {
  io = new FakeIo({});
  script([{ status: 'Succeeded', steps: [step('Register', 'Succeeded', { Metadata: { RegisterModel: { Arn: PACKAGE } } })] }]);
  await expect(run('--training-pipeline', 'other-training', '--region', 'us-east-2', '--parameter', 'InputData=s3://b/k')).resolves.toBe(0);
  expect(sm.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters).toEqual([{ Name: 'InputData', Value: 's3://b/k' }]);
  expect(await sm.call(0).thisValue.config.region()).toBe('us-east-2');
});

test('a model below its metric bar registers nothing: exit 1 with the reason', async () => {
  script([{ status: 'Succeeded', steps: [step('MetricCheck', 'Succeeded', { Metadata: { Condition: { Outcome: 'False' } } }), step('Train', 'Succeeded')] }]);
  await expect(run('--commit', SHA, '--arn-file', 'a')).resolves.toBe(1);
  expect(io.stderr).toEqual(['churn-training: the model did not meet the bar: condition step MetricCheck was false, so nothing was registered']);
  expect(io.files.has('a')).toBe(false);
});

test('a failed step fails the stage with the step\'s reason', async () => {
  script([{ status: 'Failed', reason: 'Step failure: One or multiple steps failed.', steps: [step('Train', 'Failed', { FailureReason: 'ClientError: Spot capacity not available after MaxWaitTimeInSeconds' })] }]);
  await expect(run()).resolves.toBe(1);
  expect(io.stderr).toEqual(['churn-training: training run failed at step Train: ClientError: Spot capacity not available after MaxWaitTimeInSeconds']);
});

test('throttled polls are retried; a run past the timeout exits 1', async () => {
  let describes = 0;
  sm.on(DescribePipelineExecutionCommand).callsFake(() => {
    describes++;
    if (describes === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    return { PipelineExecutionStatus: 'Executing' };
  });
  sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [step('Train', 'Executing')] });
  await expect(run('--timeout-minutes', '2', '--poll-seconds', '60')).resolves.toBe(1);
  expect(io.stderr[0]).toBe('SageMaker DescribePipelineExecution on churn-training: ThrottlingException: Rate exceeded (attempt 1 of 6); retrying in 2s');
  expect(io.stderr.at(-1)).toBe(`churn-training: training run ${RUN} still Executing after 2 minutes`);
});

test('a training pipeline that does not exist is exit 2', async () => {
  sm.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error('Pipeline arn:aws:sagemaker:eu-west-1:123456789012:pipeline/churn-training does not exist.'), { name: 'ResourceNotFound' }));
  await expect(run()).resolves.toBe(2);
  expect(io.stderr[0]).toMatch(/^aidlc pipeline train: ResourceNotFound: Pipeline .* does not exist\.$/);
});
