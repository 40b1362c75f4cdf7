import * as fs from 'fs';
import * as path from 'path';

/**
 * Path of a bundled asset under `lib/assets` (built by `npx projen bundle` from `pipelines/`).
 * Resolves the same from `src/` (tests) and `lib/` (the published package): both sit one level
 * below the package root.
 */
export function assetPath(...segments: string[]): string {
  const p = path.join(__dirname, '..', '..', 'lib', 'assets', ...segments);
  if (!fs.existsSync(p)) {
    throw new Error(`Bundled asset ${path.join(...segments)} is missing at ${p}. Run "npx projen bundle" in the aidlc-pipeline package.`);
  }
  return p;
}
