import * as fs from 'fs';
import * as path from 'path';

/** This package's npm name. */
export const PACKAGE_NAME = 'aidlc-pipeline';

/** The root of the installed aidlc-pipeline package (works from both `src/` and `lib/`). */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..');

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

let cached: PackageJson | undefined;

/** This package's own package.json: the versions it was built and tested with. */
export function packageJson(): PackageJson {
  cached ??= JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf-8')) as PackageJson;
  return cached;
}

/** `name@range` of one of this package's peer dependencies. */
export function peerSpec(name: string): string {
  const range = packageJson().peerDependencies[name];
  if (!range) throw new Error(`aidlc-pipeline does not declare ${name} as a peer dependency`);
  return `${name}@${range}`;
}

/** `name@range` of a tool this package uses in its own tests, for the generated repository. */
export function devSpec(name: string): string {
  const range = packageJson().devDependencies?.[name];
  return range ? `${name}@${range}` : name;
}

/** Reads a file shipped in the package (e.g. `training/train.py`). */
export function packageFile(...segments: string[]): string {
  return fs.readFileSync(path.join(PACKAGE_ROOT, ...segments), 'utf-8');
}
