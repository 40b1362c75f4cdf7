import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { S3Client } from '@aws-sdk/client-s3';
import { parseContract, parseProfile } from '../../engine';
import { GateEngineName } from '../../engine/sql/engine-choice';
import { GateOutcome, GateSettings, UploadedObject, gateObject } from '../../gate/gate-object';
import { FunctionEnvironment } from '../../shared/function-environment';

export { athenaTarget, copyObject, gateObject } from '../../gate/gate-object';
export type { GateOutcome, GateSettings, UploadedObject } from '../../gate/gate-object';

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

/** Settings from the environment and the contract (and baseline) bundled next to the handler. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env, dir: string = __dirname): GateSettings {
  const vars = new FunctionEnvironment(env, 'DataGate');
  const need = (name: string): string => vars.text(name);
  const contract = parseContract(JSON.parse(readFileSync(join(dir, 'contract.json'), 'utf8')), 'the bundled contract.json');
  const baselinePath = join(dir, 'baseline.json');
  const baseline = existsSync(baselinePath) ? parseProfile(JSON.parse(readFileSync(baselinePath, 'utf8')), 'the bundled baseline.json') : undefined;
  const engine = (env.AIDLC_GATE_ENGINE ?? 'streaming') as GateEngineName;
  if (!['streaming', 'athena', 'auto'].includes(engine)) throw vars.invalid('AIDLC_GATE_ENGINE', 'is not a gate engine', 'streaming, athena or auto');
  const athena = engine === 'streaming' ? undefined : {
    workgroup: need('AIDLC_ATHENA_WORKGROUP'),
    database: need('AIDLC_GLUE_DATABASE'),
    table: need('AIDLC_GATE_TABLE'),
    partitionKey: need('AIDLC_GATE_PARTITION_KEY'),
  };
  const thresholdGb = Number(env.AIDLC_GATE_ATHENA_THRESHOLD_GB ?? 5);
  if (!(thresholdGb >= 0)) throw vars.invalid('AIDLC_GATE_ATHENA_THRESHOLD_GB', 'is not a number of GiB', 'a number of GiB, 0 or more');
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
