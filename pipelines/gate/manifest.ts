import { createHash } from 'node:crypto';
import { InvalidValuesError, Problem } from '../../src/core/problem';

/**
 * The dataset manifest: what one gate run passed, exactly. Written by the gate (whichever engine
 * checked the data: the streaming engine here, or SQL over S3) from the gate's result through
 * `buildManifest`, read back by the training run, the signing step and `aidlc lineage`.
 *
 * The manifest names object versions, not keys: every passed object is a copy the gate made into
 * a run-scoped prefix (`runs/<run>/data/`) of the validated bucket, with its S3 version id, size
 * and SHA-256. Training reads that prefix and its Split step checks every file against the
 * manifest, so a file that changed, appeared or went missing after the gate stops the run.
 *
 * The text is canonical (keys sorted, two-space indent, one trailing newline): the same result
 * always serializes to the same bytes, so its SHA-256 names it.
 */
export interface DatasetManifest {
  readonly format: 'aidlc-dataset-manifest';
  readonly version: 1;
  /** The contract's dataset name. */
  readonly dataset: string;
  /** Id of the gate run (the delivery pipeline's execution id). */
  readonly run: string;
  /** When the run finished, ISO 8601. */
  readonly createdAt: string;
  /** What was gated: an `s3://` prefix or object of the raw bucket. */
  readonly source: string;
  /** SHA-256 of the contract (canonical JSON) the data was checked against. */
  readonly contractSha256: string;
  /** The baseline profile drift was scored against, if any. */
  readonly driftBaseline: ManifestFile | null;
  /** The profile of the passed data (all files together): the training baseline. */
  readonly trainingBaseline: ManifestFile | null;
  /** The run's gate report and its verdict. */
  readonly gateReport: { readonly uri: string; readonly verdict: GateRunVerdict };
  /** The `s3://` prefix holding exactly the objects below: what training reads. */
  readonly dataUri: string;
  /** Every object the gate passed, sorted by key. Quarantined objects are never listed. */
  readonly objects: ManifestObject[];
  /** Rows of the passed objects together. */
  readonly rows: number;
}

/** The run's verdict: `pass` only when every object passed and the union meets the contract. */
export type GateRunVerdict = 'pass' | 'fail' | 'error';

/** A file the manifest refers to by location and content. */
export interface ManifestFile {
  readonly uri: string;
  readonly sha256: string;
}

/** One object the gate passed. */
export interface ManifestObject {
  readonly bucket: string;
  readonly key: string;
  /** S3 version id of the copy (absent only in an unversioned bucket). */
  readonly versionId?: string;
  readonly size: number;
  /** SHA-256 of the object's bytes, hex. */
  readonly sha256: string;
  readonly rows: number;
  /** The uploaded object it was copied from. */
  readonly source: { readonly bucket: string; readonly key: string; readonly versionId?: string };
  /** The object's own gate report. */
  readonly report: string;
}

/** What a gate engine hands over to make a manifest. */
export interface ManifestInput {
  readonly dataset: string;
  readonly run: string;
  readonly createdAt: Date;
  readonly source: string;
  readonly contract: unknown;
  readonly driftBaseline?: ManifestFile;
  readonly trainingBaseline?: ManifestFile;
  readonly gateReport: { readonly uri: string; readonly verdict: GateRunVerdict };
  readonly dataUri: string;
  /** Every object the engine checked, with its own verdict; only those that passed are kept. */
  readonly objects: ReadonlyArray<ManifestObject & { readonly verdict: string }>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The manifest of a gate run: the passed objects, sorted, and the run's context. */
export function buildManifest(input: ManifestInput): DatasetManifest {
  const objects = input.objects
    .filter((o) => o.verdict === 'pass')
    .map(({ verdict: _verdict, ...o }) => o)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (!input.dataUri.endsWith('/')) throw new InvalidValuesError('dataset manifest', [{ path: 'dataUri', value: input.dataUri, message: 'is not a prefix', fix: 'end it with "/"' }]);
  const dataPrefix = parseS3Uri(input.dataUri, 'dataUri');
  const problems: Problem[] = [];
  objects.forEach((o, i) => {
    if (o.bucket !== dataPrefix.bucket || !o.key.startsWith(dataPrefix.key)) {
      problems.push({ path: `objects[${i}]`, value: `s3://${o.bucket}/${o.key}`, message: `is outside the data prefix ${input.dataUri}`, fix: 'list only objects copied under dataUri' });
    }
    if (!SHA256_HEX.test(o.sha256)) problems.push({ path: `objects[${i}].sha256`, value: o.sha256, message: 'is not a SHA-256 digest', fix: 'give 64 lower-case hex digits' });
  });
  if (problems.length > 0) throw new InvalidValuesError('dataset manifest', problems);
  return {
    format: 'aidlc-dataset-manifest',
    version: 1,
    dataset: input.dataset,
    run: input.run,
    createdAt: input.createdAt.toISOString(),
    source: input.source,
    contractSha256: sha256Hex(canonicalJson(input.contract)),
    driftBaseline: input.driftBaseline ?? null,
    trainingBaseline: input.trainingBaseline ?? null,
    gateReport: { ...input.gateReport },
    dataUri: input.dataUri,
    objects,
    rows: objects.reduce((n, o) => n + o.rows, 0),
  };
}

/** The manifest's canonical text. */
export function serializeManifest(manifest: DatasetManifest): string {
  return canonicalJson(manifest, 2) + '\n';
}

/** SHA-256 of bytes or text, hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** `s3://bucket/key` in parts; throws on anything else, naming `field`, where the URI was given. */
export function parseS3Uri(uri: string, field = 'uri'): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new InvalidValuesError('S3 location', [{ path: field, value: uri, message: 'is not an s3://bucket/key URI', fix: 'write s3://bucket/key' }]);
  return { bucket: m[1], key: m[2] };
}

/** What to do about a manifest that is not one: it is only ever written by the gate. */
const MANIFEST_FIX = 'give the manifest.json that "aidlc gate run" wrote, unchanged';

/**
 * Reads a manifest's text, checking its SHA-256 (when given), its form and that every object lies
 * under its data prefix. Throws an error that says what is wrong with which field.
 */
export function parseManifest(text: string, where: string, expectedSha256?: string): DatasetManifest {
  if (expectedSha256 !== undefined) {
    const actual = sha256Hex(text);
    if (actual !== expectedSha256.toLowerCase()) {
      throw new Error(`${where}: SHA-256 is ${actual}, not the ${expectedSha256} the gate recorded; the manifest changed after the gate wrote it`);
    }
  }
  let m: any;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new InvalidValuesError(where, [{ path: 'contents', value: text, message: `is not JSON (${(e as Error).message})`, fix: MANIFEST_FIX }]);
  }
  const problems: Problem[] = [];
  const problem = (path: string, value: unknown, message: string) => problems.push({ path, value, message, fix: MANIFEST_FIX });
  if (m?.format !== 'aidlc-dataset-manifest' || m.version !== 1) {
    problem('format', m?.format, 'is not an aidlc dataset manifest (format aidlc-dataset-manifest, version 1)');
    throw new InvalidValuesError(where, problems);
  }
  for (const field of ['dataset', 'run', 'createdAt', 'source', 'contractSha256', 'dataUri']) {
    if (typeof m[field] !== 'string' || m[field].length === 0) problem(field, m[field], 'is not a non-empty string');
  }
  if (!m.gateReport || typeof m.gateReport.uri !== 'string' || !['pass', 'fail', 'error'].includes(m.gateReport.verdict)) {
    problem('gateReport', m.gateReport, 'does not hold a uri and a verdict of pass, fail or error');
  }
  if (!Array.isArray(m.objects)) problem('objects', m.objects, 'is not a list');
  if (problems.length > 0) throw new InvalidValuesError(where, problems);
  const prefix = parseS3Uri(m.dataUri, 'dataUri');
  m.objects.forEach((o: any, i: number) => {
    if (typeof o?.bucket !== 'string' || typeof o.key !== 'string' || typeof o.size !== 'number' || typeof o.sha256 !== 'string' || !SHA256_HEX.test(o.sha256)) {
      problem(`objects[${i}]`, o, 'needs bucket, key, size and a hex sha256');
    } else if (o.bucket !== prefix.bucket || !o.key.startsWith(prefix.key)) {
      problem(`objects[${i}]`, `s3://${o.bucket}/${o.key}`, `is outside dataUri ${m.dataUri}`);
    }
  });
  if (problems.length > 0) throw new InvalidValuesError(where, problems);
  return m as DatasetManifest;
}
