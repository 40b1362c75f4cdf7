import { Readable } from 'stream';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsClientStub } from 'aws-sdk-client-mock';

/** The churn model's input: the contract's columns without the key, the target and the timestamp. */
export const INPUT_COLUMNS = ['age', 'tenure_months', 'monthly_charges', 'total_charges', 'contract', 'payment_method', 'support_calls', 'is_senior'];

export type Encoding = 'CSV' | 'JSON' | 'BASE64';

/**
 * SageMaker data capture JSON Lines for requests carrying `rows`: one line per request of
 * `perRequest` rows, the input as CSV (in input-column order, no header) or as JSON records,
 * encoded as the endpoint config's CaptureContentTypeHeader would have it.
 */
export function captureLines(rows: Record<string, string>[], options: { encoding?: Encoding; perRequest?: number; start?: Date } = {}): string {
  const encoding = options.encoding ?? 'CSV';
  const perRequest = options.perRequest ?? 1;
  const start = (options.start ?? new Date('2026-11-22T09:00:00Z')).getTime();
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += perRequest) {
    const batch = rows.slice(i, i + perRequest);
    const csv = batch.map((r) => INPUT_COLUMNS.map((c) => r[c]).join(',')).join('\n');
    const json = JSON.stringify(batch.map((r) => Object.fromEntries(INPUT_COLUMNS.map((c) => [c, jsonValue(c, r[c])]))));
    const input = encoding === 'CSV'
      ? { observedContentType: 'text/csv', mode: 'INPUT', data: csv, encoding: 'CSV' }
      : encoding === 'JSON'
        ? { observedContentType: 'application/json', mode: 'INPUT', data: json, encoding: 'JSON' }
        : { observedContentType: 'text/csv', mode: 'INPUT', data: Buffer.from(csv).toString('base64'), encoding: 'BASE64' };
    lines.push(JSON.stringify({
      captureData: {
        endpointInput: input,
        endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: batch.map(() => '0.27').join('\n'), encoding: 'CSV' },
      },
      eventMetadata: { eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, inferenceTime: new Date(start + i * 1000).toISOString() },
      eventVersion: '0',
    }));
  }
  return `${lines.join('\n')}\n`;
}

function jsonValue(column: string, value: string): unknown {
  if (value === '') return null;
  if (column === 'is_senior') return value === 'true';
  return ['contract', 'payment_method'].includes(column) ? value : Number(value);
}

/**
 * An in-memory bucket behind a mocked S3 client: ListObjectsV2 (with pages of `pageSize`),
 * GetObject (a fresh stream per call, NoSuchKey for unknown keys) and PutObject.
 */
export class FakeBucket {
  readonly objects = new Map<string, string>();

  constructor(mock: AwsClientStub<S3Client>, readonly pageSize = 1000) {
    mock.on(ListObjectsV2Command).callsFake((input) => {
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(input.Prefix ?? '')).sort();
      const from = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const page = keys.slice(from, from + this.pageSize);
      const more = from + this.pageSize < keys.length;
      return { Contents: page.map((Key) => ({ Key })), IsTruncated: more, ...(more ? { NextContinuationToken: String(from + this.pageSize) } : {}) };
    });
    mock.on(GetObjectCommand).callsFake((input) => {
      const body = this.objects.get(input.Key!);
      if (body === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
      return { Body: Readable.from([Buffer.from(body)]) };
    });
    mock.on(PutObjectCommand).callsFake((input) => {
      this.objects.set(input.Key!, String(input.Body));
      return {};
    });
  }

  put(key: string, body: string): void {
    this.objects.set(key, body);
  }
}
