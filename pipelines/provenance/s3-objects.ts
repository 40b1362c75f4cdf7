import { createHash } from 'node:crypto';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvalidValuesError } from '../../src/core/problem';

/** `s3://bucket/key` in parts; throws on anything else. */
export function s3Location(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new InvalidValuesError('S3 location', [{ path: 'uri', value: uri, message: 'is not an s3://bucket/key URI', fix: 'write s3://bucket/key' }]);
  return { bucket: m[1], key: m[2] };
}

/** SHA-256 (hex) and size of an S3 object, streamed. */
export async function sha256OfObject(s3: S3Client, uri: string): Promise<{ sha256: string; size: number }> {
  const { bucket, key } = s3Location(uri);
  return sha256OfVersion(s3, bucket, key);
}

/** SHA-256 (hex) and size of one version of an S3 object (the current one without `versionId`), streamed. */
export async function sha256OfVersion(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<{ sha256: string; size: number }> {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  if (!r.Body) throw new Error(`s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ''} has no body`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of r.Body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** An S3 object's text. */
export async function readText(s3: S3Client, uri: string): Promise<string> {
  const { bucket, key } = s3Location(uri);
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!r.Body) throw new Error(`${uri} has no body`);
  return (r.Body as { transformToString(encoding?: string): Promise<string> }).transformToString('utf8');
}
