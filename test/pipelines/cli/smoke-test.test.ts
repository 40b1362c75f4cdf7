import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsLookups } from '../../../pipelines/cli/api/api-target';
import { createSmokeTestCommand } from '../../../pipelines/cli/commands/smoke-test';
import { CliIo } from '../../../pipelines/cli/io';
import { AidlcConfig, ColumnType } from '../../../src/config';
import { requestSchemaOf } from '../../../src/core/request-schema';
import { churnSampleCsv } from '../../../src/project/sample-data';
import { API_KEY, CREDENTIALS, FakeInferenceApi, REGION } from '../../support/inference-api-fake-server';

const CONFIG = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: REGION, awsAccount: '123456789012' });

/** A checkout as CodeBuild has it: the resolved config and the sample at data.samplePath. */
function checkout(config = CONFIG, sample = churnSampleCsv({ rows: 50 })) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-smoke-'));
  fs.mkdirSync(path.join(dir, 'pipelines'));
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'pipelines', 'aidlc.json'), JSON.stringify({ ...config, data: { ...config.data, samplePath: path.join(dir, 'data', 'sample.csv') } }));
  fs.writeFileSync(path.join(dir, 'data', 'sample.csv'), sample);
  return { dir, configFile: path.join(dir, 'pipelines', 'aidlc.json') };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const appended: Record<string, string> = {};
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    deadline: (ms) => AbortSignal.timeout(ms),
    append: (f, t) => { appended[f] = (appended[f] ?? '') + t; },
    writeText: () => undefined,
    readText: (f) => fs.readFileSync(f, 'utf-8'),
    now: () => new Date(),
    sleep: async () => undefined,
    uuid: () => 'uuid',
  };
  return { io: value, out, err, appended };
}

function aws(url: string, keyIds: string[] = []): () => AwsLookups {
  return () => ({
    stackOutputs: async () => ({ InferenceApiUrl: url, InferenceApiKeyIds: 'default=k-default,smoke-test=k-smoke' }),
    apiKeyValue: async (id) => { keyIds.push(id); return API_KEY; },
    clientSecret: async () => 'unused',
    credentials: () => async () => CREDENTIALS,
    accessToken: async () => 'unused',
  });
}

describe('aidlc smoke-test against a local API', () => {
  let api: FakeInferenceApi;
  let url: string;
  beforeEach(async () => {
    api = new FakeInferenceApi(requestSchemaOf(CONFIG));
    url = await api.start();
  });
  afterEach(() => api.stop());

  test('a healthy API: sample rows scored, every schema rule enforced with a 400; the smoke test uses its own key', async () => {
    const { configFile, dir } = checkout();
    const t = io();
    const keys: string[] = [];
    const summary = path.join(dir, 'smoke.md');
    const code = await createSmokeTestCommand(t.io, aws(url, keys)).run(['--stage', 'staging', '--config', configFile, '--summary', summary]);
    expect(t.err).toEqual([]);
    expect(code).toBe(0);
    expect(keys).toEqual(['k-smoke']);
    expect(t.out[0]).toBe('pass  200  5 row(s) of the sample');
    expect(t.out.slice(1, -1).every((l) => l.startsWith('pass  400  '))).toBe(true);
    expect(t.out).toHaveLength(13);
    expect(t.out[t.out.length - 1]).toBe(`staging: 12 checks passed against ${url}`);
    expect(api.received.every((r) => r.authenticated)).toBe(true);
    expect(t.appended[summary]).toContain('### Smoke test of staging: 12 of 12 passed');
    expect(t.appended[summary]).toContain('| missing feature "age" | 400 | 400 | pass |');
  });

  test('an API that lets bad requests reach the model fails the stage, naming each check', async () => {
    const { configFile } = checkout();
    api.behaviour.skipValidation = true;
    const t = io();
    expect(await createSmokeTestCommand(t.io, aws(url)).run(['--stage', 'staging', '--config', configFile])).toBe(1);
    expect(t.out).toContain('FAIL  200  missing feature "age": expected 400, got 200: the API let a request the schema forbids through to the model');
    expect(t.err).toEqual(['aidlc smoke-test: 11 of 12 check(s) of staging failed']);
  });

  test('a model that fails on the sample fails the stage with the API\'s explanation', async () => {
    const { configFile } = checkout();
    api.behaviour.modelFails = true;
    const t = io();
    expect(await createSmokeTestCommand(t.io, aws(url)).run(['--stage', 'staging', '--config', configFile])).toBe(1);
    expect(t.out[0]).toMatch(/^FAIL {2}502 {2}5 row\(s\) of the sample: 502 The model could not score the request \(request req-1\): the model endpoint failed to answer/);
  });

  test('a 400 that does not name the missing or unexpected field fails those checks', async () => {
    const { configFile } = checkout();
    api.behaviour.terseErrors = true;
    const t = io();
    expect(await createSmokeTestCommand(t.io, aws(url)).run(['--stage', 'staging', '--config', configFile])).toBe(1);
    const failed = t.out.filter((l) => l.startsWith('FAIL'));
    expect(failed.map((l) => l.split(': ')[0])).toEqual([
      'FAIL  400  missing feature "age"',
      'FAIL  400  unknown column "not_a_contract_column"',
      'FAIL  400  the target column "churned"',
    ]);
  });

  test('throttling that outlasts the retries fails with the limits that apply', async () => {
    const { configFile } = checkout();
    api.behaviour.throttleFirst = 1000;
    const t = io();
    expect(await createSmokeTestCommand(t.io, aws(url)).run(['--stage', 'staging', '--config', configFile, '--retries', '0'])).toBe(1);
    expect(t.out[0]).toContain('throttled (each key may send 50/s, bursts of 100)');
  });

  test('--rows sets the valid request\'s size, never above maxBatchSize', async () => {
    const three = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: REGION, serving: { api: { maxBatchSize: 3 } } });
    const threeApi = new FakeInferenceApi(requestSchemaOf(three));
    const threeUrl = await threeApi.start();
    try {
      const { configFile } = checkout(three);
      const t = io();
      expect(await createSmokeTestCommand(t.io, aws(threeUrl)).run(['--stage', 'staging', '--config', configFile, '--rows', '20'])).toBe(0);
      expect(JSON.parse(threeApi.received[0].body).instances).toHaveLength(3);
      expect(t.out).toContain('pass  400  4 rows, one above maxBatchSize');
    } finally {
      await threeApi.stop();
    }
  });

  test('a sample the schema rejects is a usage error, before any request', async () => {
    const { configFile } = checkout(CONFIG, churnSampleCsv({ rows: 5 }).replace(/month-to-month/g, 'monthly'));
    await expect(createSmokeTestCommand(io().io, aws(url)).run(['--stage', 'staging', '--config', configFile]))
      .rejects.toThrow(/--data = ".*": has row\(s\) among the first \d+ that break the request schema \(row \d, column "contract": must be equal to one of the allowed values.*\). Fix: give rows the API must accept/);
    expect(api.received).toHaveLength(0);
  });

  test('cases come from the contract: a contract without bounds or categories has fewer', async () => {
    const small = AidlcConfig.resolve({
      modelName: 'churn',
      githubRepository: 'acme/churn',
      awsRegion: REGION,
      data: { contract: { targetColumn: 'y', columns: [{ name: 'x', type: ColumnType.FLOAT }, { name: 'note', type: ColumnType.STRING, nullable: true }, { name: 'y', type: ColumnType.INT }] } },
    });
    const smallApi = new FakeInferenceApi(requestSchemaOf(small));
    const smallUrl = await smallApi.start();
    try {
      const { configFile } = checkout(small, 'x,note,y\n1.5,,0\n2.5,a,1\n');
      const t = io();
      expect(await createSmokeTestCommand(t.io, aws(smallUrl)).run(['--stage', 'staging', '--config', configFile])).toBe(0);
      expect(t.out.slice(0, -1).map((l) => l.slice(11))).toEqual([
        '2 row(s) of the sample',
        'missing feature "x"',
        'unknown column "not_a_contract_column"',
        'the target column "y"',
        'text in number column "x"',
        'null in non-nullable "x"',
        '101 rows, one above maxBatchSize',
        'no rows',
        'rows without the "instances" wrapper',
      ]);
    } finally {
      await smallApi.stop();
    }
  });
});
