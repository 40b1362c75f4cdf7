import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListPipelineExecutionsCommand, SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { buildManifest, serializeManifest, sha256Hex } from '../../../pipelines/gate/manifest';
import { handler } from '../../../pipelines/lambda/drift-monitor/index';
import { AlarmStateChangeEvent, RetrainOutcome, displayName, isAlarmStateChange, runRetrain } from '../../../pipelines/lambda/drift-monitor/retrain';

const sm = mockClient(SageMakerClient);
const NOW = new Date('2026-11-22T10:30:00Z');
const SETTINGS = { pipelineName: 'churn-training', cooldownHours: 24, displayNamePrefix: 'drift-' };
const HOUR = 3_600_000;

function alarmEvent(state = 'ALARM'): AlarmStateChangeEvent {
  return {
    'id': '7bf73129-1428-4cd3-a780-95db273d1602',
    'source': 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    'detail': { alarmName: 'churn-prod-drift-monthly_charges', state: { value: state } },
  };
}

function execution(name: string, hoursAgo: number) {
  return {
    PipelineExecutionArn: `arn:aws:sagemaker:us-east-1:111111111111:pipeline/churn-training/execution/${name}`,
    PipelineExecutionDisplayName: name,
    StartTime: new Date(NOW.getTime() - hoursAgo * HOUR),
  };
}

beforeEach(() => {
  sm.reset();
  sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/churn-training/execution/new' });
});

describe('retraining on drift', () => {
  test('an alarm going into ALARM starts the training pipeline, named as drift-triggered', async () => {
    sm.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [execution('commit-abc123', 2)] });
    const outcome = await runRetrain(SETTINGS, new SageMakerClient({}), alarmEvent(), NOW);
    expect(outcome).toEqual({ started: true, reason: 'churn-prod-drift-monthly_charges fired', executionArn: expect.stringContaining('execution/new') });
    const start = sm.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
    expect(start).toEqual({
      PipelineName: 'churn-training',
      PipelineExecutionDisplayName: 'drift-20261122t103000z',
      PipelineExecutionDescription: 'Retraining after drift: churn-prod-drift-monthly_charges',
      ClientRequestToken: '7bf73129-1428-4cd3-a780-95db273d1602',
    });
    const list = sm.commandCalls(ListPipelineExecutionsCommand)[0].args[0].input;
    expect(list).toEqual(expect.objectContaining({ PipelineName: 'churn-training', CreatedAfter: new Date(NOW.getTime() - 24 * HOUR), SortBy: 'CreationTime', SortOrder: 'Descending' }));
  });

  test('a drift-triggered run within the cooldown holds the next one back', async () => {
    sm.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [execution('commit-abc123', 1), execution('drift-20261122t043000z', 6)] });
    const outcome = await runRetrain(SETTINGS, new SageMakerClient({}), alarmEvent(), NOW);
    expect(outcome.started).toBe(false);
    expect(outcome.reason).toMatch(/drift-20261122t043000z started 2026-11-22T04:30:00.000Z, within the 24 h cooldown/);
    expect(sm.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });

  test('a drift-triggered run older than the cooldown does not', async () => {
    sm.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [execution('drift-20261121t083000z', 26)] });
    expect((await runRetrain(SETTINGS, new SageMakerClient({}), alarmEvent(), NOW)).started).toBe(true);
  });

  test('the cooldown looks through every page of executions', async () => {
    sm.on(ListPipelineExecutionsCommand)
      .resolvesOnce({ PipelineExecutionSummaries: [execution('commit-1', 1)], NextToken: 'p2' })
      .resolvesOnce({ PipelineExecutionSummaries: [execution('drift-20261122t000000z', 10)] });
    expect((await runRetrain(SETTINGS, new SageMakerClient({}), alarmEvent(), NOW)).started).toBe(false);
    expect(sm.commandCalls(ListPipelineExecutionsCommand)[1].args[0].input.NextToken).toBe('p2');
  });

  test('an alarm returning to OK starts nothing', async () => {
    const outcome = await runRetrain(SETTINGS, new SageMakerClient({}), alarmEvent('OK'), NOW);
    expect(outcome).toEqual({ started: false, reason: 'churn-prod-drift-monthly_charges is not in ALARM' });
    expect(sm.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(0);
  });

  test('display names fit SageMaker\'s pattern', () => {
    const name = displayName('drift-', NOW);
    expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/);
  });

  test('the handler tells alarm events from scheduled ones', async () => {
    expect(isAlarmStateChange(alarmEvent())).toBe(true);
    expect(isAlarmStateChange({ source: 'aidlc.drift-monitor' })).toBe(false);
    const saved = { ...process.env };
    Object.assign(process.env, { PIPELINE_NAME: 'churn-training', COOLDOWN_HOURS: '12', DISPLAY_NAME_PREFIX: 'drift-' });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    sm.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
    try {
      const outcome = await handler(alarmEvent()) as RetrainOutcome;
      expect(outcome.started).toBe(true);
    } finally {
      process.env = saved;
    }
  });
});

describe('retraining trains on the newest passing gate run', () => {
  const s3 = mockClient(S3Client);
  const manifest = serializeManifest(buildManifest({
    dataset: 'churn',
    run: 'e-9',
    createdAt: new Date('2026-11-21T00:00:00Z'),
    source: 's3://raw/raw/churn/',
    contract: {},
    trainingBaseline: { uri: 's3://val/validated/churn/runs/e-9/baseline-profile.json', sha256: 'a'.repeat(64) },
    gateReport: { uri: 's3://val/validated/churn/runs/e-9/gate-report.json', verdict: 'pass' },
    dataUri: 's3://val/validated/churn/runs/e-9/data/',
    objects: [],
  }));
  const pointer = (sha: string) => JSON.stringify({ run: 'e-9', manifestUri: 's3://val/validated/churn/runs/e-9/manifest.json', manifestSha256: sha, createdAt: '2026-11-21T00:00:00.000Z' });
  const body = (text: string) => ({ Body: { transformToString: async () => text } as never });
  afterAll(() => s3.restore());

  test('the run is started on that run\'s data, manifest, hash and baseline', async () => {
    s3.reset();
    s3.on(GetObjectCommand, { Key: 'validated/churn/runs/latest-pass.json' }).resolves(body(pointer(sha256Hex(manifest))));
    s3.on(GetObjectCommand, { Key: 'validated/churn/runs/e-9/manifest.json' }).resolves(body(manifest));
    sm.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
    await runRetrain({ ...SETTINGS, latestDatasetUri: 's3://val/validated/churn/runs/latest-pass.json' }, new SageMakerClient({}), alarmEvent(), NOW, new S3Client({}));
    expect(sm.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters).toEqual([
      { Name: 'InputDataUri', Value: 's3://val/validated/churn/runs/e-9/data/' },
      { Name: 'DatasetManifestUri', Value: 's3://val/validated/churn/runs/e-9/manifest.json' },
      { Name: 'DatasetManifestSha256', Value: sha256Hex(manifest) },
      { Name: 'BaselineProfileUri', Value: 's3://val/validated/churn/runs/e-9/baseline-profile.json' },
    ]);
  });

  test('a manifest that does not match the pointer\'s hash starts nothing', async () => {
    s3.reset();
    s3.on(GetObjectCommand, { Key: 'validated/churn/runs/latest-pass.json' }).resolves(body(pointer('0'.repeat(64))));
    s3.on(GetObjectCommand, { Key: 'validated/churn/runs/e-9/manifest.json' }).resolves(body(manifest));
    sm.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
    await expect(runRetrain({ ...SETTINGS, latestDatasetUri: 's3://val/validated/churn/runs/latest-pass.json' }, new SageMakerClient({}), alarmEvent(), NOW, new S3Client({})))
      .rejects.toThrow(/changed after the gate wrote it/);
    expect(sm.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });
});
