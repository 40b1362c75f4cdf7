// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Contract, GateReport, InputError, Profile, formatOf, gateResult, profileSources, s3Source } from '../engine';
import { gateUpload, UploadedObject } from './gate-object';
import {
  buildManifest, DatasetManifest, GateRunVerdict, ManifestFile, ManifestObject, parseS3Uri, serializeManifest, sha256Hex,
} from './manifest';
import { InvalidValuesError, Problem } from '../../src/core/problem';
import { sha256OfVersion } from '../provenance/s3-objects';

/**
 * One gate run over a whole dataset (every object under an S3 prefix, or one object): each object
 * is checked on its own against the row-level rules (types, ranges, nulls, allowed values,
 * duplicates within it) and copied, as that version, into the run's own prefix of the validated
 * bucket or of the quarantine bucket; then the passed objects are profiled together and checked
 * as one dataset (fewest rows, duplicates and keys across files, drift against the baseline):
 * that profile is the training baseline. The run writes, under
 * `<validated prefix>runs/<run>/`:
 *
 *   data/<path>                 the passed objects (what training reads)
 *   reports/<path>.report.json  each object's report (quarantined ones: in the quarantine bucket)
 *   baseline-profile.json       the profile of the passed objects together
 *   gate-report.json            the run's report: every object's verdict, the dataset-wide checks
 *   manifest.json               the dataset manifest (only the passed objects)
 *
 * and, when the run passes, `<validated prefix>runs/latest-pass.json` names it (retraining on
 * drift trains on the newest passing run).
 *
 * Uploaded objects are only read; quarantined objects are copied, never deleted.
 */

/** Where a run reads and writes, and what it checks against. */
export interface DatasetRunSettings {
  /** `s3://bucket/prefix/` (every object below it) or `s3://bucket/key` (one object). */
  readonly source: string;
  /** Id of the run: names its prefix, so it must be unique per run (the pipeline execution id). */
  readonly run: string;
  readonly validatedBucket: string;
  /** Prefix of this model's validated data, ending in `/`, e.g. `validated/churn/`. */
  readonly validatedPrefix: string;
  readonly quarantineBucket: string;
  readonly quarantinePrefix: string;
  readonly contract: Contract;
  /** The contract document as read (its canonical SHA-256 goes into the manifest). */
  readonly contractDocument: unknown;
  /** A baseline profile to score drift against, with where it came from. */
  readonly driftBaseline?: { readonly profile: Profile; readonly file: ManifestFile };
  /** Clock, for the manifest's `createdAt`. */
  readonly now?: () => Date;
}

/** What the run says about one object. */
export interface RunFile {
  readonly source: string;
  readonly versionId?: string;
  readonly verdict: GateReport['verdict'] | 'skipped';
  readonly rows?: number;
  readonly violations?: string[];
  readonly error?: string;
  /** Where the object was copied (validated or quarantine). */
  readonly destination?: string;
  readonly report?: string;
  readonly reason?: string;
}

/** The run's report (`gate-report.json`). */
export interface GateRunReport {
  readonly format: 'aidlc-gate-run-report';
  readonly version: 1;
  readonly dataset: string;
  readonly run: string;
  readonly source: string;
  readonly verdict: GateRunVerdict;
  readonly files: RunFile[];
  /** The dataset-wide checks on the passed objects together (absent when none passed). */
  readonly union?: { readonly rows: number; readonly verdict: GateReport['verdict']; readonly violations: { id: string; message: string }[] };
  /** Why the run failed, in sentences. */
  readonly reasons: string[];
}

/** The run's outcome: its verdict and where everything went. */
export interface DatasetRunResult {
  readonly verdict: GateRunVerdict;
  readonly report: GateRunReport;
  readonly reportUri: string;
  readonly manifest: DatasetManifest;
  readonly manifestUri: string;
  readonly manifestSha256: string;
  /** The profile of the passed objects (absent when none passed). */
  readonly trainingBaseline?: ManifestFile & { readonly profile: Profile };
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Where the newest passing gate run is named (`<validated prefix>runs/latest-pass.json`). */
export function latestPassingRunKey(validatedPrefix: string): string {
  return `${validatedPrefix}runs/latest-pass.json`;
}

/** The newest passing gate run: its manifest and the manifest's SHA-256. */
export interface LatestPassingRun {
  readonly run: string;
  readonly manifestUri: string;
  readonly manifestSha256: string;
  readonly createdAt: string;
}

/** Runs the gate over a dataset and writes the run's files; see the module comment. */
export async function gateDataset(s3: S3Client, s: DatasetRunSettings): Promise<DatasetRunResult> {
  const problems: Problem[] = [];
  if (!RUN_ID.test(s.run)) {
    problems.push({ path: 'run', value: s.run, message: 'is not a run id', fix: 'use 1 to 128 letters, digits, dots, dashes or underscores, e.g. the pipeline execution id' });
  }
  for (const [name, prefix] of [['validatedPrefix', s.validatedPrefix], ['quarantinePrefix', s.quarantinePrefix]]) {
    if (!prefix.endsWith('/')) problems.push({ path: name, value: prefix, message: 'is not a prefix', fix: 'end it with "/"' });
  }
  if (problems.length > 0) throw new InvalidValuesError('gate run', problems);
  const runPrefix = `${s.validatedPrefix}runs/${s.run}/`;
  const { objects, rawPrefix, skipped } = await listDataset(s3, s.source);
  const settings = {
    rawPrefix,
    validatedBucket: s.validatedBucket,
    validatedPrefix: runPrefix,
    quarantineBucket: s.quarantineBucket,
    quarantinePrefix: `${s.quarantinePrefix}runs/${s.run}/`,
    // Each object alone meets the row-level rules; the row count and drift are properties of
    // the dataset, checked on the passed objects together below.
    contract: { ...s.contract, minRows: 0 },
  };

  const files: RunFile[] = skipped.map((key) => ({ source: `s3://${parseS3Uri(s.source, 'source').bucket}/${key}`, verdict: 'skipped' as const, reason: 'not a CSV, JSON Lines or Parquet file' }));
  const passed: Array<ManifestObject & { verdict: string }> = [];
  for (const o of objects) {
    const gated = await gateUpload(s3, settings, o);
    const r = gated.report!;
    files.push({
      source: `s3://${o.bucket}/${o.key}`,
      ...(o.versionId ? { versionId: o.versionId } : {}),
      verdict: r.verdict,
      rows: r.rows,
      violations: r.violations.map((v) => v.id),
      ...(r.error ? { error: r.error.message } : {}),
      destination: gated.outcome.destination,
      report: gated.outcome.report,
    });
    if (r.verdict !== 'pass' || !gated.copy) continue;
    const { sha256, size } = await sha256OfVersion(s3, gated.copy.bucket, gated.copy.key, gated.copy.versionId);
    passed.push({
      bucket: gated.copy.bucket,
      key: gated.copy.key,
      ...(gated.copy.versionId ? { versionId: gated.copy.versionId } : {}),
      size,
      sha256,
      rows: r.rows,
      source: { bucket: o.bucket, key: o.key, ...(o.versionId ? { versionId: o.versionId } : {}) },
      report: gated.outcome.report!,
      verdict: 'pass',
    });
  }

  const reasons: string[] = [];
  const failed = files.filter((f) => f.verdict === 'fail' || f.verdict === 'error');
  if (objects.length === 0) reasons.push(`no data object (CSV, JSON Lines or Parquet) under ${s.source}`);
  for (const f of failed) {
    reasons.push(`${f.source} ${f.verdict === 'error' ? `could not be read (${f.error})` : `violates ${f.violations!.join(', ')}`}; quarantined at ${f.destination}, report ${f.report}`);
  }

  let union: GateRunReport['union'];
  let trainingBaseline: DatasetRunResult['trainingBaseline'];
  if (passed.length > 0) {
    const t0 = Date.now();
    let unionReport: GateReport;
    try {
      const result = await profileSources(s.contract, passed.map((p) => s3Source(s3, p.bucket, p.key, p.versionId)));
      unionReport = gateResult(s.contract, `s3://${s.validatedBucket}/${runPrefix}data/`, result, s.driftBaseline?.profile, (Date.now() - t0) / 1000);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new Error(`the passed objects could not be read back together: ${e.message}`);
    }
    const violations = unionReport.violations.map((v) => ({ id: v.id, message: v.message }));
    union = { rows: unionReport.rows, verdict: unionReport.verdict, violations };
    for (const v of unionReport.violations) reasons.push(`the passed objects together violate ${v.id}: ${v.message}`);
    const text = JSON.stringify(unionReport.profile, null, 2) + '\n';
    const key = `${runPrefix}baseline-profile.json`;
    await put(s3, s.validatedBucket, key, text);
    trainingBaseline = { uri: `s3://${s.validatedBucket}/${key}`, sha256: sha256Hex(text), profile: unionReport.profile! };
  }

  const verdict: GateRunVerdict = reasons.length === 0 ? 'pass' : files.some((f) => f.verdict === 'error') && passed.length === 0 ? 'error' : 'fail';
  const report: GateRunReport = {
    format: 'aidlc-gate-run-report',
    version: 1,
    dataset: s.contract.dataset,
    run: s.run,
    source: s.source,
    verdict,
    files,
    ...(union ? { union } : {}),
    reasons,
  };
  const reportKey = `${runPrefix}gate-report.json`;
  await put(s3, s.validatedBucket, reportKey, JSON.stringify(report, null, 2) + '\n');
  const reportUri = `s3://${s.validatedBucket}/${reportKey}`;

  const manifest = buildManifest({
    dataset: s.contract.dataset,
    run: s.run,
    createdAt: (s.now ?? (() => new Date()))(),
    source: s.source,
    contract: s.contractDocument,
    ...(s.driftBaseline ? { driftBaseline: s.driftBaseline.file } : {}),
    ...(trainingBaseline ? { trainingBaseline: { uri: trainingBaseline.uri, sha256: trainingBaseline.sha256 } } : {}),
    gateReport: { uri: reportUri, verdict },
    dataUri: `s3://${s.validatedBucket}/${runPrefix}data/`,
    objects: passed,
  });
  const manifestText = serializeManifest(manifest);
  const manifestKey = `${runPrefix}manifest.json`;
  await put(s3, s.validatedBucket, manifestKey, manifestText);
  if (verdict === 'pass') {
    // The newest passing run, for runs started without a pipeline execution (retraining on drift).
    const pointer: LatestPassingRun = { run: s.run, manifestUri: `s3://${s.validatedBucket}/${manifestKey}`, manifestSha256: sha256Hex(manifestText), createdAt: manifest.createdAt };
    await put(s3, s.validatedBucket, latestPassingRunKey(s.validatedPrefix), JSON.stringify(pointer, null, 2) + '\n');
  }
  return {
    verdict,
    report,
    reportUri,
    manifest,
    manifestUri: `s3://${s.validatedBucket}/${manifestKey}`,
    manifestSha256: sha256Hex(manifestText),
    ...(trainingBaseline ? { trainingBaseline } : {}),
  };
}

/**
 * The current version of every data object of a dataset: under a prefix (a folder marker, deleted
 * objects and files of no data format are left out), or one object.
 */
export async function listDataset(s3: S3Client, source: string): Promise<{ objects: UploadedObject[]; rawPrefix: string; skipped: string[] }> {
  const { bucket, key } = parseS3Uri(source, 'source');
  if (key !== '' && !key.endsWith('/')) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const object = { bucket, key, ...(head.VersionId ? { versionId: head.VersionId } : {}), size: Number(head.ContentLength ?? 0) };
    return { objects: [object], rawPrefix: key.slice(0, key.lastIndexOf('/') + 1), skipped: [] };
  }
  const objects: UploadedObject[] = [];
  const skipped: string[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, KeyMarker, VersionIdMarker }));
    for (const v of page.Versions ?? []) {
      if (!v.IsLatest || !v.Key || v.Key.endsWith('/')) continue;
      if (formatOf(v.Key).format === undefined) {
        skipped.push(v.Key);
        continue;
      }
      objects.push({ bucket, key: v.Key, ...(v.VersionId && v.VersionId !== 'null' ? { versionId: v.VersionId } : {}), size: Number(v.Size ?? 0) });
    }
    KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker);
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, rawPrefix: key, skipped };
}

async function put(s3: S3Client, bucket: string, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
}
