import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AidlcConfig, Severity } from '../../src/config';
import { templatePath } from '../../src/github/templates';
import { renderTrivyScript } from '../../src/github/trivy-script';
import { removeTempDirs, tempDir } from '../support/temp-dirs';

const PINNED_VERSION = '0.75.0';
const PINNED_LINUX_64BIT = 'c6e65abddb348e25f10549df887045629cf28cc72453cd1c63acb717316b3f3f';

/** The release asset and pinned sha256 the script picks on this machine. */
function pinnedForThisMachine(): { asset: string; sha: string } {
  const os = process.platform === 'darwin' ? 'MACOS' : 'LINUX';
  const bits = process.arch === 'arm64' ? 'ARM64' : '64BIT';
  const sha = new RegExp(`^TRIVY_SHA256_${os}_${bits}=([0-9a-f]{64})$`, 'm').exec(template())![1];
  const asset = `${os === 'MACOS' ? 'macOS' : 'Linux'}-${bits === 'ARM64' ? 'ARM64' : '64bit'}`;
  return { asset, sha };
}
const SHA_LINES = /^(TRIVY_SHA256_[A-Z0-9_]+)=[0-9a-f]{64}$/gm;

/**
 * A stand-in for trivy: logs each call's arguments (one line each, in $FAKE_TRIVY_LOG), answers
 * `--version` with $FAKE_TRIVY_VERSION, writes a report wherever `--output` says, returns the
 * `--exit-code` it was given from `convert --format table` when $FAKE_TRIVY_FINDINGS is 1, and
 * fails a scan when $FAKE_TRIVY_SCAN_FAILS is 1.
 */
const FAKE_TRIVY = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$FAKE_TRIVY_LOG"
if [ "$1" = --version ]; then echo "Version: \${FAKE_TRIVY_VERSION}"; echo "Vulnerability DB: none"; exit 0; fi
out=; code=0; format=; prev=
for arg in "$@"; do
  case "$prev" in --output) out=$arg ;; --exit-code) code=$arg ;; --format) format=$arg ;; esac
  prev=$arg
done
if [ "$1" = convert ]; then
  if [ "$format" = table ]; then
    echo "fake table of $*" >"$out"
    if [ "\${FAKE_TRIVY_FINDINGS:-0}" = 1 ]; then exit "$code"; fi
    exit 0
  fi
  echo '{"version":"2.1.0","runs":[]}' >"$out"
  exit 0
fi
if [ "\${FAKE_TRIVY_SCAN_FAILS:-0}" = 1 ]; then echo "fake scan error" >&2; exit 1; fi
echo '{"SchemaVersion":2,"Results":[]}' >"$out"
`;

/** A stand-in for curl that records the URL and fails, so no test reaches the network. */
const OFFLINE_CURL = `#!/usr/bin/env bash
printf '%s\\n' "\${@: -1}" >>"$FAKE_CURL_LOG"
exit 22
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[][];
  summary: string;
}

interface Sandbox {
  dir: string;
  bin: string;
  script: string;
  env: NodeJS.ProcessEnv;
}

afterAll(removeTempDirs);

function writeExecutable(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o755 });
}

/** A working directory with the script, a bin/ first on PATH and an empty job summary. */
function sandbox(scriptText: string, options: { trivyVersion?: string | null } = {}): Sandbox {
  const dir = tempDir('aidlc-trivy-');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const script = path.join(dir, 'scripts', 'trivy.sh');
  writeExecutable(script, scriptText);
  if (options.trivyVersion !== null) writeExecutable(path.join(bin, 'trivy'), FAKE_TRIVY);
  writeExecutable(path.join(bin, 'curl'), OFFLINE_CURL);
  fs.writeFileSync(path.join(dir, 'summary.md'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    FAKE_TRIVY_LOG: path.join(dir, 'trivy.log'),
    FAKE_TRIVY_VERSION: options.trivyVersion ?? PINNED_VERSION,
    FAKE_CURL_LOG: path.join(dir, 'curl.log'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    TRIVY_INSTALL_DIR: path.join(dir, 'install'),
  };
  return { dir, bin, script, env };
}

function run(box: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync('bash', [box.script, ...args], { cwd: box.dir, env: { ...box.env, ...env }, encoding: 'utf-8' });
  const log = path.join(box.dir, 'trivy.log');
  const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf-8').trim().split('\n').filter(Boolean).map((l) => l.split(' ')) : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, summary: fs.readFileSync(path.join(box.dir, 'summary.md'), 'utf-8') };
}

const template = () => fs.readFileSync(templatePath('scripts', 'trivy.sh'), 'utf-8');
const scans = (r: Run) => r.calls.filter((c) => c[0] !== '--version');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A release-shaped tarball holding the fake trivy, and the script with its sha256 pinned instead. */
function fakeRelease(box: Sandbox): { tarball: string; script: string } {
  const staging = path.join(box.dir, 'release');
  writeExecutable(path.join(staging, 'trivy'), FAKE_TRIVY);
  const tarball = path.join(box.dir, `trivy_${PINNED_VERSION}_Linux-64bit.tar.gz`);
  expect(spawnSync('tar', ['-czf', tarball, '-C', staging, 'trivy']).status).toBe(0);
  return { tarball, script: template().replace(SHA_LINES, `$1=${sha256(tarball)}`) };
}

describe('scripts/trivy.sh', () => {
  test('pins trivy 0.75.0 and the sha256 of its Linux 64-bit tarball', () => {
    expect(template()).toMatch(/^TRIVY_VERSION=0\.75\.0$/m);
    expect(template()).toContain(`TRIVY_SHA256_LINUX_64BIT=${PINNED_LINUX_64BIT}`);
    expect(template().match(SHA_LINES)).toHaveLength(4);
  });

  test('is shellcheck-clean, as the template and as generated', () => {
    const generated = path.join(tempDir('aidlc-sc-'), 'trivy.sh');
    fs.writeFileSync(generated, renderTrivyScript(AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' })));
    for (const file of [templatePath('scripts', 'trivy.sh'), generated]) {
      const result = spawnSync('shellcheck', [file], { encoding: 'utf-8' });
      expect({ file, status: result.status, out: result.stdout + (result.error?.message ?? '') }).toEqual({ file, status: 0, out: '' });
    }
  });

  describe('with trivy 0.75.0 on PATH', () => {
    test('fs: dependencies and secrets, JSON then SARIF then the failing-severity table', () => {
      const box = sandbox(template());
      const r = run(box, ['fs']);
      expect(r.status).toBe(0);
      expect(scans(r)).toEqual([
        ['fs', '--scanners', 'vuln,secret', '--skip-dirs', '**/node_modules', '--skip-dirs', '**/cdk.out', '--skip-dirs', '**/.git',
          '--format', 'json', '--output', 'trivy-results/trivy-fs.json', '--ignorefile', '.trivyignore',
          '--severity', 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL', '--exit-code', '0', '--no-progress', '--timeout', '15m', '.'],
        ['convert', '--format', 'sarif', '--output', 'trivy-results/trivy-fs.sarif', '--ignorefile', '.trivyignore', 'trivy-results/trivy-fs.json'],
        ['convert', '--format', 'table', '--severity', 'HIGH,CRITICAL', '--exit-code', '3',
          '--output', 'trivy-results/trivy-fs.txt', '--ignorefile', '.trivyignore', 'trivy-results/trivy-fs.json'],
      ]);
      for (const ext of ['json', 'sarif', 'txt']) expect(fs.existsSync(path.join(box.dir, `trivy-results/trivy-fs.${ext}`))).toBe(true);
      expect(r.summary).toContain('### trivy fs');
      expect(r.summary).toContain('No finding at or above HIGH.');
      expect(fs.existsSync(path.join(box.dir, 'install'))).toBe(false);
    });

    test('findings at or above the threshold: exit 1, the table printed and in the job summary', () => {
      const box = sandbox(template());
      const r = run(box, ['fs'], { FAKE_TRIVY_FINDINGS: '1' });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('fake table of convert --format table');
      expect(r.summary).toContain('Findings at or above HIGH:');
      expect(r.summary).toContain('fake table of convert');
      expect(r.stderr).toContain('fs found issues at or above HIGH');
    });

    test('config: cdk.out templates without the asset folders; refuses a missing cdk.out', () => {
      const box = sandbox(template());
      const missing = run(box, ['config']);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('cdk.out does not exist: synthesize first');
      expect(scans(missing)).toEqual([]);

      fs.mkdirSync(path.join(box.dir, 'cdk.out'));
      const r = run(box, ['config', 'cdk.out']);
      expect(r.status).toBe(0);
      const [scan] = scans(r);
      expect(scan.slice(0, 3)).toEqual(['config', '--skip-dirs', '**/asset.*']);
      expect(scan[scan.length - 1]).toBe('cdk.out');
      expect(scan).toContain('trivy-results/trivy-config.json');
    });

    test('image: needs the image reference, scans vulnerabilities and secrets', () => {
      const box = sandbox(template());
      expect(run(box, ['image']).status).toBe(2);
      const r = run(box, ['image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1']);
      expect(r.status).toBe(0);
      const [scan] = scans(r);
      expect(scan.slice(0, 3)).toEqual(['image', '--scanners', 'vuln,secret']);
      expect(scan[scan.length - 1]).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1');
      expect(scan).toContain('trivy-results/trivy-image.json');
    });

    test('the configured severity sets the failing threshold', () => {
      const critical = renderTrivyScript(AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', security: { failOnSeverity: Severity.CRITICAL } }));
      const low = renderTrivyScript(AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', security: { failOnSeverity: Severity.LOW } }));
      const table = (r: Run) => scans(r).find((c) => c.includes('table'))!;
      expect(table(run(sandbox(critical), ['fs']))).toEqual(expect.arrayContaining(['--severity', 'CRITICAL']));
      expect(table(run(sandbox(low), ['fs']))).toEqual(expect.arrayContaining(['--severity', 'LOW,MEDIUM,HIGH,CRITICAL']));
    });

    test('a failed scan or a bad command is exit 2, not a finding', () => {
      const box = sandbox(template());
      const failed = run(box, ['fs'], { FAKE_TRIVY_SCAN_FAILS: '1' });
      expect(failed.status).toBe(2);
      expect(failed.stderr).toContain('trivy fs failed on .');
      expect(run(box, []).status).toBe(2);
      const unknown = run(box, ['repo']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('unknown scan "repo"');
      expect(run(box, ['fs', 'a', 'b']).status).toBe(2);
    });

    test('reports go to TRIVY_REPORT_DIR', () => {
      const box = sandbox(template());
      expect(run(box, ['fs'], { TRIVY_REPORT_DIR: 'out/scans' }).status).toBe(0);
      expect(fs.existsSync(path.join(box.dir, 'out/scans/trivy-fs.sarif'))).toBe(true);
    });
  });

  describe('installing the pinned release', () => {
    test('another trivy version on PATH is not used; the pinned release is fetched from GitHub', () => {
      const box = sandbox(template(), { trivyVersion: '0.69.4' });
      const r = run(box, ['fs']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('trivy on PATH is version 0.69.4, not 0.75.0');
      expect(fs.readFileSync(path.join(box.dir, 'curl.log'), 'utf-8').trim())
        .toBe(`https://github.com/aquasecurity/trivy/releases/download/v0.75.0/trivy_0.75.0_${pinnedForThisMachine().asset}.tar.gz`);
      expect(r.stderr).toContain('could not download trivy 0.75.0');
      expect(scans(r)).toEqual([]);
    });

    test('a download whose sha256 differs from the pin is refused: nothing installed, nothing run', () => {
      const box = sandbox(template(), { trivyVersion: '0.69.4' });
      const { tarball } = fakeRelease(box);
      fs.rmSync(path.join(box.bin, 'curl'));
      const r = run(box, ['fs'], { TRIVY_DOWNLOAD_URL: `file://${tarball}` });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`checksum mismatch for file://${tarball}: expected sha256 ${pinnedForThisMachine().sha}, got ${sha256(tarball)}`);
      expect(r.stderr).toContain('Refusing to install or run it');
      expect(fs.existsSync(path.join(box.dir, 'install', 'trivy'))).toBe(false);
      expect(scans(r)).toEqual([]);
    });

    test('a download matching the pin is installed, used, and reused without downloading again', () => {
      const box = sandbox('', { trivyVersion: null });
      const { tarball, script } = fakeRelease(box);
      writeExecutable(box.script, script);
      fs.rmSync(path.join(box.bin, 'curl'));
      const installed = path.join(box.dir, 'install', 'trivy');

      const first = run(box, ['fs'], { TRIVY_DOWNLOAD_URL: `file://${tarball}` });
      expect(first.stderr).toContain(`downloading trivy 0.75.0 from file://${tarball}`);
      expect(first.status).toBe(0);
      expect(() => fs.accessSync(installed, fs.constants.X_OK)).not.toThrow();
      expect(scans(first)).toHaveLength(3);

      const again = run(box, ['fs'], { TRIVY_DOWNLOAD_URL: 'file:///nonexistent/trivy.tar.gz' });
      expect(again.status).toBe(0);
      expect(again.stderr).not.toContain('downloading');
    });
  });
});
