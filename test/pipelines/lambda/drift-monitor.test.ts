import { CloudWatchClient, MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Profile } from '../../../pipelines/engine';
import { MonitorSettings, monitorSettings } from '../../../pipelines/lambda/drift-monitor/environment';
import { handler } from '../../../pipelines/lambda/drift-monitor/index';
import { DRIFT_METRICS } from '../../../pipelines/lambda/drift-monitor/metrics';
import { MonitorOutcome, runMonitor } from '../../../pipelines/lambda/drift-monitor/monitor';
import { FakeBucket, INPUT_COLUMNS, captureLines } from '../../support/capture-files';
import { sampleProfile, sampleRows } from '../../support/churn-sample';

const s3Mock = mockClient(S3Client);
const cwMock = mockClient(CloudWatchClient);

const NOW = new Date('2026-11-22T10:30:00Z');
const PREFIX = 'data-capture/churn-prod/primary/';
const SETTINGS: MonitorSettings = {
  endpoint: 'churn-prod',
  captureBucket: 'artifacts',
  capturePrefix: PREFIX,
  baselineBucket: 'artifacts',
  baselineKey: 'baselines/churn/profile.json',
  windowHours: 24,
  psiThreshold: 0.2,
  ksThreshold: 0.1,
  features: INPUT_COLUMNS,
  inputColumns: INPUT_COLUMNS,
  namespace: 'AIDLC/Drift',
};

let baseline: Profile;
let bucket: FakeBucket;
const rows = sampleRows();

beforeAll(async () => {
  baseline = await sampleProfile();
});

beforeEach(() => {
  s3Mock.reset();
  cwMock.reset();
  cwMock.on(PutMetricDataCommand).resolves({});
  bucket = new FakeBucket(s3Mock, 2);
  bucket.put(SETTINGS.baselineKey, JSON.stringify(baseline));
});

/** Captured traffic spread over three hour folders of the window. */
function capture(data: Record<string, string>[], encoding: 'CSV' | 'JSON' | 'BASE64' = 'CSV'): void {
  const third = Math.ceil(data.length / 3);
  ['2026/11/21/14', '2026/11/22/03', '2026/11/22/10'].forEach((hour, i) => {
    bucket.put(`${PREFIX}${hour}/12-00-000-file-${i}.jsonl`, captureLines(data.slice(i * third, (i + 1) * third), { encoding, perRequest: i + 1 }));
  });
}

/** The sample with monthly charges up 60% and most customers moved to month-to-month contracts. */
function drifted(): Record<string, string>[] {
  return rows.map((r, i) => ({
    ...r,
    monthly_charges: (Number(r.monthly_charges) * 1.6).toFixed(2),
    contract: i % 10 < 8 ? 'month-to-month' : r.contract,
  }));
}

function published(): MetricDatum[] {
  return cwMock.commandCalls(PutMetricDataCommand).flatMap((c) => {
    expect(c.args[0].input.Namespace).toBe('AIDLC/Drift');
    return c.args[0].input.MetricData ?? [];
  });
}

function value(data: MetricDatum[], metric: string, feature?: string): number | undefined {
  return data.find((d) => d.MetricName === metric && d.Dimensions?.some((x) => x.Name === 'Endpoint' && x.Value === 'churn-prod')
    && (feature === undefined ? d.Dimensions.length === 1 : d.Dimensions.some((x) => x.Name === 'Feature' && x.Value === feature)))?.Value;
}

describe('built-in drift monitor', () => {
  test('traffic like the training data: no drift, every feature scored near zero', async () => {
    capture(rows);
    const outcome = await runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(outcome.verdict).toBe('ok');
    expect(outcome.rows).toBe(2000);
    expect(outcome.files).toBe(3);
    expect(outcome.drifted).toEqual([]);
    expect(Object.keys(outcome.scores).sort()).toEqual([...INPUT_COLUMNS].sort());
    for (const s of Object.values(outcome.scores)) {
      expect(s.psi).toBeLessThan(0.001);
      if (s.ks !== undefined) expect(s.ks).toBeLessThan(0.01);
    }

    const data = published();
    expect(value(data, DRIFT_METRICS.rowsProfiled)).toBe(2000);
    expect(value(data, DRIFT_METRICS.driftedFeatures)).toBe(0);
    for (const f of INPUT_COLUMNS) expect(value(data, DRIFT_METRICS.drift, f)).toBe(0);
    expect(value(data, DRIFT_METRICS.ks, 'monthly_charges')).toBeLessThan(0.01);
    // KS only for numeric features.
    expect(value(data, DRIFT_METRICS.ks, 'contract')).toBeUndefined();
    expect(value(data, DRIFT_METRICS.psi, 'contract')).toBeLessThan(0.001);
  });

  test('injected drift: the shifted features drift, the others do not, and the metrics say so', async () => {
    capture(drifted());
    const outcome = await runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(outcome.verdict).toBe('drift');
    expect(outcome.drifted).toEqual(['monthly_charges', 'contract']);
    expect(outcome.scores.monthly_charges.psi).toBeGreaterThan(0.2);
    expect(outcome.scores.monthly_charges.ks).toBeGreaterThan(0.1);
    expect(outcome.scores.contract.psi).toBeGreaterThan(0.2);
    expect(outcome.scores.age).toEqual(expect.objectContaining({ drifted: false }));

    const data = published();
    expect(value(data, DRIFT_METRICS.drift, 'monthly_charges')).toBe(1);
    expect(value(data, DRIFT_METRICS.drift, 'contract')).toBe(1);
    expect(value(data, DRIFT_METRICS.drift, 'age')).toBe(0);
    expect(value(data, DRIFT_METRICS.drift, 'total_charges')).toBe(0);
    expect(value(data, DRIFT_METRICS.driftedFeatures)).toBe(2);
    expect(value(data, DRIFT_METRICS.psi, 'monthly_charges')).toBeCloseTo(outcome.scores.monthly_charges.psi, 5);
    const drift = data.find((d) => d.MetricName === 'Drift' && d.Dimensions?.some((x) => x.Value === 'contract'))!;
    expect(drift.Dimensions).toEqual([{ Name: 'Endpoint', Value: 'churn-prod' }, { Name: 'Feature', Value: 'contract' }]);
    expect(drift.Timestamp).toEqual(NOW);
  });

  test.each(['JSON', 'BASE64'] as const)('reads %s-encoded capture the same as CSV', async (encoding) => {
    capture(drifted(), encoding);
    const outcome = await runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(outcome.rows).toBe(2000);
    expect(outcome.drifted).toEqual(['monthly_charges', 'contract']);
  });

  test('reads only the window: older captured files are left out', async () => {
    capture(rows);
    bucket.put(`${PREFIX}2026/11/21/09/59-59-000-old.jsonl`, captureLines(drifted()));
    bucket.put(`${PREFIX}2026/11/20/10/00-00-000-older.jsonl`, captureLines(drifted()));
    const outcome = await runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(outcome.files).toBe(3);
    expect(outcome.verdict).toBe('ok');
    const shorter = await runMonitor({ ...SETTINGS, windowHours: 2 }, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(shorter.files).toBe(1);
  });

  test('nothing captured in the window: no-data, only the row count is published', async () => {
    const outcome = await runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(outcome.verdict).toBe('no-data');
    expect(outcome.skipped.age).toBe('no captured data in the window');
    const data = published();
    expect(data.map((d) => d.MetricName)).toEqual(['RowsProfiled']);
    expect(data[0].Value).toBe(0);
  });

  test('an unreadable capture file is skipped and reported; the rest is scored', async () => {
    capture(rows);
    bucket.put(`${PREFIX}2026/11/22/09/empty.jsonl`, '');
    const outcome = await runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW);
    expect(Object.keys(outcome.unreadable)).toEqual([`${PREFIX}2026/11/22/09/empty.jsonl`]);
    expect(outcome.verdict).toBe('ok');
  });

  test('a missing baseline fails the run with the reason', async () => {
    bucket.objects.delete(SETTINGS.baselineKey);
    await expect(runMonitor(SETTINGS, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW)).rejects.toThrow(/baseline profile s3:\/\/artifacts\/baselines\/churn\/profile.json does not exist/);
  });

  test('an input column the baseline lacks fails the run with the reason', async () => {
    capture(rows);
    await expect(runMonitor({ ...SETTINGS, inputColumns: [...INPUT_COLUMNS, 'income'] }, { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) }, NOW))
      .rejects.toThrow(/no column "income"/);
  });

  describe('handler', () => {
    const ENV = {
      ENDPOINT_NAME: 'churn-prod',
      CAPTURE_BUCKET: 'artifacts',
      CAPTURE_PREFIX: PREFIX,
      BASELINE_BUCKET: 'artifacts',
      BASELINE_KEY: SETTINGS.baselineKey,
      WINDOW_HOURS: '24',
      PSI_THRESHOLD: '0.2',
      KS_THRESHOLD: '0.1',
      FEATURES: JSON.stringify(INPUT_COLUMNS),
      METRIC_NAMESPACE: 'AIDLC/Drift',
    };
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
      jest.useRealTimers();
    });

    test('a scheduled event runs the monitor from the environment', async () => {
      Object.assign(process.env, ENV);
      jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'queueMicrotask'] });
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      capture(drifted());
      const outcome = await handler({ source: 'aidlc.drift-monitor' }) as MonitorOutcome;
      expect(outcome.verdict).toBe('drift');
      expect(value(published(), DRIFT_METRICS.driftedFeatures)).toBe(2);
    });

    test('input columns other than the features are read from INPUT_COLUMNS', () => {
      const settings = monitorSettings({ ...ENV, FEATURES: '["age"]', INPUT_COLUMNS: JSON.stringify(INPUT_COLUMNS) });
      expect(settings.features).toEqual(['age']);
      expect(settings.inputColumns).toEqual(INPUT_COLUMNS);
      expect(monitorSettings(ENV).inputColumns).toEqual(INPUT_COLUMNS);
    });

    test('a missing setting fails with its name', async () => {
      Object.assign(process.env, { ...ENV, FEATURES: '' });
      await expect(handler({ source: 'aidlc.drift-monitor' })).rejects.toThrow(/function environment: FEATURES = "": is not set. Fix: the BuiltinDriftMonitor construct sets it/);
    });
  });
});
