/**
 * The data engine: one streaming pass over a dataset gives a profile, the contract checks and the
 * drift scores, in memory that does not grow with the file (beyond 8 bytes per distinct row for
 * duplicate and key detection).
 *
 * The gate (`aidlc gate`, the data-gate Lambda):
 * ```ts
 * const contract = loadContract('data/contract.json');
 * const report = await runGate(contract, openSource('s3://bucket/raw/churn/x.csv'), { baseline: loadProfile('profile.json') });
 * fs.writeFileSync('summary.md', renderMarkdown(report));
 * ```
 * A monitor over endpoint data capture (features only, several files, one profile):
 * ```ts
 * const profiler = new Profiler(contract, { columns: featureNames, baseline });
 * for (const key of captureKeys) await readJsonl(s3Source(client, bucket, key).chunks(), profiler);
 * const current = profiler.finish().profile;
 * const drift = scoreDrift(baseline, current, contract.drift);
 * ```
 * The profile format (the product's baseline, `aidlc profile --out profile.json`) is documented in
 * `profile.ts`; the contract format in `contract.ts`; the report in `report.ts`.
 */
export type { Contract, ContractColumn, ContractFormat, ColumnKind, DataFormat, DriftSettings } from './contract';
export { loadContract, parseContract } from './contract';
export type { InputLocation } from './errors';
export { ContractError, InputError, ProfileFormatError, describeLocation } from './errors';
export type { ProfilerOptions, ProfileResult } from './profiler';
export { Profiler } from './profiler';
export type { Profile, ColumnProfile, Bins, Categories, SketchData } from './profile';
export { loadProfile, parseProfile } from './profile';
export type { Violation } from './checks';
export { checkContract } from './checks';
export type { ColumnDrift, DriftResult, DriftThresholds } from './drift';
export { binnedKs, driftViolations, psi, scoreDrift } from './drift';
export type { Example } from './examples';
export { ExampleLog } from './examples';
export type { GateReport, ScanCost } from './report';
export { buildReport, errorReport } from './report';
export { renderMarkdown } from './markdown';
export type { DataSource, RangeReader } from './sources';
export { fileSource, formatOf, openSource, parseS3Url, s3Source } from './sources';
export { readCsv } from './read-csv';
export { addJsonRecord, readJsonl } from './read-jsonl';
export { readParquet } from './read-parquet';
export type { GateOptions, ProfileSourceOptions } from './run';
export { gateResult, profileSource, profileSources, resolveFormat, runGate } from './run';
export { CsvParser } from './csv';
