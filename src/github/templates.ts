import * as fs from 'fs';
import * as path from 'path';

/**
 * Path of a file under the package's `templates/` folder. Resolves the same from `src/` (tests)
 * and `lib/` (the published package): both sit one level below the package root.
 */
export function templatePath(...segments: string[]): string {
  return path.join(__dirname, '..', '..', 'templates', ...segments);
}

/** Text of a template file, with a clear error when the package was published without it. */
export function readTemplate(...segments: string[]): string {
  const file = templatePath(...segments);
  if (!fs.existsSync(file)) {
    throw new Error(`Template ${path.join(...segments)} is missing at ${file}: the aidlc-pipeline package must ship its templates/ folder.`);
  }
  return fs.readFileSync(file, 'utf-8');
}
