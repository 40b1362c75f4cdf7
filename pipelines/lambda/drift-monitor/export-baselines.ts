import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ExportSettings } from './environment';
import { readText } from './s3-text';
import { parseProfile } from '../../engine';
import { exportModelMonitorBaseline } from '../../monitor';

export interface ExportOutcome {
  /** Keys written because their content changed. */
  readonly written: string[];
  /** Keys already up to date. */
  readonly unchanged: string[];
}

/**
 * Exports the training baseline profile as Model Monitor's `statistics.json` and
 * `constraints.json`, writing a file only when its content changed.
 */
export async function runExport(settings: ExportSettings, s3: S3Client): Promise<ExportOutcome> {
  const url = `s3://${settings.bucket}/${settings.profileKey}`;
  const text = await readText(s3, settings.bucket, settings.profileKey);
  if (text === undefined) throw new Error(`the baseline profile ${url} does not exist: train the model first`);
  const baseline = exportModelMonitorBaseline(parseProfile(JSON.parse(text), url), {
    features: settings.features,
    comparisonThreshold: settings.comparisonThreshold,
  });
  const files: Array<[string, unknown]> = [[settings.statisticsKey, baseline.statistics], [settings.constraintsKey, baseline.constraints]];
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [key, doc] of files) {
    const body = `${JSON.stringify(doc, undefined, 2)}\n`;
    if ((await readText(s3, settings.bucket, key)) === body) {
      unchanged.push(key);
      continue;
    }
    await s3.send(new PutObjectCommand({ Bucket: settings.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    written.push(key);
  }
  return { written, unchanged };
}
