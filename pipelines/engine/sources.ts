import { closeSync, createReadStream, promises as fsp, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import type { S3Client } from '@aws-sdk/client-s3';
import { DataFormat } from './contract';
import { InputError } from './errors';

/** Random access to the bytes of a source (for Parquet, whose footer comes last). */
export interface RangeReader {
  readonly byteLength: number;
  /** Bytes [start, end). */
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  /** Releases the file handle, if any. */
  close(): Promise<void>;
}

/** Where a dataset comes from: a stream of its bytes, and random access when it has one. */
export interface DataSource {
  /** The path or URL, for reports. */
  readonly name: string;
  /** The local file, when the source is one (enables reading it with several threads). */
  readonly path?: string;
  /** Format implied by the name (`.csv`, `.jsonl`, `.parquet`, with an optional `.gz`), if any. */
  readonly format: DataFormat | undefined;
  /** Whether the bytes are gzip-compressed (`.gz`). */
  readonly gzip: boolean;
  /** The bytes, uncompressed, in chunks. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Random access (not for gzip); used by the Parquet reader. */
  ranges(): Promise<RangeReader>;
}

const CHUNK = 1024 * 1024;

/** Format and compression implied by a file name. */
export function formatOf(name: string): { format: DataFormat | undefined; gzip: boolean } {
  let n = name.toLowerCase().replace(/[?#].*$/, '');
  const gzip = n.endsWith('.gz');
  if (gzip) n = n.slice(0, -3);
  if (/\.(csv|tsv|txt)$/.test(n)) return { format: 'csv', gzip };
  if (/\.(jsonl|ndjson|json)$/.test(n)) return { format: 'jsonl', gzip };
  if (/\.(parquet|pq)$/.test(n)) return { format: 'parquet', gzip };
  return { format: undefined, gzip };
}

/**
 * Bytes [start, end) of a local file, read into one buffer that every chunk reuses: the consumer
 * must be done with a chunk (a CSV parser copies it) before it asks for the next. Streams
 * allocate a new buffer per chunk, which the garbage collector frees late: reading a large file
 * that way holds tens of MB of spent chunks.
 */
export async function* fileChunks(path: string, start = 0, end = Infinity, size = CHUNK): AsyncIterable<Uint8Array> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such file`);
    if (code === 'EISDIR') throw new InputError(`${path}: is a directory, not a file`);
    throw e;
  }
  const buf = Buffer.allocUnsafe(size);
  try {
    for (let pos = start; pos < end;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(size, end - pos), pos);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new InputError(`${path}: is a directory, not a file`);
        throw e;
      }
      if (n === 0) break;
      pos += n;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** A local file. */
export function fileSource(path: string): DataSource {
  const { format, gzip } = formatOf(path);
  return {
    name: path,
    path,
    format,
    gzip,
    chunks: () => decompress(createReadStream(path, { highWaterMark: CHUNK }), gzip, path),
    ranges: async () => {
      if (gzip) throw new InputError(`${path}: random access is not possible in a gzip file`);
      const handle = await fsp.open(path, 'r');
      const { size } = await handle.stat();
      return {
        close: () => handle.close(),
        byteLength: size,
        async slice(start: number, end = size) {
          const out = Buffer.allocUnsafe(end - start);
          let off = 0;
          while (off < out.length) {
            const { bytesRead } = await handle.read(out, off, out.length - off, start + off);
            if (bytesRead === 0) break;
            off += bytesRead;
          }
          return out.buffer.slice(out.byteOffset, out.byteOffset + off) as ArrayBuffer;
        },
      };
    },
  };
}

/** `s3://bucket/key` split into its parts, or undefined for anything else. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** The S3 SDK, loaded on first use (it is large, and most runs read local files). */
async function s3(): Promise<typeof import('@aws-sdk/client-s3')> {
  // eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
  return import('@aws-sdk/client-s3');
}

/**
 * An S3 object, streamed with GetObject (and ranged GetObjects for Parquet).
 * @param client the client to use; by default one for the environment's region and credentials
 */
export function s3Source(client: S3Client | undefined, bucket: string, key: string, versionId?: string): DataSource {
  let made: S3Client | undefined = client;
  // A connection that does not open in 5 s, or a download that stalls for a minute, fails (and
  // the SDK retries it) instead of hanging; a long download that keeps moving is never cut off.
  const timeouts = { connectionTimeout: 5_000, socketTimeout: 60_000 };
  const clientOf = async (): Promise<S3Client> => (made ??= new (await s3()).S3Client({ requestHandler: timeouts }));
  const { format, gzip } = formatOf(key);
  const name = `s3://${bucket}/${key}`;
  const version = versionId ? { VersionId: versionId } : {};
  return {
    name,
    format,
    gzip,
    chunks: () => {
      const body = (async function* () {
        const { GetObjectCommand } = await s3();
        const r = await (await clientOf()).send(new GetObjectCommand({ Bucket: bucket, Key: key, ...version }));
        if (!r.Body) throw new InputError(`${name}: the object has no body`);
        yield* r.Body as AsyncIterable<Uint8Array>;
      })();
      return decompress(Readable.from(body, { objectMode: false }), gzip, name);
    },
    ranges: async () => {
      if (gzip) throw new InputError(`${name}: random access is not possible in a gzip object`);
      const { GetObjectCommand, HeadObjectCommand } = await s3();
      const c = await clientOf();
      const head = await c.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...version }));
      const size = Number(head.ContentLength ?? 0);
      return {
        close: async () => undefined,
        byteLength: size,
        async slice(start: number, end = size) {
          if (end <= start) return new ArrayBuffer(0);
          const r = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, ...version }));
          const parts: Uint8Array[] = [];
          for await (const part of r.Body as AsyncIterable<Uint8Array>) parts.push(part);
          const b = Buffer.concat(parts);
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
        },
      };
    },
  };
}

/** A file path or an `s3://` URL. */
export function openSource(location: string, client?: S3Client): DataSource {
  const s3url = parseS3Url(location);
  if (s3url) return s3Source(client, s3url.bucket, s3url.key);
  return fileSource(location);
}

async function* decompress(stream: Readable, gzip: boolean, name: string): AsyncIterable<Uint8Array> {
  const source = gzip ? stream.pipe(createGunzip()) : stream;
  if (gzip) stream.on('error', (e) => source.destroy(e));
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new InputError(`${name}: no such file`);
    if (err.code === 'EISDIR') throw new InputError(`${name}: is a directory, not a file`);
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') throw new InputError(`${name}: not valid gzip data (${err.message})`);
    if (err.name === 'NoSuchKey' || err.name === 'NotFound') throw new InputError(`${name}: no such object`);
    if (err.name === 'AccessDenied') throw new InputError(`${name}: access denied`);
    throw e;
  }
}
