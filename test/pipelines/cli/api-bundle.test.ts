import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { AidlcConfig } from '../../../src/config';
import { requestSchemaOf } from '../../../src/core/request-schema';
import { churnSampleCsv } from '../../../src/project/sample-data';
import { API_KEY, CREDENTIALS, FakeInferenceApi, REGION } from '../../support/inference-api-fake-server';

const ROOT = path.join(__dirname, '..', '..', '..');

function run(cli: string, cwd: string, env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
}

test('the bundled aidlc signs with the credentials of the environment and smoke-tests, then scores a file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-api-bundle-'));
  const cli = path.join(dir, 'aidlc.js');
  buildSync({ entryPoints: [path.join(ROOT, 'pipelines', 'cli', 'main.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent' });
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: REGION });
  fs.mkdirSync(path.join(dir, 'pipelines'));
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'pipelines', 'aidlc.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'data', 'sample.csv'), churnSampleCsv({ rows: 20 }));
  const api = new FakeInferenceApi(requestSchemaOf(config));
  const url = await api.start();
  try {
    // The SDK's default chain reads these; no profile, no instance metadata.
    const env = {
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_EC2_METADATA_DISABLED: 'true',
      AIDLC_API_KEY: API_KEY,
    };
    const smoke = await run(cli, dir, env, ['smoke-test', '--stage', 'staging', '--url', url, '--api-key', API_KEY]);
    // (Node 20 prints the SDK's notice that it will need Node 22; generated repositories run 22.)
    expect(smoke.stderr).not.toMatch(/aidlc smoke-test|FAIL|Error:/);
    expect(smoke.stdout).toContain('staging: 12 checks passed');
    expect(smoke.code).toBe(0);

    const invoke = await run(cli, dir, env, ['invoke', '--stage', 'staging', '--file', 'data/sample.csv', '--url', url]);
    expect(invoke.code).toBe(0);
    expect(invoke.stdout.trim().split('\n')).toHaveLength(20);
    expect(api.received.every((r) => r.authenticated)).toBe(true);
  } finally {
    await api.stop();
  }
});
