import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { gateObject, settingsFromEnvironment, uploadedObjects } from '../../pipelines/lambda/data-gate';
import { motoAvailable, motoClientConfig, MotoServer, startMoto } from '../support/moto-server';

/**
 * The data gate Lambda's code against S3 as moto models it: a versioned raw bucket, an upload
 * overwritten by a bad one, the gate of each version. What each test checks is what S3 holds
 * afterwards, not which calls were made.
 */
jest.setTimeout(120_000);

const CONTRACT = readFileSync(join(__dirname, '..', 'pipelines', 'engine', 'fixtures', 'churn-contract.json'), 'utf8');
const SAMPLE = readFileSync(join(__dirname, '..', 'fixtures', 'sample.csv'));
/** The sample with a duplicated customer id: fails the contract's uniqueness rule. */
const BAD = Buffer.from(SAMPLE.toString().replace(/\n1002,/, '\n1001,'));
const ENV = {
  RAW_PREFIX: 'raw/churn/',
  VALIDATED_BUCKET: 'churn-validated',
  VALIDATED_PREFIX: 'validated/churn/',
  QUARANTINE_BUCKET: 'churn-quarantine',
  QUARANTINE_PREFIX: 'quarantine/churn/',
};
const RAW = 'churn-raw';
const KEY = 'raw/churn/2026/11/train.csv';

function bundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-gate-moto-'));
  writeFileSync(join(dir, 'contract.json'), CONTRACT);
  return dir;
}

/** The S3 "Object Created" event EventBridge delivers for one version. */
function created(versionId: string, size: number) {
  return { 'source': 'aws.s3', 'detail-type': 'Object Created', 'detail': { bucket: { name: RAW }, object: { 'key': KEY, size, 'version-id': versionId } } };
}

(motoAvailable() ? describe : describe.skip)('data gate on versioned S3 (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client(motoClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  const text = async (bucket: string, key: string, versionId?: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))).Body!.transformToString();
  const keys = async (bucket: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();

  test('each version is gated as uploaded: the good one validated, the bad one quarantined, nothing deleted', async () => {
    for (const bucket of [RAW, ENV.VALIDATED_BUCKET, ENV.QUARANTINE_BUCKET]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    }
    await s3.send(new PutBucketVersioningCommand({ Bucket: RAW, VersioningConfiguration: { Status: 'Enabled' } }));
    const good = await s3.send(new PutObjectCommand({ Bucket: RAW, Key: KEY, Body: SAMPLE, Tagging: 'uploader=alice&dataset=churn' }));
    const bad = await s3.send(new PutObjectCommand({ Bucket: RAW, Key: KEY, Body: BAD, Tagging: 'uploader=bob' }));
    expect(good.VersionId).toBeDefined();
    expect(bad.VersionId).not.toBe(good.VersionId);

    const settings = settingsFromEnvironment(ENV, bundleDir());
    // The events arrive after both uploads: the gate must read and copy the version each names, not the latest.
    const first = await gateObject(s3, settings, uploadedObjects(created(good.VersionId!, SAMPLE.length))[0]);
    const second = await gateObject(s3, settings, uploadedObjects(created(bad.VersionId!, BAD.length))[0]);
    expect(first).toMatchObject({ verdict: 'pass', destination: `s3://${ENV.VALIDATED_BUCKET}/validated/churn/data/2026/11/train.csv` });
    expect(second).toMatchObject({ verdict: 'fail', destination: `s3://${ENV.QUARANTINE_BUCKET}/quarantine/churn/data/2026/11/train.csv`, violations: ['unique:customer_id'] });

    // Copied by version id: each destination holds the bytes of the version gated.
    expect(await text(ENV.VALIDATED_BUCKET, 'validated/churn/data/2026/11/train.csv')).toBe(SAMPLE.toString());
    expect(await text(ENV.QUARANTINE_BUCKET, 'quarantine/churn/data/2026/11/train.csv')).toBe(BAD.toString());
    // The uploader's tags travel with the copy.
    const tags = async (bucket: string, key: string) => {
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return Object.fromEntries((TagSet ?? []).map((t) => [t.Key, t.Value]));
    };
    expect(await tags(ENV.VALIDATED_BUCKET, 'validated/churn/data/2026/11/train.csv')).toEqual({ uploader: 'alice', dataset: 'churn' });
    expect(await tags(ENV.QUARANTINE_BUCKET, 'quarantine/churn/data/2026/11/train.csv')).toEqual({ uploader: 'bob' });

    // Reports beside the data, marked with the source and the verdict.
    expect(await keys(ENV.VALIDATED_BUCKET)).toEqual([
      'validated/churn/data/2026/11/train.csv', 'validated/churn/reports/2026/11/train.csv.report.json', 'validated/churn/reports/2026/11/train.csv.report.md',
    ]);
    expect(await keys(ENV.QUARANTINE_BUCKET)).toEqual([
      'quarantine/churn/data/2026/11/train.csv', 'quarantine/churn/reports/2026/11/train.csv.report.json', 'quarantine/churn/reports/2026/11/train.csv.report.md',
    ]);
    const report = JSON.parse(await text(ENV.QUARANTINE_BUCKET, 'quarantine/churn/reports/2026/11/train.csv.report.json'));
    expect(report).toMatchObject({ verdict: 'fail', rows: 2000, source: `s3://${RAW}/${KEY}` });
    const head = await s3.send(new HeadObjectCommand({ Bucket: ENV.QUARANTINE_BUCKET, Key: 'quarantine/churn/reports/2026/11/train.csv.report.md' }));
    expect(head.Metadata).toEqual({ 'aidlc-source': `s3://${RAW}/${KEY}`, 'aidlc-verdict': 'fail' });
    expect(head.ContentType).toBe('text/markdown; charset=utf-8');

    // Nothing deleted or changed in the raw bucket: both versions, no delete marker.
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: RAW }));
    expect((versions.Versions ?? []).map((v) => v.VersionId).sort()).toEqual([good.VersionId, bad.VersionId].sort());
    expect(versions.DeleteMarkers ?? []).toEqual([]);
    expect(await text(RAW, KEY, good.VersionId)).toBe(SAMPLE.toString());
  });

  test('a retried event copies the same version again: the outcome is the same', async () => {
    const settings = settingsFromEnvironment(ENV, bundleDir());
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: RAW }));
    const good = versions.Versions!.find((v) => !v.IsLatest)!;
    const again = await gateObject(s3, settings, uploadedObjects(created(good.VersionId!, SAMPLE.length))[0]);
    expect(again.verdict).toBe('pass');
    expect(await text(ENV.VALIDATED_BUCKET, 'validated/churn/data/2026/11/train.csv')).toBe(SAMPLE.toString());
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: RAW }))).Versions).toHaveLength(2);
  });
});
