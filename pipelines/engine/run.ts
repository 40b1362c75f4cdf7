import { Violation, checkContract } from './checks';
import { Contract, DataFormat } from './contract';
import { driftViolations, scoreDrift } from './drift';
import { InputError } from './errors';
import { Profile } from './profile';
import { ProfileResult, Profiler, ProfilerOptions } from './profiler';
import { readCsv } from './read-csv';
import { estimateRows, profileCsvFile, workersAvailable } from './read-csv-parallel';
import { readJsonl } from './read-jsonl';
import { readParquet } from './read-parquet';
import { GateReport, buildReport, errorReport } from './report';
import { DataSource, fileChunks } from './sources';

export interface ProfileSourceOptions extends ProfilerOptions {
  /**
   * The data format.
   * @default the format the source's name implies, else the contract's
   */
  readonly format?: DataFormat;
  /** Longest record (CSV) or line (JSON Lines) in bytes. @default 16 MiB */
  readonly maxRecordBytes?: number;
  /**
   * Most threads for a local, uncompressed CSV file of 8 MiB or more (when the engine runs
   * bundled): one per `bytesPerThread` of file.
   * @default 1
   */
  readonly threads?: number;
  /** Bytes of file per thread. @default 64 MiB */
  readonly bytesPerThread?: number;
}

/** The format to read a source as: explicit, implied by its name, or the contract's. */
export function resolveFormat(contract: Contract, source: DataSource, format?: DataFormat): DataFormat {
  return format ?? source.format ?? contract.format.type;
}

/** Streams a source through a profiler. Throws `InputError` when the data cannot be read. */
export async function profileSource(contract: Contract, source: DataSource, options: ProfileSourceOptions = {}): Promise<ProfileResult> {
  const format = resolveFormat(contract, source, options.format);
  if (format === 'csv' && source.path && !source.gzip && (options.threads ?? 1) > 1 && workersAvailable()) {
    const { format: _f, threads, ...rest } = options;
    return profileCsvFile(contract, source.path, { ...rest, threads: threads! });
  }
  const expectedRows = options.expectedRows ?? (format === 'csv' && source.path && !source.gzip ? await estimateRows(source.path) : undefined);
  const profiler = new Profiler(contract, { ...options, expectedRows });
  await readInto(profiler, contract, source, format, options);
  return profiler.finish();
}

/**
 * Streams several sources of one dataset through one profiler, in order: the profile of their
 * union (rows, duplicates and keys across files count once), as if they were one file. Each source
 * is read in its own format. Throws `InputError` when one cannot be read.
 */
export async function profileSources(contract: Contract, sources: DataSource[], options: ProfileSourceOptions = {}): Promise<ProfileResult> {
  const profiler = new Profiler(contract, options);
  for (const source of sources) {
    await readInto(profiler, contract, source, resolveFormat(contract, source, options.format), options);
  }
  return profiler.finish();
}

/**
 * Reads one source into the profiler in its format. A local, uncompressed CSV file is read into
 * one reused buffer (see fileChunks); every other source streams its own chunks.
 */
async function readInto(
  profiler: Profiler, contract: Contract, source: DataSource, format: DataFormat, options: ProfileSourceOptions,
): Promise<void> {
  switch (format) {
    case 'csv': {
      const chunks = source.path && !source.gzip ? fileChunks(source.path) : source.chunks();
      await readCsv(chunks, profiler, contract, { maxRecordBytes: options.maxRecordBytes });
      break;
    }
    case 'jsonl':
      await readJsonl(source.chunks(), profiler, { maxLineBytes: options.maxRecordBytes });
      break;
    case 'parquet': {
      const ranges = await source.ranges();
      try {
        await readParquet(ranges, profiler);
      } finally {
        await ranges.close();
      }
      break;
    }
  }
}

export interface GateOptions extends ProfileSourceOptions {
  /** Score drift against this profile. @default no drift check */
  readonly baseline?: Profile;
}

/**
 * The data gate: profiles a source, checks it against the contract and, with a baseline, scores
 * drift. Unreadable data gives a report with verdict `error` instead of an exception.
 */
export async function runGate(contract: Contract, source: DataSource, options: GateOptions = {}): Promise<GateReport> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  let result: ProfileResult;
  try {
    result = await profileSource(contract, source, options);
  } catch (e) {
    if (e instanceof InputError) return errorReport(contract.dataset, source.name, e.message, e.location, seconds());
    throw e;
  }
  return gateResult(contract, source.name, result, options.baseline, seconds());
}

/** The report for an existing profile result (checks and drift). */
export function gateResult(
  contract: Contract, sourceName: string, result: ProfileResult, baseline: Profile | undefined, seconds: number,
): GateReport {
  const violations: Violation[] = checkContract(contract, result);
  const drift = baseline ? scoreDrift(baseline, result.profile, contract.drift) : undefined;
  if (drift) violations.push(...driftViolations(drift));
  return buildReport({ dataset: contract.dataset, source: sourceName, profile: result.profile, violations, drift, seconds });
}
