import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand,
  HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Contract, GateReport, Profile, parseContract, parseProfile, renderMarkdown, runGate, s3Source } from '../../engine';
import { AthenaTarget, runAthenaGate } from '../../engine/sql/athena';
import { DEFAULT_ATHENA_THRESHOLD_BYTES, GateEngineName, chooseEngine } from '../../engine/sql/engine-choice';

/**
 * The data gate on raw uploads. Each S3 "Object Created" event (EventBridge, or a classic S3
 * notification record) under RAW_PREFIX is streamed through the engine; the object is then copied
 * to VALIDATED_BUCKET/VALIDATED_PREFIX (pass) or QUARANTINE_BUCKET/QUARANTINE_PREFIX (fail or
 * unreadable) under `data/`, with its report under `reports/`. The raw object is never deleted or
 * changed. S3 errors propagate, so Lambda retries the event and finally dead-letters it; a retry
 * copies the same version again, which is harmless.
 *
 * With AIDLC_GATE_ENGINE `athena` (or `auto` and an object of AIDLC_GATE_ATHENA_THRESHOLD_GB or
 * more), the object is checked on Athena instead: the gate table's partition of its folder
 * (AIDLC_GATE_PARTITION_KEY), narrowed to the object. The report, the copy and the quarantine are
 * the same; the report also states the bytes scanned and their cost. Objects directly under the
 * raw prefix (no folder, so no partition) are always streamed.
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
  return { key: o.key, verdict: report.verdict, destination: `s3://${bucket}/${dataKey}`, report: `s3://${bucket}/${reportKey}.json`, violations };
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
  const engine = (env.AIDLC_GATE_ENGINE ?? 'streaming') as GateEngineName;
  if (!['streaming', 'athena', 'auto'].includes(engine)) throw new Error(`AIDLC_GATE_ENGINE must be streaming, athena or auto, got "${engine}"`);
  const athena = engine === 'streaming' ? undefined : {
    workgroup: need('AIDLC_ATHENA_WORKGROUP'),
    database: need('AIDLC_GLUE_DATABASE'),
    table: need('AIDLC_GATE_TABLE'),
    partitionKey: need('AIDLC_GATE_PARTITION_KEY'),
  };
  const thresholdGb = Number(env.AIDLC_GATE_ATHENA_THRESHOLD_GB ?? 5);
  if (!(thresholdGb >= 0)) throw new Error(`AIDLC_GATE_ATHENA_THRESHOLD_GB must be a number of GiB, got "${env.AIDLC_GATE_ATHENA_THRESHOLD_GB}"`);
  return {
    rawPrefix: need('RAW_PREFIX'),
    validatedBucket: need('VALIDATED_BUCKET'),
    validatedPrefix: need('VALIDATED_PREFIX'),
    quarantineBucket: need('QUARANTINE_BUCKET'),
    quarantinePrefix: need('QUARANTINE_PREFIX'),
    contract,
    ...(baseline ? { baseline } : {}),
    engine,
    ...(athena ? { athena, athenaThresholdBytes: thresholdGb * 1024 ** 3 } : {}),
  };
}

function log(entry: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ source: 'aidlc-data-gate', ...entry }) + '\n');
}
