import { Readable } from 'node:stream';
import { DataSource, formatOf } from '../../pipelines/engine';

/** The seeded PRNG of the sample data, for generated test inputs. */
export { prng } from '../../src/project/sample-data';

/** Bytes in chunks of the given sizes (cycled), to cross every boundary. */
export async function* chunked(data: Buffer | string, sizes: number[] = [1024 * 1024]): AsyncIterable<Uint8Array> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let i = 0;
  for (let off = 0; off < buf.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]);
    yield buf.subarray(off, Math.min(buf.length, off + n));
    off += n;
  }
}

export function stream(data: Buffer | string): Readable {
  return Readable.from([typeof data === 'string' ? Buffer.from(data) : data]);
}

/** A dataset held in memory, streamed in chunks of the given sizes. */
export function memorySource(name: string, data: Buffer | string, sizes: number[] = [1024 * 1024]): DataSource {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return {
    name,
    ...formatOf(name),
    chunks: () => chunked(buf, sizes),
    ranges: async () => ({
      byteLength: buf.length,
      slice: async (s: number, e = buf.length) => buf.buffer.slice(buf.byteOffset + s, buf.byteOffset + e) as ArrayBuffer,
      close: async () => undefined,
    }),
  };
}
