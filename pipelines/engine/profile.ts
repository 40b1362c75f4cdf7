import { readFileSync } from 'node:fs';
import { ColumnKind } from './contract';
import { ProfileFormatError } from './errors';

/**
 * A dataset profile: what `aidlc profile --out profile.json` writes, the baseline the gate and the
 * drift monitor score new data against, and the `profile` section of every gate report.
 *
 * ```jsonc
 * {
 *   "format": "aidlc-profile",
 *   "version": 1,
 *   "dataset": "churn",
 *   "rows": 2000,              // data rows read (header excluded)
 *   "malformedRows": 0,        // rows left out of every statistic: wrong field count, broken quotes, bad JSON
 *   "duplicateRows": 0,        // rows minus distinct rows (all columns; nulls compare equal)
 *   "duplicateKeys": 0,        // rows minus distinct keys (0 when the contract has no key)
 *   "key": ["customer_id"],    // the key columns (drift skips them)
 *   "columns": {
 *     "monthly_charges": {
 *       "type": "float",       // int | float | string | bool | timestamp
 *       "count": 2000,         // valid, non-null values
 *       "nulls": 0,
 *       "invalid": 0,          // values that are not of the type (e.g. "abc", "NaN", "1e309" in a float column)
 *       "distinct": 1711, "distinctExact": false,   // HyperLogLog estimate unless exact
 *       "min": 15, "max": 172.6, "mean": 64.9,      // int and float
 *       "bins": { "edges": [30.5, 41.25], "counts": [200, 201, 1599] },
 *                              // quantile bins (-inf, e1), [e1, e2), ..., [e_last, +inf): the PSI bins
 *       "sketch": { "bits": 7, "buckets": [[264064, 3], [264065, 1]] },
 *                              // log-linear histogram (see sketch.ts): KS and re-binning
 *       "outOfRange": 0        // when the contract sets min or max
 *     },
 *     "contract": {
 *       "type": "string", "count": 2000, "nulls": 0, "invalid": 0, "distinct": 3, "distinctExact": true,
 *       "categories": { "values": { "month-to-month": 1100, "one-year": 500, "two-year": 400 },
 *                       "other": 0, "complete": true },   // other: occurrences beyond the values kept
 *       "notAllowed": 0        // when the contract lists allowed values
 *     },
 *     "signup_date": { "type": "timestamp", "count": 2000, "nulls": 0, "invalid": 0,
 *                      "distinct": 1520, "distinctExact": false,
 *                      "earliest": "2019-01-01T00:00:00Z", "latest": "2023-12-31T00:00:00Z" }
 *   }
 * }
 * ```
 * Int columns with allowed values and bool columns (values "true"/"false") also carry
 * `categories`. A profile made against a baseline adds `reference` (counts on the baseline's bin
 * edges) to numeric columns, so drift is exact even when the edges are not bucket bounds.
 */
export interface Profile {
  readonly format: 'aidlc-profile';
  readonly version: 1;
  readonly dataset: string;
  readonly rows: number;
  readonly malformedRows: number;
  readonly duplicateRows: number;
  readonly duplicateKeys: number;
  readonly key: string[];
  readonly columns: Record<string, ColumnProfile>;
}

export interface Bins {
  readonly edges: number[];
  /** Counts per bin (a baseline may hold proportions instead: drift normalises by the sum). */
  readonly counts: number[];
}

export interface SketchData {
  readonly bits: number;
  /** [bucket index, count], in increasing index order. */
  readonly buckets: Array<[number, number]>;
}

export interface Categories {
  /** Count of each value (most frequent first). */
  readonly values: Record<string, number>;
  /** Occurrences of values that were not kept (the dictionary was full). */
  readonly other: number;
  /** Whether every value is listed (other is 0 because nothing was left out). */
  readonly complete: boolean;
}

export interface ColumnProfile {
  readonly type: ColumnKind;
  readonly count: number;
  readonly nulls: number;
  readonly invalid: number;
  readonly distinct: number;
  readonly distinctExact: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly bins?: Bins;
  readonly sketch?: SketchData;
  readonly reference?: Bins;
  readonly categories?: Categories;
  readonly earliest?: string;
  readonly latest?: string;
  readonly outOfRange?: number;
  readonly notAllowed?: number;
}

/** Reads a profile file written by `aidlc profile` (or a converter). */
export function loadProfile(path: string): Profile {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ProfileFormatError(`cannot read the profile ${path}: ${(e as Error).message}`);
  }
  return parseProfile(doc, path);
}

/** Checks the shape of a parsed profile document. */
export function parseProfile(doc: unknown, source = 'profile'): Profile {
  const fail = (m: string): never => {
    throw new ProfileFormatError(`${source} is not an aidlc profile: ${m}`);
  };
  if (typeof doc !== 'object' || doc === null) fail('not a JSON object');
  const p = doc as Record<string, any>;
  if (p.format !== 'aidlc-profile') fail(`"format" is ${JSON.stringify(p.format)}, expected "aidlc-profile"`);
  if (p.version !== 1) fail(`"version" is ${JSON.stringify(p.version)}, expected 1`);
  if (typeof p.rows !== 'number') fail('"rows" must be a number');
  if (typeof p.columns !== 'object' || p.columns === null) fail('"columns" must be an object');
  for (const [name, c] of Object.entries(p.columns as Record<string, any>)) {
    if (typeof c !== 'object' || c === null || typeof c.type !== 'string') fail(`column "${name}" has no type`);
    for (const field of ['bins', 'reference'] as const) {
      const b = c[field];
      if (b === undefined) continue;
      if (!Array.isArray(b.edges) || !Array.isArray(b.counts) || b.counts.length !== b.edges.length + 1) {
        fail(`column "${name}": ${field} needs edges and one more count than edges`);
      }
      for (let i = 1; i < b.edges.length; i++) if (!(b.edges[i] > b.edges[i - 1])) fail(`column "${name}": ${field} edges must increase`);
    }
    if (c.categories !== undefined && (typeof c.categories.values !== 'object' || c.categories.values === null)) {
      fail(`column "${name}": categories need values`);
    }
  }
  return {
    format: 'aidlc-profile',
    version: 1,
    dataset: typeof p.dataset === 'string' ? p.dataset : '',
    rows: p.rows,
    malformedRows: p.malformedRows ?? 0,
    duplicateRows: p.duplicateRows ?? 0,
    duplicateKeys: p.duplicateKeys ?? 0,
    key: Array.isArray(p.key) ? p.key : [],
    columns: p.columns,
  };
}
