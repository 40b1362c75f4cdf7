import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Profile } from '../../../pipelines/engine';
import { ExportOutcome, runExport } from '../../../pipelines/lambda/drift-monitor/export-baselines';
import { handler } from '../../../pipelines/lambda/drift-monitor/index';
import { exportModelMonitorBaseline } from '../../../pipelines/monitor';
import { FakeBucket, INPUT_COLUMNS } from '../../support/capture-files';
import { sampleProfile } from '../../support/churn-sample';

const s3Mock = mockClient(S3Client);
const SETTINGS = {
  bucket: 'artifacts',
  profileKey: 'baselines/churn/profile.json',
  statisticsKey: 'baselines/model-monitor/churn-prod/statistics.json',
  constraintsKey: 'baselines/model-monitor/churn-prod/constraints.json',
  features: INPUT_COLUMNS,
  comparisonThreshold: 0.1,
};

let profile: Profile;
let bucket: FakeBucket;

beforeAll(async () => {
  profile = await sampleProfile();
});

beforeEach(() => {
  s3Mock.reset();
  bucket = new FakeBucket(s3Mock);
  bucket.put(SETTINGS.profileKey, JSON.stringify(profile));
});

describe('Model Monitor baseline export', () => {
  test('writes statistics.json and constraints.json from the training profile', async () => {
    const outcome = await runExport(SETTINGS, new S3Client({}));
    expect(outcome).toEqual({ written: [SETTINGS.statisticsKey, SETTINGS.constraintsKey], unchanged: [] });
    const expected = exportModelMonitorBaseline(profile, { features: INPUT_COLUMNS, comparisonThreshold: 0.1 });
    expect(JSON.parse(bucket.objects.get(SETTINGS.statisticsKey)!)).toEqual(expected.statistics);
    expect(JSON.parse(bucket.objects.get(SETTINGS.constraintsKey)!)).toEqual(expected.constraints);
    expect(s3Mock.commandCalls(PutObjectCommand)[0].args[0].input.ContentType).toBe('application/json');
  });

  test('leaves the files alone while the profile is unchanged, rewrites them after retraining', async () => {
    await runExport(SETTINGS, new S3Client({}));
    expect(await runExport(SETTINGS, new S3Client({}))).toEqual({ written: [], unchanged: [SETTINGS.statisticsKey, SETTINGS.constraintsKey] });
    const retrained: Profile = { ...profile, rows: 2500 };
    bucket.put(SETTINGS.profileKey, JSON.stringify(retrained));
    expect((await runExport(SETTINGS, new S3Client({}))).written).toEqual([SETTINGS.statisticsKey]);
  });

  test('no profile yet: fails with the reason', async () => {
    bucket.objects.delete(SETTINGS.profileKey);
    await expect(runExport(SETTINGS, new S3Client({}))).rejects.toThrow(/does not exist: train the model first/);
  });

  test('the handler runs the export for its scheduled event', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      BASELINE_BUCKET: 'artifacts',
      BASELINE_KEY: SETTINGS.profileKey,
      STATISTICS_KEY: SETTINGS.statisticsKey,
      CONSTRAINTS_KEY: SETTINGS.constraintsKey,
      FEATURES: JSON.stringify(INPUT_COLUMNS),
      COMPARISON_THRESHOLD: '0.1',
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const outcome = await handler({ source: 'aidlc.baseline-export' }) as ExportOutcome;
      expect(outcome.written).toHaveLength(2);
    } finally {
      process.env = saved;
    }
  });
});
