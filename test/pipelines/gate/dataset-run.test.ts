import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { parseContract } from '../../../pipelines/engine';
import { gateDataset } from '../../../pipelines/gate/dataset-run';
import { canonicalJson, parseManifest, sha256Hex } from '../../../pipelines/gate/manifest';
import { InvalidValuesError } from '../../../src/core/problem';
import { MemoryS3 } from '../../support/memory-s3';

const CONTRACT_DOC = JSON.parse(readFileSync(join(__dirname, '..', 'engine', 'fixtures', 'churn-contract.json'), 'utf8'));
const CONTRACT = parseContract(CONTRACT_DOC, 'churn-contract.json');
const SAMPLE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sample.csv'), 'utf8');
const [HEADER, ...ROWS] = SAMPLE.trimEnd().split('\n');

/** Rows [from, to) of the sample as a CSV file with the header. */
function part(from: number, to: number): Buffer {
  return Buffer.from([HEADER, ...ROWS.slice(from, to)].join('\n') + '\n');
}

function settings(extra: Partial<Parameters<typeof gateDataset>[1]> = {}) {
  return {
    source: 's3://raw-bucket/raw/churn/',
    run: 'exec-1',
    validatedBucket: 'validated-bucket',
    validatedPrefix: 'validated/churn/',
    quarantineBucket: 'quarantine-bucket',
    quarantinePrefix: 'quarantine/churn/',
    contract: CONTRACT,
    contractDocument: CONTRACT_DOC,
    now: () => new Date('2026-12-01T10:00:00Z'),
    ...extra,
  };
}

let s3: MemoryS3;
beforeEach(() => {
  s3?.mock.restore();
  s3 = new MemoryS3();
});
afterAll(() => s3.mock.restore());

describe('gate run over a multi-file dataset', () => {
  test('one bad file: quarantined, never deleted, absent from the manifest; the good files are pinned by version and hash', async () => {
    s3.put('raw-bucket', 'raw/churn/part-1.csv', part(0, 800));
    s3.put('raw-bucket', 'raw/churn/part-2.csv', part(800, 1500));
    // part-3 has an age out of range on one row.
    const bad = part(1500, 2000).toString().replace(/^(\d+,[^,]+,)\d+,/m, '$1150,');
    s3.put('raw-bucket', 'raw/churn/part-3.csv', Buffer.from(bad));
    s3.put('raw-bucket', 'raw/churn/_SUCCESS', Buffer.from(''));

    const out = await gateDataset(new S3Client({}), settings());

    // The bad file went to the run's quarantine prefix, with its report, and is still in raw.
    expect(s3.keys('quarantine-bucket')).toEqual([
      'quarantine/churn/runs/exec-1/data/part-3.csv',
      'quarantine/churn/runs/exec-1/reports/part-3.csv.report.json',
      'quarantine/churn/runs/exec-1/reports/part-3.csv.report.md',
    ]);
    expect(s3.text('quarantine-bucket', 'quarantine/churn/runs/exec-1/data/part-3.csv')).toBe(bad);
    expect(s3.keys('raw-bucket')).toEqual(['raw/churn/_SUCCESS', 'raw/churn/part-1.csv', 'raw/churn/part-2.csv', 'raw/churn/part-3.csv']);
    expect(s3.mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(s3.mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);

    // The manifest lists exactly the two good files, as the versions the gate copied.
    const text = s3.text('validated-bucket', 'validated/churn/runs/exec-1/manifest.json');
    expect(out.manifestUri).toBe('s3://validated-bucket/validated/churn/runs/exec-1/manifest.json');
    expect(out.manifestSha256).toBe(sha256Hex(text));
    const manifest = parseManifest(text, 'manifest.json', out.manifestSha256);
    expect(manifest.objects.map((o) => o.key)).toEqual(['validated/churn/runs/exec-1/data/part-1.csv', 'validated/churn/runs/exec-1/data/part-2.csv']);
    expect(JSON.stringify(manifest)).not.toContain('part-3');
    for (const o of manifest.objects) {
      const v = s3.version(o.bucket, o.key, o.versionId);
      expect(o.sha256).toBe(sha256Hex(v.body));
      expect(o.size).toBe(v.body.length);
      expect(o.source.bucket).toBe('raw-bucket');
      expect(o.source.versionId).toMatch(/^v\d+$/);
    }
    expect(manifest.rows).toBe(1500);
    expect(manifest.dataUri).toBe('s3://validated-bucket/validated/churn/runs/exec-1/data/');
    expect(manifest.contractSha256).toBe(sha256Hex(canonicalJson(CONTRACT_DOC)));
    expect(manifest.gateReport).toEqual({ uri: 's3://validated-bucket/validated/churn/runs/exec-1/gate-report.json', verdict: 'fail' });
    expect(manifest.trainingBaseline!.sha256).toBe(sha256Hex(s3.text('validated-bucket', 'validated/churn/runs/exec-1/baseline-profile.json')));
    expect(manifest.createdAt).toBe('2026-12-01T10:00:00.000Z');

    // The run fails, and its report names the quarantined file and why.
    expect(out.verdict).toBe('fail');
    const report = JSON.parse(s3.text('validated-bucket', 'validated/churn/runs/exec-1/gate-report.json'));
    expect(report.files.map((f: { source: string; verdict: string }) => [f.source, f.verdict])).toEqual([
      ['s3://raw-bucket/raw/churn/_SUCCESS', 'skipped'],
      ['s3://raw-bucket/raw/churn/part-1.csv', 'pass'],
      ['s3://raw-bucket/raw/churn/part-2.csv', 'pass'],
      ['s3://raw-bucket/raw/churn/part-3.csv', 'fail'],
    ]);
    expect(report.reasons[0]).toMatch(/part-3\.csv violates range:age; quarantined at s3:\/\/quarantine-bucket\/quarantine\/churn\/runs\/exec-1\/data\/part-3\.csv/);
  });

  test('all files good: the run passes, and the dataset-wide rules apply to the files together', async () => {
    s3.put('raw-bucket', 'raw/churn/part-1.csv', part(0, 600));
    s3.put('raw-bucket', 'raw/churn/part-2.csv', part(600, 1200));
    const out = await gateDataset(new S3Client({}), settings());
    // A passing run is named the newest passing run.
    expect(JSON.parse(s3.text('validated-bucket', 'validated/churn/runs/latest-pass.json'))).toEqual({
      run: 'exec-1', manifestUri: out.manifestUri, manifestSha256: out.manifestSha256, createdAt: '2026-12-01T10:00:00.000Z',
    });
    // 1200 rows together clear minRows (1000) though neither file does alone.
    expect(out.verdict).toBe('pass');
    expect(out.manifest.objects).toHaveLength(2);
    expect(out.report.union).toMatchObject({ rows: 1200, verdict: 'pass' });
  });

  test('a key repeated across two files fails the run, though each file passes alone', async () => {
    s3.put('raw-bucket', 'raw/churn/part-1.csv', part(0, 1100));
    s3.put('raw-bucket', 'raw/churn/part-2.csv', part(1000, 1200));
    const out = await gateDataset(new S3Client({}), settings({ run: 'exec-2' }));
    expect(out.verdict).toBe('fail');
    expect(out.report.reasons.join('\n')).toContain('the passed objects together violate unique:customer_id');
    expect(out.manifest.gateReport.verdict).toBe('fail');
    // A failed run is never named the newest passing run.
    expect(s3.keys('validated-bucket')).not.toContain('validated/churn/runs/latest-pass.json');
  });

  test('a later upload to the same key does not change what the manifest names', async () => {
    s3.put('raw-bucket', 'raw/churn/train.csv', part(0, 2000));
    const out = await gateDataset(new S3Client({}), settings({ source: 's3://raw-bucket/raw/churn/train.csv' }));
    expect(out.verdict).toBe('pass');
    const [o] = out.manifest.objects;
    s3.put(o.bucket, o.key, Buffer.from('tampered'));
    expect(sha256Hex(s3.version(o.bucket, o.key, o.versionId).body)).toBe(o.sha256);
    expect(s3.sha256(o.bucket, o.key)).not.toBe(o.sha256);
  });

  test('a manifest edited after the gate is refused by its hash', async () => {
    s3.put('raw-bucket', 'raw/churn/train.csv', part(0, 2000));
    const out = await gateDataset(new S3Client({}), settings({ source: 's3://raw-bucket/raw/churn/train.csv' }));
    const edited = s3.text('validated-bucket', 'validated/churn/runs/exec-1/manifest.json').replace('"rows": 2000', '"rows": 2001');
    expect(() => parseManifest(edited, 'manifest.json', out.manifestSha256)).toThrow(/changed after the gate wrote it/);
  });

  test('a file that is not a manifest is refused with every field that is wrong, its value and the fix', () => {
    const text = '{"format": "aidlc-dataset-manifest", "version": 1, "dataset": "churn", "gateReport": {"uri": "s3://v/r.json"}, "objects": {}}';
    let error: InvalidValuesError | undefined;
    try {
      parseManifest(text, 'manifest.json');
    } catch (e) {
      error = e as InvalidValuesError;
    }
    expect(error).toBeInstanceOf(InvalidValuesError);
    expect(error!.problems.map((p) => p.path)).toEqual(['run', 'createdAt', 'source', 'contractSha256', 'dataUri', 'gateReport', 'objects']);
    expect(error!.message).toMatch(/^manifest.json: 7 problems:\n {2}- run = \(not set\): is not a non-empty string. Fix: give the manifest.json that "aidlc gate run" wrote, unchanged\n/);
    expect(error!.message).toContain('  - gateReport = {"uri":"s3://v/r.json"}: does not hold a uri and a verdict of pass, fail or error.');
    expect(error!.message).toContain('  - objects = {}: is not a list.');
    expect(() => parseManifest('{"format": "other"}', 'manifest.json')).toThrow('manifest.json: format = "other": is not an aidlc dataset manifest');
  });

  test('settings that name no run or prefix are refused before anything is read', async () => {
    await expect(gateDataset(new S3Client({}), settings({ run: 'exec 1', validatedPrefix: 'validated/churn' })))
      .rejects.toThrow(/^gate run: 2 problems:\n {2}- run = "exec 1": is not a run id. Fix: .*\n {2}- validatedPrefix = "validated\/churn": is not a prefix. Fix: end it with "\/"$/);
  });
});
