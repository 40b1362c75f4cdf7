import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes (or appends to) an output file, creating its folder first. */
export function writeOutput(path: string, text: string, options: { append?: boolean } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  if (options.append) appendFileSync(path, text);
  else writeFileSync(path, text);
}
