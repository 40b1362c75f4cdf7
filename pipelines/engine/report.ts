import { Violation } from './checks';
import { DriftResult } from './drift';
import { InputLocation } from './errors';
import { Profile } from './profile';

/**
 * What the gate says about one dataset: `aidlc gate --report`, the report the data-gate Lambda
 * writes beside each dataset, and the input of the Markdown summary.
 *
 * `verdict` is `pass` (no violation), `fail` (violations) or `error` (the data could not be read:
 * `error` says why and where; nothing else is reliable then).
 */
export interface GateReport {
  readonly format: 'aidlc-gate-report';
  readonly version: 1;
  readonly dataset: string;
  /** The file or `s3://` URL that was checked. */
  readonly source: string;
  readonly verdict: 'pass' | 'fail' | 'error';
  /** Data rows read (header excluded), including malformed ones. */
  readonly rows: number;
  readonly violations: Violation[];
  readonly drift?: DriftResult;
  readonly profile?: Profile;
  readonly error?: { readonly message: string; readonly location: InputLocation };
  /** Wall time of the check, seconds. */
  readonly seconds: number;
  /** What a SQL engine (Athena) scanned and what that costs; absent for the streaming engine. */
  readonly cost?: ScanCost;
}

/**
 * Bytes a SQL engine scanned to check a dataset, and the estimated price of it.
 */
export interface ScanCost {
  readonly engine: 'athena';
  readonly bytesScanned: number;
  /** Estimated price in USD at `usdPerTb`, with the engine's per-query rounding and minimum. */
  readonly estimatedUsd: number;
  readonly usdPerTb: number;
  /** Where the price comes from, and when it was read. */
  readonly priceSource: string;
  /** Each query: its name, the engine's id and the bytes it scanned. */
  readonly queries: Array<{ readonly name: string; readonly id?: string; readonly bytesScanned: number }>;
}

/** Assembles a report; the verdict follows from the violations. */
export function buildReport(args: {
  dataset: string;
  source: string;
  profile: Profile;
  violations: Violation[];
  drift?: DriftResult;
  seconds: number;
}): GateReport {
  return {
    format: 'aidlc-gate-report',
    version: 1,
    dataset: args.dataset,
    source: args.source,
    verdict: args.violations.length > 0 ? 'fail' : 'pass',
    rows: args.profile.rows,
    violations: args.violations,
    ...(args.drift ? { drift: args.drift } : {}),
    profile: args.profile,
    seconds: args.seconds,
  };
}

/** A report for data that could not be read. */
export function errorReport(dataset: string, source: string, message: string, location: InputLocation, seconds: number): GateReport {
  return {
    format: 'aidlc-gate-report',
    version: 1,
    dataset,
    source,
    verdict: 'error',
    rows: 0,
    violations: [],
    error: { message, location },
    seconds,
  };
}
