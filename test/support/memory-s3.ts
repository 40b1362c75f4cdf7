import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

interface Version { readonly id: string; readonly body: Buffer; readonly deleted?: boolean }

/**
 * A versioned S3 in memory, behind the SDK client mock: PutObject and CopyObject add versions,
 * GetObject and HeadObject read the latest or a given version, ListObjectVersions lists them.
 * Nothing is ever deleted, so a test can check that nothing was.
 */
export class MemoryS3 {
  public readonly mock = mockClient(S3Client);
  private readonly objects = new Map<string, Version[]>();
  private counter = 0;

  constructor() {
    this.mock.on(PutObjectCommand).callsFake((i) => ({ VersionId: this.put(i.Bucket, i.Key, Buffer.from(i.Body as string)) }));
    this.mock.on(CopyObjectCommand).callsFake((i) => {
      const m = /^([^/]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(i.CopySource as string)!;
      const source = this.version(m[1], decodeURIComponent(m[2]), m[3] && decodeURIComponent(m[3]));
      return { VersionId: this.put(i.Bucket, i.Key, source.body) };
    });
    this.mock.on(GetObjectCommand).callsFake((i) => {
      const v = this.version(i.Bucket, i.Key, i.VersionId);
      return { Body: Readable.from([v.body.subarray(0, 700), v.body.subarray(700)]), VersionId: v.id, ContentLength: v.body.length };
    });
    this.mock.on(HeadObjectCommand).callsFake((i) => {
      const v = this.version(i.Bucket, i.Key, i.VersionId);
      return { VersionId: v.id, ContentLength: v.body.length };
    });
    this.mock.on(ListObjectVersionsCommand).callsFake((i) => {
      const versions = [...this.objects.entries()]
        .filter(([path]) => path.startsWith(`${i.Bucket}/${i.Prefix ?? ''}`))
        .flatMap(([path, vs]) => vs.map((v, n) => ({
          Key: path.slice(i.Bucket.length + 1), VersionId: v.id, IsLatest: n === vs.length - 1, Size: v.body.length,
        })));
      return { Versions: versions, IsTruncated: false };
    });
  }

  public put(bucket: string, key: string, body: Buffer): string {
    const id = `v${++this.counter}`;
    const path = `${bucket}/${key}`;
    this.objects.set(path, [...(this.objects.get(path) ?? []), { id, body }]);
    return id;
  }

  public text(bucket: string, key: string, versionId?: string): string {
    return this.version(bucket, key, versionId).body.toString('utf8');
  }

  public keys(bucket: string): string[] {
    return [...this.objects.keys()].filter((p) => p.startsWith(`${bucket}/`)).map((p) => p.slice(bucket.length + 1)).sort();
  }

  public sha256(bucket: string, key: string): string {
    return createHash('sha256').update(this.version(bucket, key).body).digest('hex');
  }

  public version(bucket: string, key: string, versionId?: string): Version {
    const vs = this.objects.get(`${bucket}/${key}`);
    const v = versionId ? vs?.find((x) => x.id === versionId) : vs?.[vs.length - 1];
    if (!v) throw Object.assign(new Error(`NoSuchKey: ${bucket}/${key}${versionId ? `@${versionId}` : ''}`), { name: 'NoSuchKey' });
    return v;
  }
}
