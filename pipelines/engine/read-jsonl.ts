import { isUtf8 } from 'node:buffer';
import { CsvParser } from './csv';
import { InputError } from './errors';
import { Profiler } from './profiler';

export interface ReadJsonlOptions {
  /** Longest line in bytes. @default 16 MiB */
  readonly maxLineBytes?: number;
}

/**
 * Streams JSON Lines into a profiler. Each line holds one record: an object keyed by column name
 * (absent keys are nulls), an array of values in the profiler's column order, or a SageMaker
 * endpoint data capture record, whose `captureData.endpointInput` (CSV, JSON or base64 of either)
 * may hold several records. Lines that are not JSON count as malformed rows; blank lines are
 * skipped. Throws `InputError` for an empty input or a line over the size limit.
 */
export async function readJsonl(chunks: AsyncIterable<Uint8Array>, profiler: Profiler, options: ReadJsonlOptions = {}): Promise<void> {
  const max = options.maxLineBytes ?? 16 * 1024 * 1024;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let sawAny = false;
  const handle = (bytes: Buffer): void => {
    line++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--;
    let start = 0;
    if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    const body = bytes.subarray(start, end);
    if (body.every((b) => b === 32 || b === 9)) return;
    sawAny = true;
    if (!isUtf8(body)) {
      profiler.addMalformed(line, 'is not valid UTF-8');
      return;
    }
    const text = body.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      profiler.addMalformed(line, `is not valid JSON (${(e as Error).message})`, text);
      return;
    }
    addJsonRecord(profiler, value, line, text);
  };
  for await (const chunk of chunks) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (;;) {
      const lf = buf.indexOf(10, from);
      if (lf < 0) break;
      if (pendingBytes > 0) {
        pending.push(buf.subarray(from, lf));
        handle(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      } else {
        handle(buf.subarray(from, lf));
      }
      from = lf + 1;
    }
    if (from < buf.length) {
      pending.push(Buffer.from(buf.subarray(from)));
      pendingBytes += buf.length - from;
      if (pendingBytes > max) throw new InputError(`the line starting here is longer than ${max} bytes`, { line: line + 1 });
    }
  }
  if (pendingBytes > 0) handle(Buffer.concat(pending));
  if (!sawAny) throw new InputError('the file is empty: no JSON records');
}

/** Adds one parsed JSON line: an object, an array, or a data capture record. */
export function addJsonRecord(profiler: Profiler, value: unknown, line: number, text = ''): void {
  if (Array.isArray(value)) {
    profiler.addRow(value, line);
  } else if (typeof value === 'object' && value !== null) {
    const capture = (value as Record<string, any>).captureData;
    if (capture && typeof capture === 'object') addCapture(profiler, capture, line);
    else profiler.addObject(value as Record<string, unknown>, line);
  } else {
    profiler.addMalformed(line, 'is a JSON value but not an object or an array', text);
  }
}

/**
 * The records of a SageMaker data capture line: `endpointInput.data` decoded by its `encoding`
 * (CSV, JSON, BASE64) and `observedContentType`.
 */
function addCapture(profiler: Profiler, capture: Record<string, any>, line: number): void {
  const input = capture.endpointInput;
  if (!input || typeof input.data !== 'string') {
    profiler.addMalformed(line, 'is a data capture record without endpointInput.data');
    return;
  }
  const encoding = String(input.encoding ?? '').toUpperCase();
  const contentType = String(input.observedContentType ?? '').toLowerCase();
  let payload = input.data as string;
  if (encoding === 'BASE64') payload = Buffer.from(payload, 'base64').toString('utf8');
  const isJson = encoding === 'JSON' || (encoding === 'BASE64' && contentType.includes('json'));
  if (isJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(payload);
    } catch (e) {
      profiler.addMalformed(line, `holds a JSON payload that does not parse (${(e as Error).message})`, payload);
      return;
    }
    const records = Array.isArray(doc) ? doc : Array.isArray((doc as any)?.instances) ? (doc as any).instances : [doc];
    for (const r of records) {
      if (Array.isArray(r)) profiler.addRow(r, line);
      else if (typeof r === 'object' && r !== null) profiler.addObject(r as Record<string, unknown>, line);
      else profiler.addRow([r], line);
    }
    return;
  }
  const rows: string[][] = [];
  const p = new CsvParser((q) => {
    const fields: string[] = [];
    for (let i = 0; i < Math.min(q.count, q.starts.length); i++) fields.push(q.fieldText(i));
    rows.push(fields);
  });
  try {
    p.push(Buffer.from(payload, 'utf8'));
    p.end();
  } catch (e) {
    profiler.addMalformed(line, `holds a CSV payload that does not parse (${(e as Error).message})`, payload);
    return;
  }
  for (const r of rows) profiler.addRow(r, line);
}
