// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand,
  HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Contract, GateReport, Profile, renderMarkdown, runGate, s3Source } from '../engine';
import { AthenaTarget, runAthenaGate } from '../engine/sql/athena';
import { DEFAULT_ATHENA_THRESHOLD_BYTES, GateEngineName, chooseEngine } from '../engine/sql/engine-choice';

/**
 * Gating one uploaded object: the streaming engine (or Athena, see `athenaTarget`) checks it, then the object (that version) is
 * copied to the validated prefix (pass) or the quarantine prefix (fail or unreadable) under
 * `data/`, with its JSON and Markdown report under `reports/`. The uploaded object is only read.
 * Used by the data-gate Lambda (one upload at a time) and by `aidlc gate run` (every object of a
 * dataset, into a run-scoped prefix).
 */

/** One uploaded object to gate. */
export interface UploadedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly size?: number;
}

export interface GateOutcome {
  readonly key: string;
  readonly verdict: GateReport['verdict'] | 'skipped';
  readonly destination?: string;
  readonly report?: string;
  readonly violations?: string[];
}

export interface GateSettings {
  readonly rawPrefix: string;
  readonly validatedBucket: string;
  readonly validatedPrefix: string;
  readonly quarantineBucket: string;
  readonly quarantinePrefix: string;
  readonly contract: Contract;
  readonly baseline?: Profile;
  /** The engine, and where Athena finds the data (ATHENA and AUTO). @default streaming */
  readonly engine?: GateEngineName;
  readonly athenaThresholdBytes?: number;
  readonly athena?: { readonly workgroup: string; readonly database: string; readonly table: string; readonly partitionKey: string };
}

/** Everything gating one object produced: the outcome, the report, and where the copy went. */
export interface GatedObject {
  readonly outcome: GateOutcome;
  readonly report?: GateReport;
  /** The copy: bucket, key and the version id S3 gave it. */
  readonly copy?: { readonly bucket: string; readonly key: string; readonly versionId?: string };
}

/** CopyObject handles up to 5 GB; larger objects are copied in parts. */
const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const PART_SIZE = 512 * 1024 ** 2;

/** Gates one object: check, copy to validated or quarantine, write the report beside it. */
export async function gateObject(s3: S3Client, s: GateSettings, o: UploadedObject): Promise<GateOutcome> {
  return (await gateUpload(s3, s, o)).outcome;
}

/** `gateObject`, with the report and the copy's version. */
export async function gateUpload(s3: S3Client, s: GateSettings, o: UploadedObject): Promise<GatedObject> {
  if (!o.key.startsWith(s.rawPrefix) || o.key.endsWith('/')) {
    log({ key: o.key, verdict: 'skipped', reason: o.key.endsWith('/') ? 'folder marker' : `outside ${s.rawPrefix}` });
    return { outcome: { key: o.key, verdict: 'skipped' } };
  }
  // Either engine makes the same report; everything after this line is engine-neutral.
  const target = athenaTarget(s, o);
  const report = target
    ? await runAthenaGate(s.contract, target, { baseline: s.baseline, s3 })
    : await runGate(s.contract, s3Source(s3, o.bucket, o.key, o.versionId), { baseline: s.baseline });
  const pass = report.verdict === 'pass';
  const rest = o.key.slice(s.rawPrefix.length);
  const bucket = pass ? s.validatedBucket : s.quarantineBucket;
  const prefix = pass ? s.validatedPrefix : s.quarantinePrefix;
  const dataKey = `${prefix}data/${rest}`;
  const reportKey = `${prefix}reports/${rest}.report`;
  const sourceTag = { 'aidlc-source': encodeURI(`s3://${o.bucket}/${o.key}`), 'aidlc-verdict': report.verdict };
  const versionId = await copyObject(s3, o, bucket, dataKey);
  await s3.send(new PutObjectCommand({
    Bucket: bucket,
    Key: `${reportKey}.json`,
    Body: JSON.stringify(report, null, 2) + '\n',
    ContentType: 'application/json',
    Metadata: sourceTag,
  }));
  await s3.send(new PutObjectCommand({
    Bucket: bucket,
    Key: `${reportKey}.md`,
    Body: renderMarkdown(report) + '\n',
    ContentType: 'text/markdown; charset=utf-8',
    Metadata: sourceTag,
  }));
  const violations = report.violations.map((v) => v.id);
  log({
    key: o.key,
    versionId: o.versionId,
    engine: target ? 'athena' : 'streaming',
    verdict: report.verdict,
    rows: report.rows,
    violations,
    error: report.error?.message,
    destination: `s3://${bucket}/${dataKey}`,
    seconds: report.seconds,
    ...(report.cost ? { bytesScanned: report.cost.bytesScanned, estimatedUsd: report.cost.estimatedUsd } : {}),
  });
  return {
    outcome: { key: o.key, verdict: report.verdict, destination: `s3://${bucket}/${dataKey}`, report: `s3://${bucket}/${reportKey}.json`, violations },
    report,
    copy: { bucket, key: dataKey, ...(versionId ? { versionId } : {}) },
  };
}

/**
 * Where Athena reads the object, when the settings choose Athena for it: the partition of its
 * folder under the raw prefix, narrowed to the object. Undefined: stream it.
 */
export function athenaTarget(s: GateSettings, o: UploadedObject): AthenaTarget | undefined {
  if (!s.athena || chooseEngine(s.engine ?? 'streaming', o.size, s.athenaThresholdBytes ?? DEFAULT_ATHENA_THRESHOLD_BYTES) !== 'athena') return undefined;
  const rest = o.key.slice(s.rawPrefix.length);
  const slash = rest.lastIndexOf('/');
  if (slash <= 0) {
    log({ key: o.key, note: 'no folder under the raw prefix, so no partition of the gate table: checked by the streaming engine' });
    return undefined;
  }
  return {
    workgroup: s.athena.workgroup,
    database: s.athena.database,
    table: s.athena.table,
    partition: { [s.athena.partitionKey]: rest.slice(0, slash) },
    object: `s3://${o.bucket}/${o.key}`,
  };
}

/**
 * Copies one version of an object (CopyObject, or a multipart copy beyond 5 GB) and returns the
 * version id of the copy (in a versioned bucket).
 */
export async function copyObject(s3: S3Client, o: UploadedObject, bucket: string, key: string): Promise<string | undefined> {
  const source = `${o.bucket}/${o.key.split('/').map(encodeURIComponent).join('/')}${o.versionId ? `?versionId=${encodeURIComponent(o.versionId)}` : ''}`;
  let size = o.size;
  if (size === undefined) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key, ...(o.versionId ? { VersionId: o.versionId } : {}) }));
    size = Number(head.ContentLength ?? 0);
  }
  if (size <= SINGLE_COPY_LIMIT) {
    const r = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: source }));
    return r?.VersionId;
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (let start = 0, n = 1; start < size; start += PART_SIZE, n++) {
      const end = Math.min(size, start + PART_SIZE) - 1;
      const r = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: n, CopySource: source, CopySourceRange: `bytes=${start}-${end}` }));
      parts.push({ ETag: r.CopyPartResult!.ETag!, PartNumber: n });
    }
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    return done?.VersionId;
  } catch (e) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw e;
  }
}

function log(entry: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ source: 'aidlc-data-gate', ...entry }) + '\n');
}
