import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand,
  HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Contract, GateReport, Profile, parseContract, parseProfile, renderMarkdown, runGate, s3Source } from '../../engine';

/**
 * The data gate on raw uploads. Each S3 "Object Created" event (EventBridge, or a classic S3
 * notification record) under RAW_PREFIX is streamed through the engine; the object is then copied
 * to VALIDATED_BUCKET/VALIDATED_PREFIX (pass) or QUARANTINE_BUCKET/QUARANTINE_PREFIX (fail or
 * unreadable) under `data/`, with its report under `reports/`. The raw object is never deleted or
 * changed. S3 errors propagate, so Lambda retries the event and finally dead-letters it; a retry
 * copies the same version again, which is harmless.
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
}

/** CopyObject handles up to 5 GB; larger objects are copied in parts. */
const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const PART_SIZE = 512 * 1024 ** 2;

let cached: GateSettings | undefined;
let client: S3Client | undefined;

export async function handler(event: unknown): Promise<GateOutcome[]> {
  const objects = uploadedObjects(event);
  cached ??= settingsFromEnvironment();
  client ??= new S3Client({});
  const outcomes: GateOutcome[] = [];
  for (const object of objects) outcomes.push(await gateObject(client, cached, object));
  return outcomes;
}

/** The objects an event announces: EventBridge "Object Created" or S3 notification records. */
export function uploadedObjects(event: unknown): UploadedObject[] {
  const e = event as Record<string, any>;
  if (e && e.source === 'aws.s3' && e.detail?.bucket?.name && e.detail?.object?.key) {
    // EventBridge keys are not URL-encoded.
    const o = e.detail.object;
    return [{ bucket: e.detail.bucket.name, key: o.key, versionId: o['version-id'], size: o.size }];
  }
  if (e && Array.isArray(e.Records)) {
    return e.Records
      .filter((r: any) => typeof r?.eventName === 'string' && r.eventName.startsWith('ObjectCreated') && r.s3?.object?.key)
      .map((r: any) => ({
        bucket: r.s3.bucket.name,
        // Notification keys are URL-encoded with "+" for spaces.
        key: decodeURIComponent(String(r.s3.object.key).replace(/\+/g, ' ')),
        versionId: r.s3.object.versionId,
        size: r.s3.object.size,
      }));
  }
  throw new Error(`unrecognised event: ${JSON.stringify(event).slice(0, 300)}`);
}

/** Gates one object: check, copy to validated or quarantine, write the report beside it. */
export async function gateObject(s3: S3Client, s: GateSettings, o: UploadedObject): Promise<GateOutcome> {
  if (!o.key.startsWith(s.rawPrefix) || o.key.endsWith('/')) {
    log({ key: o.key, verdict: 'skipped', reason: o.key.endsWith('/') ? 'folder marker' : `outside ${s.rawPrefix}` });
    return { key: o.key, verdict: 'skipped' };
  }
  const report = await runGate(s.contract, s3Source(s3, o.bucket, o.key, o.versionId), { baseline: s.baseline });
  const pass = report.verdict === 'pass';
  const rest = o.key.slice(s.rawPrefix.length);
  const bucket = pass ? s.validatedBucket : s.quarantineBucket;
  const prefix = pass ? s.validatedPrefix : s.quarantinePrefix;
  const dataKey = `${prefix}data/${rest}`;
  const reportKey = `${prefix}reports/${rest}.report`;
  const sourceTag = { 'aidlc-source': encodeURI(`s3://${o.bucket}/${o.key}`), 'aidlc-verdict': report.verdict };
  await copyObject(s3, o, bucket, dataKey);
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
  log({ key: o.key, versionId: o.versionId, verdict: report.verdict, rows: report.rows, violations, error: report.error?.message, destination: `s3://${bucket}/${dataKey}`, seconds: report.seconds });
  return { key: o.key, verdict: report.verdict, destination: `s3://${bucket}/${dataKey}`, report: `s3://${bucket}/${reportKey}.json`, violations };
}

/** Copies one version of an object (CopyObject, or a multipart copy beyond 5 GB). */
export async function copyObject(s3: S3Client, o: UploadedObject, bucket: string, key: string): Promise<void> {
  const source = `${o.bucket}/${o.key.split('/').map(encodeURIComponent).join('/')}${o.versionId ? `?versionId=${encodeURIComponent(o.versionId)}` : ''}`;
  let size = o.size;
  if (size === undefined) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key, ...(o.versionId ? { VersionId: o.versionId } : {}) }));
    size = Number(head.ContentLength ?? 0);
  }
  if (size <= SINGLE_COPY_LIMIT) {
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: source }));
    return;
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (let start = 0, n = 1; start < size; start += PART_SIZE, n++) {
      const end = Math.min(size, start + PART_SIZE) - 1;
      const r = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: n, CopySource: source, CopySourceRange: `bytes=${start}-${end}` }));
      parts.push({ ETag: r.CopyPartResult!.ETag!, PartNumber: n });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  } catch (e) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw e;
  }
}

/** Settings from the environment and the contract (and baseline) bundled next to the handler. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env, dir: string = __dirname): GateSettings {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`environment variable ${name} is not set`);
    return v;
  };
  const contract = parseContract(JSON.parse(readFileSync(join(dir, 'contract.json'), 'utf8')), 'the bundled contract.json');
  const baselinePath = join(dir, 'baseline.json');
  const baseline = existsSync(baselinePath) ? parseProfile(JSON.parse(readFileSync(baselinePath, 'utf8')), 'the bundled baseline.json') : undefined;
  return {
    rawPrefix: need('RAW_PREFIX'),
    validatedBucket: need('VALIDATED_BUCKET'),
    validatedPrefix: need('VALIDATED_PREFIX'),
    quarantineBucket: need('QUARANTINE_BUCKET'),
    quarantinePrefix: need('QUARANTINE_PREFIX'),
    contract,
    ...(baseline ? { baseline } : {}),
  };
}

function log(entry: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ source: 'aidlc-data-gate', ...entry }) + '\n');
}
