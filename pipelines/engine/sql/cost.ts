import { ScanCost } from '../report';

/**
 * Athena's price for SQL queries: USD 5.00 per TB scanned, each query billed by the megabyte
 * (rounded up) with a 10 MB minimum; the same in most regions. Cancelled and failed queries are
 * billed for what they scanned. Data definition statements and failed queries that scanned
 * nothing are free.
 */
export const ATHENA_USD_PER_TB = 5;
export const ATHENA_PRICE_SOURCE = 'https://aws.amazon.com/athena/pricing/ (SQL queries, USD 5.00 per TB scanned, billed per MB rounded up, 10 MB minimum per query), read 3 December 2026';

const MB = 1024 ** 2;
const TB = 1024 ** 4;
const MINIMUM_BYTES = 10 * MB;

/** Billed bytes of one query: its scanned bytes rounded up to a megabyte, at least 10 MB. */
export function billedBytes(scanned: number): number {
  return Math.max(MINIMUM_BYTES, Math.ceil(scanned / MB) * MB);
}

/** The cost section of a report for the queries of one Athena gate run. */
export function athenaCost(queries: Array<{ name: string; id?: string; bytesScanned: number }>, usdPerTb = ATHENA_USD_PER_TB): ScanCost {
  const bytesScanned = queries.reduce((t, q) => t + q.bytesScanned, 0);
  const billed = queries.reduce((t, q) => t + billedBytes(q.bytesScanned), 0);
  return {
    engine: 'athena',
    bytesScanned,
    estimatedUsd: Math.round((billed / TB) * usdPerTb * 1e6) / 1e6,
    usdPerTb,
    priceSource: ATHENA_PRICE_SOURCE,
    queries,
  };
}

/** `1.23 GB` style (binary units, as Athena reports scanned data). */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(2)} ${units[u]}`;
}
