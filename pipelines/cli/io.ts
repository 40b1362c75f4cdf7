import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { dirname } from 'path';
import { realSleep, Sleep } from '../shared/retry';

/** What commands touch outside themselves; tests swap in fakes. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Appends to a file, creating its folder (GitHub's step summary is shared by every step of a job). */
  readonly append: (file: string, text: string) => void;
  /** Writes a file, creating its folder. */
  readonly writeText: (file: string, text: string) => void;
  readonly readText: (file: string) => string;
  readonly now: () => Date;
  readonly sleep: Sleep;
  /** A signal that aborts after `ms` of real time: the deadline of a `--timeout-minutes`. */
  readonly deadline: (ms: number) => AbortSignal;
  readonly uuid: () => string;
}

export const PROCESS_IO: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  append: (file, text) => {
    fs.mkdirSync(dirname(file), { recursive: true });
    fs.appendFileSync(file, text);
  },
  writeText: (file, text) => {
    fs.mkdirSync(dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  },
  readText: (file) => fs.readFileSync(file, 'utf-8'),
  now: () => new Date(),
  sleep: realSleep,
  deadline: (ms) => AbortSignal.timeout(ms),
  uuid: () => randomUUID(),
};
