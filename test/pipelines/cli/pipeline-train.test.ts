import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribePipelineExecutionCommand, ListPipelineExecutionStepsCommand, PipelineExecutionStep, SageMakerClient, StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { SOURCE_REVISION_PARAMETER, createPipelineTrainCommand } from '../../../pipelines/cli/commands/pipeline-train';
import { buildManifest, serializeManifest, sha256Hex } from '../../../pipelines/gate/manifest';
import { PIPELINE_PARAMETER_NAMES } from '../../../src/constructs/training/pipeline-definition';
import { TrainingPipeline } from '../../../src/constructs/training/training-pipeline';
import { FakeIo } from '../../support/fake-io';
import { SHA } from '../../support/pipeline-executions';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const MANIFEST_URI = 's3://val/validated/churn/runs/e-1/manifest.json';

function manifestText(verdict: 'pass' | 'fail' = 'pass'): string {
  return serializeManifest(buildManifest({
    dataset: 'churn',
    run: 'e-1',
    createdAt: new Date('2026-12-01T00:00:00Z'),
    source: 's3://raw/raw/churn/',
    contract: {},
    trainingBaseline: { uri: 's3://val/validated/churn/runs/e-1/baseline-profile.json', sha256: 'a'.repeat(64) },
    gateReport: { uri: 's3://val/validated/churn/runs/e-1/gate-report.json', verdict },
    dataUri: 's3://val/validated/churn/runs/e-1/data/',
    objects: [{ bucket: 'val', key: 'validated/churn/runs/e-1/data/train.csv', size: 10, sha256: 'b'.repeat(64), rows: 2000, source: { bucket: 'raw', key: 'raw/churn/train.csv' }, report: 's3://r', verdict: 'pass' }],
  }));
}
const MANIFEST = manifestText();
const MANIFEST_SHA = sha256Hex(MANIFEST);
const DATASET_PARAMETERS = [
  { Name: 'InputDataUri', Value: 's3://val/validated/churn/runs/e-1/data/' },
  { Name: 'DatasetManifestUri', Value: MANIFEST_URI },
  { Name: 'DatasetManifestSha256', Value: MANIFEST_SHA },
  { Name: 'BaselineProfileUri', Value: 's3://val/validated/churn/runs/e-1/baseline-profile.json' },
];
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
  s3.reset();
  s3.on(GetObjectCommand, { Bucket: 'val', Key: 'validated/churn/runs/e-1/manifest.json' }).callsFake(() => ({ Body: { transformToString: async () => MANIFEST } }));
  io = new FakeIo();
  sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: RUN });
});

const run = (...args: string[]) => createPipelineTrainCommand(io).run([...args, '--manifest', MANIFEST_URI, '--manifest-sha256', MANIFEST_SHA]);

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
    PipelineParameters: [{ Name: 'SourceRevision', Value: SHA }, ...DATASET_PARAMETERS],
    ClientRequestToken: 'token-1',
  });
  expect(io.files.get('model-package.arn')).toBe(PACKAGE);
  expect(io.stdout).toEqual([
    `Dataset: gate run e-1, 1 object(s), 2000 rows (${MANIFEST_URI})`,
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
  expect(sm.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters).toEqual([{ Name: 'InputData', Value: 's3://b/k' }, ...DATASET_PARAMETERS]);
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

describe('the dataset a run trains on', () => {
  test('the dataset parameters have the names the training pipeline declares', () => {
    expect(Object.values(DATASET_PARAMETERS).map((p) => p.Name)).toEqual([
      PIPELINE_PARAMETER_NAMES.inputData, PIPELINE_PARAMETER_NAMES.datasetManifest,
      PIPELINE_PARAMETER_NAMES.datasetManifestSha256, PIPELINE_PARAMETER_NAMES.baselineProfile,
    ]);
  });

  test('a manifest whose hash is not the recorded one starts nothing (exit 2)', async () => {
    const code = await createPipelineTrainCommand(io).run(['--commit', SHA, '--manifest', MANIFEST_URI, '--manifest-sha256', 'c'.repeat(64)]);
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/changed after the gate wrote it/);
    expect(sm.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });

  test('a failed gate run starts nothing (exit 1)', async () => {
    const failed = manifestText('fail');
    s3.on(GetObjectCommand).callsFake(() => ({ Body: { transformToString: async () => failed } }));
    const code = await createPipelineTrainCommand(io).run(['--manifest', MANIFEST_URI, '--manifest-sha256', sha256Hex(failed)]);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/gate run e-1 did not pass/);
    expect(sm.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });

  test('no manifest is a usage error that says why', async () => {
    await expect(createPipelineTrainCommand(io).run(['--commit', SHA])).rejects.toThrow(/--manifest = \(not set\): is required: a training run names the gate run/);
    await expect(createPipelineTrainCommand(io).run(['--manifest', MANIFEST_URI])).rejects.toThrow(/--manifest-sha256 = \(not set\): is missing.*Fix: pass --manifest and --manifest-sha256 together/);
  });
});
