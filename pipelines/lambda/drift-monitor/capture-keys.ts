import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { InvalidValuesError } from '../../../src/core/problem';

const HOUR_MS = 3_600_000;

/**
 * The hour folders of data capture that a window ending at `now` touches: SageMaker writes a
 * variant's captured requests under `<prefix>yyyy/mm/dd/hh/` (UTC, the hour of the request), so a
 * window of N hours reads the folders from the hour N hours back to the current hour.
 */
export function hourPrefixes(prefix: string, now: Date, windowHours: number): string[] {
  if (!Number.isInteger(windowHours) || windowHours < 1) {
    throw new InvalidValuesError('drift window', [{ path: 'WINDOW_HOURS', value: windowHours, message: 'is not a whole number of hours, 1 or more', fix: 'set the window of the BuiltinDriftMonitor construct in whole hours' }]);
  }
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const last = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const out: string[] = [];
  for (let t = last - windowHours * HOUR_MS; t <= last; t += HOUR_MS) {
    const d = new Date(t);
    const p2 = (n: number) => String(n).padStart(2, '0');
    out.push(`${base}${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCHours())}/`);
  }
  return out;
}

/** Keys of the captured files in the window, oldest hour first. */
export async function captureKeys(s3: S3Client, bucket: string, prefix: string, now: Date, windowHours: number): Promise<string[]> {
  const keys: string[] = [];
  for (const hour of hourPrefixes(prefix, now, windowHours)) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: hour, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return keys;
}
