import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand,
  HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { athenaTarget, copyObject, gateObject, handler, settingsFromEnvironment, uploadedObjects } from '../../../pipelines/lambda/data-gate';

const CONTRACT = readFileSync(join(__dirname, '..', 'engine', 'fixtures', 'churn-contract.json'), 'utf8');
const SAMPLE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sample.csv'));
const ENV = {
  RAW_PREFIX: 'raw/churn/',
  VALIDATED_BUCKET: 'validated-bucket',
  VALIDATED_PREFIX: 'validated/churn/',
  QUARANTINE_BUCKET: 'quarantine-bucket',
  QUARANTINE_PREFIX: 'quarantine/churn/',
};

const s3 = mockClient(S3Client);
const athena = mockClient(AthenaClient);
const ATHENA_ENV = {
  ...ENV,
  AIDLC_GATE_ENGINE: 'auto',
  AIDLC_GATE_ATHENA_THRESHOLD_GB: '1',
  AIDLC_ATHENA_WORKGROUP: 'churn-data-gate',
  AIDLC_GLUE_DATABASE: 'aidlc_churn',
  AIDLC_GATE_TABLE: 'churn_gate',
  AIDLC_GATE_PARTITION_KEY: 'upload_folder',
};

function bundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-gate-'));
  writeFileSync(join(dir, 'contract.json'), CONTRACT);
  return dir;
}

/** An object body as the SDK streams it in Node.js: a readable of byte chunks. */
function body(data: Buffer) {
  return Readable.from([data.subarray(0, 1000), data.subarray(1000)]);
}

function eventBridge(key: string, versionId = 'v1', size = SAMPLE.length) {
  return { 'source': 'aws.s3', 'detail-type': 'Object Created', 'detail': { bucket: { name: 'raw-bucket' }, object: { 'key': key, size, 'version-id': versionId } } };
}

beforeEach(() => { s3.reset(); athena.reset(); });

describe('data-gate Lambda', () => {
  test('a passing upload is copied to validated with its reports; raw is only read', async () => {
    s3.on(GetObjectCommand, { Bucket: 'raw-bucket', Key: 'raw/churn/2026/train.csv', VersionId: 'v1' }).resolves({ Body: body(SAMPLE) as never });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const settings = settingsFromEnvironment(ENV, bundleDir());
    const out = await gateObject(new S3Client({}), settings, uploadedObjects(eventBridge('raw/churn/2026/train.csv'))[0]);
    expect(out).toEqual({
      key: 'raw/churn/2026/train.csv',
      verdict: 'pass',
      destination: 's3://validated-bucket/validated/churn/data/2026/train.csv',
      report: 's3://validated-bucket/validated/churn/reports/2026/train.csv.report.json',
      violations: [],
    });
    expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'validated-bucket', Key: 'validated/churn/data/2026/train.csv', CopySource: 'raw-bucket/raw/churn/2026/train.csv?versionId=v1' },
    ]);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key])).toEqual([
      ['validated-bucket', 'validated/churn/reports/2026/train.csv.report.json'],
      ['validated-bucket', 'validated/churn/reports/2026/train.csv.report.md'],
    ]);
    expect(JSON.parse(String(puts[0].Body))).toMatchObject({ verdict: 'pass', rows: 2000, source: 's3://raw-bucket/raw/churn/2026/train.csv' });
    // Nothing but GetObject ever touches the raw bucket.
    const rawCalls = s3.calls().filter((c) => (c.args[0].input as { Bucket?: string }).Bucket === 'raw-bucket');
    expect(rawCalls.map((c) => c.args[0].constructor.name)).toEqual(['GetObjectCommand']);
  });

  test('a failing upload goes to quarantine with the violations in its report', async () => {
    const bad = Buffer.from(SAMPLE.toString().replace(/\n1002,/, '\n1001,'));
    s3.on(GetObjectCommand).resolves({ Body: body(bad) as never });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const key = 'raw/churn/my file+1.csv';
    const record = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw-bucket' }, object: { key: 'raw/churn/my+file%2B1.csv', size: bad.length } } }] };
    const out = await gateObject(new S3Client({}), settingsFromEnvironment(ENV, bundleDir()), uploadedObjects(record)[0]);
    expect(out).toMatchObject({ key, verdict: 'fail', destination: 's3://quarantine-bucket/quarantine/churn/data/my file+1.csv', violations: ['unique:customer_id'] });
    expect(s3.commandCalls(CopyObjectCommand)[0].args[0].input).toEqual({ Bucket: 'quarantine-bucket', Key: 'quarantine/churn/data/my file+1.csv', CopySource: 'raw-bucket/raw/churn/my%20file%2B1.csv' });
    const md = String(s3.commandCalls(PutObjectCommand)[1].args[0].input.Body);
    expect(md).toContain('unique:customer_id');
  });

  test('unreadable data is quarantined with an error report', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('')) as never });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const out = await gateObject(new S3Client({}), settingsFromEnvironment(ENV, bundleDir()), uploadedObjects(eventBridge('raw/churn/empty.csv', 'v2', 0))[0]);
    expect(out.verdict).toBe('error');
    expect(JSON.parse(String(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body))).toMatchObject({ verdict: 'error', error: { message: 'the file is empty: there is no header line' } });
  });

  test('keys outside the prefix and folder markers are skipped without any S3 call', async () => {
    const settings = settingsFromEnvironment(ENV, bundleDir());
    expect(await gateObject(new S3Client({}), settings, { bucket: 'raw-bucket', key: 'raw/other/x.csv' })).toEqual({ key: 'raw/other/x.csv', verdict: 'skipped' });
    expect(await gateObject(new S3Client({}), settings, { bucket: 'raw-bucket', key: 'raw/churn/folder/' })).toMatchObject({ verdict: 'skipped' });
    expect(s3.calls()).toHaveLength(0);
  });

  test('S3 failures propagate so Lambda retries and dead-letters the event', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(SAMPLE) as never });
    s3.on(CopyObjectCommand).rejects(new Error('SlowDown'));
    await expect(gateObject(new S3Client({}), settingsFromEnvironment(ENV, bundleDir()), uploadedObjects(eventBridge('raw/churn/a.csv'))[0])).rejects.toThrow('SlowDown');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('objects over 5 GB are copied in parts, and a failed part aborts the upload', async () => {
    const big = { bucket: 'raw-bucket', key: 'raw/churn/big.csv', versionId: 'v9', size: 6 * 1024 ** 3 };
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCopyCommand).callsFake((input) => ({ CopyPartResult: { ETag: `"e${input.PartNumber}"` } }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    await copyObject(new S3Client({}), big, 'validated-bucket', 'validated/churn/data/big.csv');
    const parts = s3.commandCalls(UploadPartCopyCommand).map((c) => c.args[0].input.CopySourceRange);
    expect(parts).toHaveLength(12);
    expect(parts[0]).toBe('bytes=0-536870911');
    expect(parts[11]).toBe(`bytes=${11 * 512 * 1024 ** 2}-${6 * 1024 ** 3 - 1}`);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input.MultipartUpload!.Parts).toHaveLength(12);

    s3.reset();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u2' });
    s3.on(UploadPartCopyCommand).rejects(new Error('InternalError'));
    s3.on(AbortMultipartUploadCommand).resolves({});
    await expect(copyObject(new S3Client({}), big, 'validated-bucket', 'k')).rejects.toThrow('InternalError');
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toEqual({ Bucket: 'validated-bucket', Key: 'k', UploadId: 'u2' });
  });

  test('a missing size is read with HeadObject', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10 });
    s3.on(CopyObjectCommand).resolves({});
    await copyObject(new S3Client({}), { bucket: 'b', key: 'raw/churn/x.csv' }, 'v', 'k');
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(1);
  });

  test('the handler reads its settings from the environment and rejects unknown events', async () => {
    expect(() => uploadedObjects({ hello: 'world' })).toThrow(/unrecognised event/);
    expect(() => settingsFromEnvironment({ ...ENV, VALIDATED_BUCKET: '' }, bundleDir())).toThrow(/VALIDATED_BUCKET = "": is not set. Fix: the DataGate construct sets it/);
    await expect(handler({ hello: 'world' })).rejects.toThrow(/unrecognised event/);
  });

  test('AUTO: uploads from the threshold on go to Athena, their folder as the partition; smaller ones and files without a folder stream', () => {
    const settings = settingsFromEnvironment(ATHENA_ENV, bundleDir());
    const big = 2 * 1024 ** 3;
    expect(athenaTarget(settings, { bucket: 'raw-bucket', key: 'raw/churn/2026/12/train.csv', size: big })).toEqual({
      workgroup: 'churn-data-gate',
      database: 'aidlc_churn',
      table: 'churn_gate',
      partition: { upload_folder: '2026/12' },
      object: 's3://raw-bucket/raw/churn/2026/12/train.csv',
    });
    expect(athenaTarget(settings, { bucket: 'raw-bucket', key: 'raw/churn/2026/train.csv', size: 1024 })).toBeUndefined();
    expect(athenaTarget(settings, { bucket: 'raw-bucket', key: 'raw/churn/train.csv', size: big })).toBeUndefined();
    expect(athenaTarget(settingsFromEnvironment(ENV, bundleDir()), { bucket: 'raw-bucket', key: 'raw/churn/2026/train.csv', size: big })).toBeUndefined();
    expect(() => settingsFromEnvironment({ ...ATHENA_ENV, AIDLC_GATE_TABLE: '' }, bundleDir())).toThrow(/AIDLC_GATE_TABLE = "": is not set/);
    expect(() => settingsFromEnvironment({ ...ATHENA_ENV, AIDLC_GATE_ENGINE: 'spark' }, bundleDir())).toThrow(/AIDLC_GATE_ENGINE = "spark": is not a gate engine. Fix: set it to streaming, athena or auto/);
  });

  test('an upload Athena refuses (over the bytes-scanned limit) is quarantined with the reason, like unreadable data', async () => {
    const header = Buffer.from(SAMPLE.toString('utf8').split('\n')[0] + '\n');
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(header) } as never });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Bytes scanned limit was exceeded' } } });
    const settings = settingsFromEnvironment(ATHENA_ENV, bundleDir());
    const out = await gateObject(new S3Client({}), settings, { bucket: 'raw-bucket', key: 'raw/churn/2026/train.csv', versionId: 'v1', size: 3 * 1024 ** 3 });
    expect(out).toMatchObject({ verdict: 'error', destination: 's3://quarantine-bucket/quarantine/churn/data/2026/train.csv' });
    const start = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(start.WorkGroup).toBe('churn-data-gate');
    expect(start.QueryString).toContain('WHERE "upload_folder" = \'2026\' AND "$path" = \'s3://raw-bucket/raw/churn/2026/train.csv\'');
    const report = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body));
    expect(report.error.message).toBe('Athena query q1 failed: Bytes scanned limit was exceeded');
  });
});
