import { promises as fsp } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Contract, parseContract } from './contract';
import { CsvParser } from './csv';
import { InputError } from './errors';
import { ProfileResult, Profiler, ProfilerOptions, ProfilerState } from './profiler';
import { matchHeader, readCsv } from './read-csv';
import { fileChunks } from './sources';

/**
 * Reads one local CSV file with several threads: the file is cut at line breaks into byte ranges,
 * each range is profiled by its own profiler (the first in this thread, the others in worker
 * threads), and the states are merged in file order, so rows and keys repeated across ranges are
 * still counted once and every example keeps its file row and line.
 *
 * A cut inside a quoted field (a line break in quotes) shows up as a range that does not end at a
 * record boundary; then the whole file is read again by one thread. Workers exist only where the
 * engine runs from its bundle (one JavaScript file a worker can load).
 */

const RANGE_WORKER = 'aidlc-csv-range';
const CHUNK = 1024 * 1024;

/**
 * Bytes of file each thread should have to read. A worker thread costs about 25 MB (its own V8
 * heap and compiled engine) and a fraction of a second to start: below 64 MiB per thread it
 * costs more memory than the time it saves is worth.
 */
export const DEFAULT_BYTES_PER_THREAD = 64 * 1024 * 1024;

export interface ParallelCsvOptions extends ProfilerOptions {
  /** Most threads to use (1 reads in this thread only). */
  readonly threads: number;
  /** One thread per this many bytes of file, up to `threads`. @default DEFAULT_BYTES_PER_THREAD */
  readonly bytesPerThread?: number;
  /** Longest record in bytes. @default 16 MiB */
  readonly maxRecordBytes?: number;
}

interface RangeJob {
  readonly kind: typeof RANGE_WORKER;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly first: boolean;
  readonly last: boolean;
  readonly firstLine: number;
  readonly contract: Contract;
  readonly options: ProfilerOptions;
  readonly header: string[] | undefined;
  readonly maxRecordBytes?: number;
}

type RangeRead = { readonly ok: true; readonly lines: number } | { readonly ok: false; readonly reason: string };
type RangeResult = { readonly ok: true; readonly state: ProfilerState; readonly lines: number } | { readonly ok: false; readonly reason: string };

/** Whether worker threads can load this engine (it runs from a bundled .js file). */
export function workersAvailable(): boolean {
  return __filename.endsWith('.js');
}

/** Profiles a local, uncompressed CSV file with up to `options.threads` threads. */
export async function profileCsvFile(contract: Contract, path: string, options: ParallelCsvOptions): Promise<ProfileResult> {
  const { threads, maxRecordBytes, bytesPerThread, ...profilerOptions } = options;
  const plan = threads > 1 && workersAvailable() ? await planRanges(path, contract, threads, bytesPerThread ?? DEFAULT_BYTES_PER_THREAD) : undefined;
  if (!plan) return sequential(contract, path, { expectedRows: await estimateRows(path), ...profilerOptions }, maxRecordBytes);

  const profiler = new Profiler(contract, { ...profilerOptions, expectedRows: plan.expectedRows });
  const fieldOf = plan.header ? matchHeader(plan.header, profiler.columnNames, profiler) : undefined;
  const jobs: RangeJob[] = plan.cuts.slice(0, -1).map((start, i) => ({
    kind: RANGE_WORKER,
    path,
    start,
    end: plan.cuts[i + 1],
    first: i === 0,
    last: i === plan.cuts.length - 2,
    firstLine: plan.headerLines + 1,
    contract,
    options: { ...profilerOptions, expectedRows: Math.ceil(plan.expectedRows / (plan.cuts.length - 1)) },
    header: plan.header,
    maxRecordBytes,
  }));
  const workerResults = jobs.slice(1).map((job) => runInWorker(job));
  let first: RangeRead;
  try {
    first = await readRange(jobs[0], profiler, fieldOf);
  } catch (e) {
    await Promise.allSettled(workerResults);
    throw e;
  }
  const rest = await Promise.all(workerResults);
  if (!first.ok || rest.some((r) => !r.ok)) {
    return sequential(contract, path, { expectedRows: plan.expectedRows, ...profilerOptions }, maxRecordBytes);
  }

  let lineOffset = first.lines;
  for (const r of rest) {
    if (!r.ok) continue;
    profiler.mergeState(r.state, profiler.rowCount, lineOffset);
    lineOffset += r.lines;
  }
  return profiler.finish();
}

async function sequential(contract: Contract, path: string, options: ProfilerOptions, maxRecordBytes?: number): Promise<ProfileResult> {
  const profiler = new Profiler(contract, options);
  await readCsv(fileChunks(path), profiler, contract, { maxRecordBytes });
  return profiler.finish();
}

interface RangePlan {
  /** Byte offsets: the first data byte, each cut, and the file size. */
  readonly cuts: number[];
  readonly header: string[] | undefined;
  readonly headerLines: number;
  readonly expectedRows: number;
}

/**
 * Reads the header from the file's first MiB, estimates the rows from the line length there, and
 * cuts the data into ranges just after line breaks: one per `bytesPerThread`, at most `threads`.
 * Undefined when the file is too small for two or the header does not fit the first MiB.
 */
async function planRanges(path: string, contract: Contract, maxThreads: number, bytesPerThread: number): Promise<RangePlan | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, 'r');
  } catch {
    return undefined; // the sequential read reports why the file cannot be read
  }
  try {
    const { size } = await handle.stat();
    const threads = Math.min(maxThreads, Math.floor(size / bytesPerThread));
    if (size < 8 * CHUNK || threads < 2) return undefined;
    const head = Buffer.alloc(Math.min(size, CHUNK));
    await handle.read(head, 0, head.length, 0);
    let header: string[] | undefined;
    let dataStart = -1;
    let headerLines = 0;
    if (contract.format.header) {
      const p = new CsvParser((q) => {
        if (header) return;
        header = [];
        for (let i = 0; i < Math.min(q.count, q.starts.length); i++) header.push(q.fieldText(i));
        dataStart = q.nextRecordOffset;
      }, { delimiter: contract.format.delimiter.charCodeAt(0) });
      try {
        p.push(head.subarray(0, head.lastIndexOf(10) + 1));
      } catch {
        return undefined;
      }
      if (!header) return undefined;
      for (let i = 0; i < dataStart; i++) if (head[i] === 10) headerLines++;
    } else {
      dataStart = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    }
    const expectedRows = rowsFromSample(head, dataStart, size);

    const cuts = [dataStart];
    const window = Buffer.alloc(64 * 1024);
    for (let k = 1; k < threads; k++) {
      const target = dataStart + Math.floor((k * (size - dataStart)) / threads);
      const { bytesRead } = await handle.read(window, 0, window.length, target);
      const lf = window.subarray(0, bytesRead).indexOf(10);
      if (lf < 0) break;
      const cut = target + lf + 1;
      if (cut > cuts[cuts.length - 1] && cut < size) cuts.push(cut);
    }
    cuts.push(size);
    return cuts.length > 2 ? { cuts, header, headerLines, expectedRows } : undefined;
  } finally {
    await handle.close();
  }
}

/** Rows a file of `size` bytes probably holds, from the line lengths in its first bytes (5 % margin). */
function rowsFromSample(head: Buffer, dataStart: number, size: number): number {
  let lines = 0;
  for (let i = head.indexOf(10, dataStart); i >= 0; i = head.indexOf(10, i + 1)) lines++;
  const bytesPerLine = lines > 0 ? (head.length - dataStart) / lines : 100;
  return Math.ceil(((size - dataStart) / bytesPerLine) * 1.05);
}

/**
 * Rows a local file probably holds (to size the hash sets once), or undefined when it cannot be
 * read or is small enough not to matter.
 */
export async function estimateRows(path: string): Promise<number | undefined> {
  try {
    const handle = await fsp.open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size < 4 * CHUNK) return undefined;
      const head = Buffer.alloc(CHUNK);
      await handle.read(head, 0, head.length, 0);
      return rowsFromSample(head, 0, size);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** Profiles bytes [start, end) of the file; not ok when the range does not end at a record boundary. */
async function readRange(job: RangeJob, profiler: Profiler, fieldOf: Int32Array | undefined): Promise<RangeRead> {
  const names = profiler.columnNames;
  const map = fieldOf ?? Int32Array.from(names.map((_, i) => i));
  const fieldCount = job.header ? job.header.length : names.length;
  const delimiter = job.contract.format.delimiter.charCodeAt(0);
  profiler.setCsvLayout(map, fieldCount, delimiter);
  const parser = new CsvParser((p) => profiler.addCsvRecord(p), {
    delimiter,
    maxRecordBytes: job.maxRecordBytes,
    firstLine: job.firstLine,
    atFileStart: false,
  });
  parser.onLine = (buf, start, end, line) => profiler.addCsvLine(buf, start, end, line);
  try {
    for await (const chunk of fileChunks(job.path, job.start, job.end, CHUNK)) parser.push(chunk);
    if (job.last) parser.end();
    else if (!parser.atRecordBoundary) return { ok: false, reason: 'the range does not end at a record boundary' };
  } catch (e) {
    // In any range but the first, a quote error may come from a cut inside a quoted field:
    // the sequential reread decides.
    if (e instanceof InputError && !job.first) return { ok: false, reason: e.message };
    throw e;
  }
  return { ok: true, lines: parser.lines - job.firstLine };
}

function runInWorker(job: RangeJob): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    // Loading the bundle from evaluated code keeps `require.main` unset in the worker, so the
    // CLI entry point does not run there; this module's hook below does.
    const worker = new Worker(`require(${JSON.stringify(__filename)})`, { eval: true, workerData: job });
    worker.once('message', (m: RangeResult | { error: string; location?: object }) => {
      if ('error' in m) reject(m.location ? new InputError(m.error, m.location) : new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`a profiling thread stopped with exit code ${code}`)); });
  });
}

async function workerMain(job: RangeJob): Promise<void> {
  const contract = parseContract(job.contract);
  const profiler = new Profiler(contract, job.options);
  const fieldOf = job.header ? matchHeader(job.header, profiler.columnNames, profiler) : undefined;
  try {
    const r = await readRange(job, profiler, fieldOf);
    if (!r.ok) {
      parentPort!.postMessage(r);
      return;
    }
    const state = profiler.exportState();
    const transfer: ArrayBuffer[] = [state.rowSet.slots.buffer as ArrayBuffer];
    if (state.keySet) transfer.push(state.keySet.slots.buffer as ArrayBuffer);
    if (state.keyInts) transfer.push(state.keyInts.buffer as ArrayBuffer);
    for (const c of state.columns) transfer.push(c.registers.buffer as ArrayBuffer);
    parentPort!.postMessage({ ok: true, state, lines: r.lines }, transfer);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ error: err.message, ...(e instanceof InputError ? { location: e.location } : {}) });
  }
}

if (!isMainThread && (workerData as RangeJob | undefined)?.kind === RANGE_WORKER) {
  void workerMain(workerData as RangeJob);
}
