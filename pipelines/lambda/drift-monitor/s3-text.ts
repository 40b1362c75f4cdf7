import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';

/** An S3 object's body as UTF-8 text, or undefined when there is no such key. */
export async function readText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!r.Body) return '';
    const parts: Buffer[] = [];
    for await (const chunk of r.Body as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts).toString('utf8');
  } catch (e) {
    if (e instanceof NoSuchKey || (e as Error).name === 'NoSuchKey') return undefined;
    throw e;
  }
}
