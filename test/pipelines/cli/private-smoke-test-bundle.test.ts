import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Plugin, build } from 'esbuild';
import { API_KEY, CREDENTIALS, FakeInferenceApi, REGION } from './inference-api-fake-server';
import { AidlcConfig } from '../../../src/config';
import { privateSmokeTestSpec } from '../../../src/constructs/delivery/buildspecs';
import { requestSchemaOf } from '../../../src/core/request-schema';
import { churnSampleCsv } from '../../../src/project/sample-data';

const ROOT = path.join(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'pipelines', 'cli', 'main.ts');

/**
 * The CLI laid out as scripts/bundle.mjs lays out `lib/assets/cli`, which the Deploy action hands
 * on: the dispatcher `aidlc.js`, which loads `./commands/<name>.js` on demand, and the command's
 * own bundle beside it (only smoke-test's here). Same esbuild options as the package's bundle.
 */
async function bundleCliDirectory(dir: string): Promise<void> {
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', legalComments: 'external', logLevel: 'silent' } as const;
  const lazyCommands: Plugin = {
    name: 'lazy-commands',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/[a-z0-9-]+$/ }, (args) => (args.importer === MAIN ? { path: `${args.path}.js`, external: true } : undefined));
    },
  };
  await build({ ...common, entryPoints: [MAIN], outfile: path.join(dir, 'aidlc.js'), plugins: [lazyCommands] });
  await build({ ...common, entryPoints: [path.join(ROOT, 'pipelines', 'cli', 'commands', 'smoke-test.ts')], outfile: path.join(dir, 'commands', 'smoke-test.js') });
}

/**
 * An `aws` on the PATH that answers the two calls the smoke test makes through the AWS CLI, as
 * the CloudFormation and API Gateway endpoints in the VPC would, and logs every call it gets.
 */
function fakeAwsCli(binDir: string, log: string, url: string): void {
  const outputs = {
    Stacks: [{
      Outputs: [
        { OutputKey: 'InferenceApiUrl', OutputValue: url },
        { OutputKey: 'InferenceApiKeyIds', OutputValue: 'default=key-default,smoke-test=key-smoke' },
        { OutputKey: 'InferenceApiAuthorization', OutputValue: 'IAM' },
      ],
    }],
  };
  fs.writeFileSync(path.join(binDir, 'aws'), `#!${process.execPath}
const args = process.argv.slice(2);
require('fs').appendFileSync(${JSON.stringify(log)}, args.join(' ') + '\\n');
if (args[0] === 'cloudformation' && args[1] === 'describe-stacks' && args[3] === 'churn-serving-staging') {
  process.stdout.write(${JSON.stringify(JSON.stringify(outputs))});
} else if (args[0] === 'apigateway' && args[1] === 'get-api-key' && args[3] === 'key-smoke' && args.includes('--include-value')) {
  process.stdout.write(JSON.stringify({ id: 'key-smoke', value: ${JSON.stringify(API_KEY)} }));
} else {
  process.stderr.write('unexpected call: ' + args.join(' '));
  process.exit(255);
}
`, { mode: 0o755 });
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/bash', ['-c', script], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
}

test('the private smoke test\'s build commands run the CLI the Deploy action hands on, from the source artifact, with Node.js alone', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-private-smoke-'));
  const cli = path.join(dir, 'cli');
  const source = path.join(dir, 'source');
  const bin = path.join(dir, 'bin');
  for (const d of [cli, source, bin, path.join(source, 'pipelines'), path.join(source, 'data')]) fs.mkdirSync(d, { recursive: true });
  const api = new FakeInferenceApi(requestSchemaOf(AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: REGION })));
  const url = await api.start();
  try {
    await bundleCliDirectory(cli);
    const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: REGION });
    fs.writeFileSync(path.join(source, 'pipelines', 'aidlc.json'), JSON.stringify(config));
    fs.writeFileSync(path.join(source, 'data', 'sample.csv'), churnSampleCsv({ rows: 20 }));
    const calls = path.join(dir, 'aws-calls.log');
    fakeAwsCli(bin, calls, url);
    // Nothing to resolve packages from: no node_modules above either directory.
    for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) expect(fs.existsSync(path.join(d, 'node_modules'))).toBe(false);

    const spec = privateSmokeTestSpec('22', 'Source') as { phases: { build: { commands: string[] } } };
    const result = await bash(`set -e\n${spec.phases.build.commands.join('\n')}`, {
      // As CodeBuild sets them: the primary input (the CLI), the secondary one named Source, the action's variables.
      CODEBUILD_SRC_DIR: cli,
      CODEBUILD_SRC_DIR_Source: source,
      STAGE: 'staging',
      STACK: 'churn-serving-staging',
      PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      // The role's credentials, as the container provides them; no instance metadata.
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(result.stderr).not.toMatch(/Error:|FAIL|Cannot find module/);
    expect(result.stdout).toContain('staging: 12 checks passed');
    expect(result.code).toBe(0);
    // The two reads the endpoints in the VPC serve, and nothing else through the AWS CLI.
    expect(fs.readFileSync(calls, 'utf-8').trim().split('\n').map((line) => line.split(' ').slice(0, 4).join(' '))).toEqual([
      'cloudformation describe-stacks --stack-name churn-serving-staging',
      'apigateway get-api-key --api-key key-smoke',
    ]);
    expect(api.received.length).toBe(12);
    expect(api.received.every((r) => r.authenticated && r.headers['x-api-key'] === API_KEY)).toBe(true);
    // The results table lands in the source directory, where the build runs.
    expect(fs.readFileSync(path.join(source, 'smoke-test.md'), 'utf-8')).toContain('### Smoke test of staging: 12 of 12 passed');
    // What the artifact holds: the dispatcher and the command, plain files for Node.js.
    expect(fs.readdirSync(cli).sort()).toEqual(['aidlc.js', 'commands']);
    expect(fs.readdirSync(path.join(cli, 'commands')).filter((f) => f.endsWith('.js'))).toEqual(['smoke-test.js']);
  } finally {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
