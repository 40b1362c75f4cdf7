import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { CONFIG_JSON } from '../../support/fake-io';
import { FakeGithub } from '../../support/github-fake-server';

const ROOT = path.join(__dirname, '..', '..', '..');

/** The CLI bundled as scripts/bundle.mjs bundles it (CommonJS, Octokit inlined), into a temp dir. */
function bundleCli(dir: string): string {
  const outfile = path.join(dir, 'aidlc.js');
  buildSync({ entryPoints: [path.join(ROOT, 'pipelines', 'cli', 'main.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent' });
  return outfile;
}

function run(cli: string, cwd: string, env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
}

test('the bundled aidlc sets up a repository through the real Octokit, then finds nothing to change', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-setup-'));
  const github = new FakeGithub();
  const apiUrl = await github.start();
  try {
    const cli = bundleCli(dir);
    fs.mkdirSync(path.join(dir, 'pipelines'));
    fs.writeFileSync(path.join(dir, 'pipelines', 'aidlc.json'), CONFIG_JSON);
    const env = { GITHUB_TOKEN: github.token, GITHUB_API_URL: apiUrl };
    const args = ['github', 'setup', '--read-role-arn', 'arn:aws:iam::123456789012:role/read', '--deploy-role-arn', 'arn:aws:iam::123456789012:role/deploy'];

    const first = await run(cli, dir, env, args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Done: 6 change(s).');
    expect([...github.environments.keys()]).toEqual(['staging', 'prod']);

    const second = await run(cli, dir, env, args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to change: the repository is set up.');

    const unauthorized = await run(cli, dir, { ...env, GITHUB_TOKEN: 'ghp_wrong' }, args);
    expect(unauthorized.code).toBe(2);
    expect(unauthorized.stderr).toMatch(/GitHub refused to read the repository on acme\/churn \(HTTP 401\).*set GITHUB_TOKEN to a current token/);
  } finally {
    await github.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
