import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const BLOCK = 512;

function field(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, length, 'ascii');
}

function octal(value: number, digits: number): string {
  return value.toString(8).padStart(digits, '0');
}

/** A ustar header for a regular file with fixed owner, mode and time. */
function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`file name ${name} is longer than 100 bytes`);
  const h = Buffer.alloc(BLOCK, 0);
  field(h, 0, 100, name);
  field(h, 100, 8, '0000644\0');
  field(h, 108, 8, '0000000\0');
  field(h, 116, 8, '0000000\0');
  field(h, 124, 12, `${octal(size, 11)}\0`);
  field(h, 136, 12, '00000000000\0');
  field(h, 148, 8, '        ');
  field(h, 156, 1, '0');
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  let sum = 0;
  for (const byte of h) sum += byte;
  field(h, 148, 8, `${octal(sum, 6)}\0 `);
  return h;
}

/**
 * A gzipped tar of the given files (name inside the archive -> path on disk), byte-for-byte the
 * same for the same contents: entries sorted, times, owners and modes fixed, so the asset hash
 * (and the pipeline's cache key) changes only when the code does.
 */
export function tarGzip(files: { [name: string]: string }): Buffer {
  const parts: Buffer[] = [];
  for (const name of Object.keys(files).sort()) {
    const content = fs.readFileSync(files[name]);
    parts.push(header(name, content.length), content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK, 0));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  return zlib.gzipSync(Buffer.concat(parts), { level: 9 });
}

/**
 * Writes the archive to a content-addressed file in the temporary folder (so repeated synths
 * reuse one file) and returns its path.
 */
export function writeSourceArchive(files: { [name: string]: string }): string {
  const archive = tarGzip(files);
  const digest = crypto.createHash('sha256').update(archive).digest('hex').slice(0, 16);
  const folder = path.join(os.tmpdir(), `aidlc-training-source-${digest}`);
  const file = path.join(folder, 'sourcedir.tar.gz');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(folder, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, archive);
    fs.renameSync(partial, file);
  }
  return file;
}
