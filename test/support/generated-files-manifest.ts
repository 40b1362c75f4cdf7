/**
 * The generated repository as a manifest: the SHA-256 of every file a user commits, after
 * `projen new` and `projen build`, so the e2e can show that a change to this package left what it
 * generates alone, byte for byte (or name the files it changed).
 *
 * Left out, each for its reason:
 * - `node_modules/`, `.git/`: installed or created by the tools, not generated;
 * - `cdk.out/`, `coverage/`, `test-reports/`, `.aidlc/`: build output, git-ignored;
 * - `package-lock.json`: its content is whatever the registry served that day.
 *
 * Normalized before hashing, each for its reason:
 * - the package's own tarball (`file:/tmp/aidlc-e2e-XXXX/aidlc-pipeline-<version>.tgz` in
 *   `package.json`, `.projen/deps.json` and `.projenrc.ts`): a new temporary folder each run, and
 *   the version of the package under test;
 * - in `package.json`, the ranges projen writes from what npm installed (the dependencies that
 *   `.projen/deps.json` lists without a version, e.g. `"jest": "^30.5.2"`): they follow the
 *   registry, not this package.
 */
import { createHash } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

/** Folders and files the manifest leaves out (see the module comment for why). */
const LEFT_OUT = new Set(['node_modules', '.git', 'cdk.out', 'coverage', 'test-reports', '.aidlc', 'package-lock.json']);

/** What the tarball reference becomes. */
const TARBALL = 'file:<aidlc-pipeline tarball>';
const TARBALL_REFERENCE = /file:[^'"\s]*aidlc-pipeline-[^'"\s/]*\.tgz/g;

/** The file's bytes as the manifest hashes them. */
export function normalized(repo: string, file: string, bytes: Buffer): Buffer {
  if (!['package.json', '.projen/deps.json', '.projenrc.ts'].includes(file)) return bytes;
  let text = bytes.toString('utf8').replace(TARBALL_REFERENCE, TARBALL);
  if (file === 'package.json') {
    const deps = JSON.parse(readFileSync(join(repo, '.projen', 'deps.json'), 'utf8')) as { dependencies: Array<{ name: string; version?: string }> };
    const resolved = new Set(deps.dependencies.filter((d) => d.version === undefined).map((d) => d.name));
    text = text.replace(/"(dev|peer|optional)?[dD]ependencies": \{[^}]*\}/g, (block) =>
      block.replace(/"([^"]+)": "[^"]*"/g, (entry, name: string) => (resolved.has(name) ? `"${name}": "<installed>"` : entry)));
  }
  return Buffer.from(text, 'utf8');
}

/** `path -> sha256` of every file the manifest covers, sorted by path. */
export function generatedFiles(repo: string): Map<string, string> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (LEFT_OUT.has(entry)) continue;
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(repo, p));
    }
  };
  walk(repo);
  return new Map(files.sort().map((f) => [f, createHash('sha256').update(normalized(repo, f, readFileSync(join(repo, f)))).digest('hex')]));
}

/** Where the manifest of the repository the e2e generates is kept. */
export const MANIFEST_FILE = join(__dirname, '..', 'e2e', 'generated-files.sha256');

const MANIFEST_HEADER = [
  '# SHA-256 of every file of the repository the e2e generates (projen new --from the packed package,',
  '# then projen build), as test/support/generated-files-manifest.ts normalizes and leaves them out. The e2e fails',
  '# when the generated repository differs and names the files; after a deliberate change to what the',
  '# package generates, rewrite this file with AIDLC_E2E_WRITE_MANIFEST=1 npx projen test:e2e and',
  '# review its diff with the change.',
];

/** The manifest's text: a header, then `sha256  path` lines as `sha256sum` prints them. */
export function renderManifest(files: Map<string, string>): string {
  return [...MANIFEST_HEADER, ...[...files].map(([file, sha]) => `${sha}  ${file}`)].join('\n') + '\n';
}

/** Parses `renderManifest`'s text; `#` lines are comments. */
export function parseManifest(text: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) throw new Error(`not a manifest line: ${JSON.stringify(line)}`);
    files.set(m[2], m[1]);
  }
  return files;
}

/** The files whose hashes differ, and those only one side has, each with what happened. */
export function manifestDifferences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return paths.flatMap((p) => {
    if (!actual.has(p)) return [`${p}: no longer generated`];
    if (!expected.has(p)) return [`${p}: newly generated`];
    return expected.get(p) === actual.get(p) ? [] : [`${p}: changed`];
  });
}
