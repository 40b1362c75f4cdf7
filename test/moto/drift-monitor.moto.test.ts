import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MonitorSettings } from '../../pipelines/lambda/drift-monitor/environment';
import { DRIFT_METRICS } from '../../pipelines/lambda/drift-monitor/metrics';
import { runMonitor } from '../../pipelines/lambda/drift-monitor/monitor';
import { captureLines, INPUT_COLUMNS } from '../support/capture-files';
import { sampleProfile, sampleRows } from '../support/churn-sample';
import { motoAvailable, motoClientConfig, MotoServer, startMoto } from '../support/moto-server';

/**
 * The built-in drift monitor against S3 and CloudWatch as moto models them: captured traffic in
 * the bucket, a run, and the metrics CloudWatch then holds (what the alarms and the dashboard read).
 */
jest.setTimeout(120_000);

const NOW = new Date('2026-11-22T10:30:00Z');
const BUCKET = 'churn-artifacts';
const PREFIX = 'data-capture/churn-prod/primary/';
const SETTINGS: MonitorSettings = {
  endpoint: 'churn-prod',
  captureBucket: BUCKET,
  capturePrefix: PREFIX,
  baselineBucket: BUCKET,
  baselineKey: 'baselines/churn/profile.json',
  windowHours: 24,
  psiThreshold: 0.2,
  ksThreshold: 0.1,
  features: INPUT_COLUMNS,
  inputColumns: INPUT_COLUMNS,
  namespace: DRIFT_METRICS.defaultNamespace,
};

(motoAvailable() ? describe : describe.skip)('built-in drift monitor on S3 and CloudWatch (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client(motoClientConfig(moto.endpoint));
    cloudwatch = new CloudWatchClient(motoClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    s3?.destroy();
    cloudwatch?.destroy();
    await moto?.stop();
  });

  test('a drifted window: CloudWatch holds each feature\'s scores and drift flags under the endpoint', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: SETTINGS.baselineKey, Body: JSON.stringify(await sampleProfile()) }));
    // Most customers moved to month-to-month contracts, monthly charges up 60%, over three hours of capture.
    const drifted = sampleRows().map((r, i) => ({ ...r, monthly_charges: (Number(r.monthly_charges) * 1.6).toFixed(2), contract: i % 10 < 8 ? 'month-to-month' : r.contract }));
    const hours = ['2026/11/21/14', '2026/11/22/03', '2026/11/22/10'];
    const third = Math.ceil(drifted.length / 3);
    for (const [i, hour] of hours.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${hour}/12-00-000-file-${i}.jsonl`, Body: captureLines(drifted.slice(i * third, (i + 1) * third), { perRequest: 5 }) }));
    }
    // Outside the window: not read.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}2026/11/20/10/00-00-000-old.jsonl`, Body: captureLines(sampleRows()) }));

    const outcome = await runMonitor(SETTINGS, { s3, cloudwatch }, NOW);
    expect(outcome).toMatchObject({ verdict: 'drift', files: 3, rows: 2000, drifted: ['monthly_charges', 'contract'] });

    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: DRIFT_METRICS.defaultNamespace }));
    const names = (listed.Metrics ?? []).map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`).sort();
    const numeric = ['age', 'tenure_months', 'monthly_charges', 'total_charges', 'support_calls'];
    expect(names).toEqual([
      'DriftedFeatures Endpoint=churn-prod',
      'RowsProfiled Endpoint=churn-prod',
      ...INPUT_COLUMNS.map((f) => `Drift Endpoint=churn-prod,Feature=${f}`),
      ...INPUT_COLUMNS.map((f) => `PSI Endpoint=churn-prod,Feature=${f}`),
      ...numeric.filter((f) => outcome.scores[f]?.ks !== undefined).map((f) => `KS Endpoint=churn-prod,Feature=${f}`),
    ].sort());

    const stat = async (metric: string, feature?: string) => {
      const r = await cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: DRIFT_METRICS.defaultNamespace,
        MetricName: metric,
        Dimensions: [{ Name: 'Endpoint', Value: 'churn-prod' }, ...(feature ? [{ Name: 'Feature', Value: feature }] : [])],
        StartTime: new Date(NOW.getTime() - 3600_000),
        EndTime: new Date(NOW.getTime() + 3600_000),
        Period: 3600,
        Statistics: ['Maximum', 'SampleCount'],
      }));
      expect(r.Datapoints).toHaveLength(1);
      return r.Datapoints![0];
    };
    expect(await stat(DRIFT_METRICS.driftedFeatures)).toMatchObject({ Maximum: 2, SampleCount: 1 });
    expect(await stat(DRIFT_METRICS.rowsProfiled)).toMatchObject({ Maximum: 2000 });
    expect((await stat(DRIFT_METRICS.drift, 'contract')).Maximum).toBe(1);
    expect((await stat(DRIFT_METRICS.drift, 'age')).Maximum).toBe(0);
    expect((await stat(DRIFT_METRICS.psi, 'monthly_charges')).Maximum).toBeCloseTo(outcome.scores.monthly_charges.psi, 5);
    expect((await stat(DRIFT_METRICS.ks, 'monthly_charges')).Maximum).toBeGreaterThan(0.1);
  });
});
