import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { AwsLookups, clientCredentialsToken } from '../../../pipelines/cli/api/api-target';
import { createInvokeCommand } from '../../../pipelines/cli/commands/invoke';
import { CliIo } from '../../../pipelines/cli/io';
import { main } from '../../../pipelines/cli/main';
import { AidlcConfig, AidlcConfigOptions, ApiAuthorization } from '../../../src/config';
import { requestSchemaOf } from '../../../src/core/request-schema';
import { churnSampleCsv } from '../../../src/project/sample-data';
import { ACCESS_TOKEN, API_KEY, CREDENTIALS, FakeInferenceApi, REGION } from '../../support/inference-api-fake-server';

function config(overrides: Partial<AidlcConfigOptions> = {}) {
  return AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: REGION, awsAccount: '123456789012', ...overrides });
}

/** A repository on disk: the resolved config and a rows file. */
function repo(cfg = config(), rows = churnSampleCsv({ rows: 5 })) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-invoke-'));
  fs.mkdirSync(path.join(dir, 'pipelines'));
  const configFile = path.join(dir, 'pipelines', 'aidlc.json');
  fs.writeFileSync(configFile, JSON.stringify(cfg));
  const rowsFile = path.join(dir, 'rows.csv');
  fs.writeFileSync(rowsFile, rows);
  return { dir, configFile, rowsFile };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const sleeps: number[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    deadline: (ms) => AbortSignal.timeout(ms),
    append: (f, t) => { written[f] = (written[f] ?? '') + t; },
    writeText: (f, t) => { written[f] = t; },
    readText: (f) => fs.readFileSync(f, 'utf-8'),
    now: () => new Date(),
    sleep: async (ms) => { sleeps.push(ms); },
    uuid: () => 'uuid',
  };
  return { io: value, out, err, written, sleeps };
}

/** AWS as the CLI sees it: the serving stack's outputs, the API key's value, the credentials. */
function aws(url: string, calls: string[] = []): () => AwsLookups {
  return () => ({
    stackOutputs: async (stack, region) => {
      calls.push(`outputs ${stack} ${region}`);
      return { InferenceApiUrl: url, InferenceApiKeyIds: 'default=k-default,smoke-test=k-smoke', InferenceApiAuthorization: 'IAM' };
    },
    apiKeyValue: async (id) => {
      calls.push(`key ${id}`);
      return API_KEY;
    },
    clientSecret: async () => 'secret',
    credentials: () => async () => CREDENTIALS,
    accessToken: async () => ACCESS_TOKEN,
  });
}

describe('aidlc invoke', () => {
  let api: FakeInferenceApi;
  let url: string;
  beforeEach(async () => {
    api = new FakeInferenceApi(requestSchemaOf(config()));
    url = await api.start();
  });
  afterEach(() => api.stop());

  test('scores the rows with SigV4 and the API key read from the stage\'s stack; one prediction per line', async () => {
    const { configFile, rowsFile } = repo();
    const t = io();
    const calls: string[] = [];
    const code = await createInvokeCommand(t.io, aws(url, calls)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile]);
    expect(t.err.join('\n')).toContain('5 row(s) scored');
    expect(code).toBe(0);
    expect(t.out).toEqual(['0.1', '0.11', '0.12', '0.13', '0.14']);
    expect(calls).toEqual(['outputs churn-serving-staging eu-west-1', 'key k-default']);
    expect(api.received).toHaveLength(1);
    const request = api.received[0];
    expect(request.authenticated).toBe(true);
    expect(request.headers).toMatchObject({ 'x-api-key': API_KEY, 'content-type': 'application/json', 'user-agent': 'aidlc-pipeline-cli', 'x-amz-security-token': 'session-token' });
    expect(String(request.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=.*x-api-key/);
    const sent = JSON.parse(request.body);
    expect(sent.instances).toHaveLength(5);
    expect(sent.instances[0]).not.toHaveProperty('churned');
    expect(typeof sent.instances[0].age).toBe('number');
    expect(typeof sent.instances[0].is_senior).toBe('boolean');
  });

  test('a request signed with other credentials is refused, and the error says why', async () => {
    const { configFile, rowsFile } = repo();
    const t = io();
    const wrong = () => ({ ...aws(url)(), credentials: () => async () => ({ ...CREDENTIALS, secretAccessKey: 'not-the-secret' }) });
    expect(await createInvokeCommand(t.io, wrong).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile])).toBe(1);
    expect(t.err.join('\n')).toMatch(/rows 1-5: 403 The request signature .*: the caller may not invoke this API/);
  });

  test('rows go in batches of serving.api.maxBatchSize', async () => {
    const cfg = config({ serving: { api: { maxBatchSize: 2 } } });
    const { configFile, rowsFile } = repo(cfg);
    const t = io();
    expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile])).toBe(0);
    expect(api.received.map((r) => JSON.parse(r.body).instances.length)).toEqual([2, 2, 1]);
    expect(t.out).toHaveLength(5);
  });

  test('a bad row is named by row and column before anything is sent', async () => {
    const csv = churnSampleCsv({ rows: 3 }).split('\n');
    csv[2] = csv[2].replace(/^(\d+,[^,]+,)\d+,/, '$1150,');
    const { configFile, rowsFile } = repo(config(), csv.join('\n'));
    const t = io();
    expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile])).toBe(1);
    expect(t.err[0]).toBe(`${rowsFile}: row 2, column "age": must be <= 100`);
    expect(t.err.join('\n')).toContain('nothing was sent');
    expect(api.received).toHaveLength(0);
  });

  test('with --no-check the API answers 400 itself, and the error names the field and the schema', async () => {
    const csv = churnSampleCsv({ rows: 2 }).replace('customer_id,', 'customer_id,plan,').split('\n').map((line, i) => (i === 0 ? line : line.replace(/^(\d+),/, '$1,gold,'))).join('\n');
    const { configFile, rowsFile } = repo(config(), csv);
    const t = io();
    expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile, '--no-check'])).toBe(1);
    expect(t.err.join('\n')).toMatch(/rows 1-2: 400 Invalid request body: .*"plan".*\(request req-1\)\. The request does not match data\/request\.schema\.json/);
  });

  test('throttling is retried with the API\'s Retry-After; past the retries it says which limits apply', async () => {
    const { configFile, rowsFile } = repo();
    api.behaviour.throttleFirst = 2;
    const t = io();
    expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile])).toBe(0);
    expect(t.sleeps).toEqual([1000, 1000]);
    expect(api.received).toHaveLength(3);

    api.behaviour.throttleFirst = 100;
    const again = io();
    expect(await createInvokeCommand(again.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile, '--retries', '1'])).toBe(1);
    expect(again.err.join('\n')).toContain('429 Too Many Requests (request req-5): throttled (each key may send 50/s, bursts of 100); slow down, or raise serving.api.rateLimit and stageRateLimit');
  });

  test('a used-up quota is not retried', async () => {
    const { configFile, rowsFile } = repo();
    api.behaviour.quotaExceeded = true;
    const t = io();
    expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile])).toBe(1);
    expect(t.sleeps).toEqual([]);
    expect(t.err.join('\n')).toContain('this API key has used its quota of 100000 requests per day');
  });

  test('an API key and URL given on the command line (or AIDLC_API_KEY) skip AWS lookups; --out writes the predictions', async () => {
    const { dir, configFile, rowsFile } = repo();
    const t = io();
    const calls: string[] = [];
    const out = path.join(dir, 'predictions.txt');
    const code = await createInvokeCommand(t.io, aws(url, calls), { AIDLC_API_KEY: API_KEY }).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile, '--url', url, '--out', out]);
    expect(code).toBe(0);
    expect(calls).toEqual([]);
    expect(t.written[out]).toBe('0.1\n0.11\n0.12\n0.13\n0.14\n');
  });

  test('Cognito: the access token goes in Authorization instead of a signature', async () => {
    const cfg = config({ serving: { api: { authorization: ApiAuthorization.COGNITO } } });
    const { configFile, rowsFile } = repo(cfg);
    api.behaviour.auth = 'token';
    const t = io();
    expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile, '--url', url, '--token', ACCESS_TOKEN, '--api-key', API_KEY])).toBe(0);
    expect(api.received[0]).toMatchObject({ authenticated: true });
    expect(api.received[0].headers.authorization).toBe(ACCESS_TOKEN);
    expect(api.received[0].headers['x-amz-date']).toBeUndefined();

    // Without --token, the command gets one for the smoke test's app client from the stack's outputs.
    const lookups: string[] = [];
    const cognito = () => ({
      ...aws(url)(),
      stackOutputs: async () => ({ InferenceApiUrl: url, InferenceApiKeyIds: 'default=k-default,smoke-test=k-smoke', InferenceApiUserPoolId: 'eu-west-1_pool', InferenceApiSmokeTestClientId: 'client', InferenceApiTokenUrl: 'https://auth.example/oauth2/token', InferenceApiScope: 'churn-staging-api/invoke' }),
      clientSecret: async (pool: string, client: string) => { lookups.push(`secret ${pool} ${client}`); return 'secret'; },
      accessToken: async (tokenUrl: string, client: string, secret: string, scope: string) => { lookups.push(`token ${tokenUrl} ${client} ${secret} ${scope}`); return ACCESS_TOKEN; },
    });
    expect(await createInvokeCommand(io().io, cognito).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile])).toBe(0);
    expect(lookups).toEqual(['secret eu-west-1_pool client', 'token https://auth.example/oauth2/token client secret churn-staging-api/invoke']);
  });

  test('unknown stage, missing config and missing key outputs are usage errors that say what to do', async () => {
    const { configFile, rowsFile } = repo();
    await expect(createInvokeCommand(io().io, aws(url)).run(['--stage', 'qa', '--file', rowsFile, '--config', configFile])).rejects.toThrow('--stage = "qa": is not a deployment stage of the config. Fix: use one of staging, prod');
    await expect(createInvokeCommand(io().io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', '/nowhere/aidlc.json'])).rejects.toThrow('--config = "/nowhere/aidlc.json": does not exist');
    await expect(createInvokeCommand(io().io, aws(url)).run(['--stage', 'staging', '--file', rowsFile, '--config', configFile, '--consumer', 'web'])).rejects.toThrow(/--consumer = "web": has no API key in stack churn-serving-staging. Fix: use one of default, smoke-test/);
    const off = repo(config({ serving: { api: { enabled: false } } }));
    await expect(createInvokeCommand(io().io, aws(url)).run(['--stage', 'staging', '--file', off.rowsFile, '--config', off.configFile])).rejects.toThrow(/serving.api.enabled = false: the config has no inference API/);
  });

  test('reads JSON Lines and {"instances": [...]} files too', async () => {
    const { dir, configFile } = repo();
    const row = { age: 40, tenure_months: 3, monthly_charges: 50.5, total_charges: null, contract: 'one-year', payment_method: 'card', support_calls: 0, is_senior: false };
    const jsonl = path.join(dir, 'rows.jsonl');
    fs.writeFileSync(jsonl, `${JSON.stringify(row)}\n${JSON.stringify({ ...row, age: 41 })}\n`);
    const json = path.join(dir, 'rows.json');
    fs.writeFileSync(json, JSON.stringify({ instances: [row] }));
    for (const [file, n] of [[jsonl, 2], [json, 1]] as const) {
      const t = io();
      expect(await createInvokeCommand(t.io, aws(url)).run(['--stage', 'staging', '--file', file, '--config', configFile])).toBe(0);
      expect(t.out).toHaveLength(n);
    }
  });

  test('a file no rows can be read from is named, with what is wrong and the fix', async () => {
    const { dir, configFile } = repo();
    const run = (file: string) => createInvokeCommand(io().io, aws(url)).run(['--stage', 'staging', '--file', file, '--config', configFile]);
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    await expect(run(write('rows.csv.gz', 'x'))).rejects.toThrow(/^--file = ".*rows.csv.gz": is compressed. Fix: decompress it first/);
    await expect(run(write('bad.jsonl', '{"age": 40}\n{"age": \n'))).rejects.toThrow(/^.*bad.jsonl:2 = "{\\"age\\": ": is not JSON \(.*\). Fix: write one JSON object per line$/);
    await expect(run(write('bad.json', '{"rows": []}'))).rejects.toThrow(/^--file = ".*bad.json": holds no list of row objects. Fix: write {"instances": \[ {...}, ... \]} or an array of objects$/);
    await expect(run(path.join(dir, 'missing.csv'))).rejects.toThrow(/^--file = ".*missing.csv": cannot be read \(ENOENT.*\). Fix: check the path and its permissions$/);
  });

  test('aidlc --help lists invoke and smoke-test; invoke --help explains the flags', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await main(['--help']);
      await main(['invoke', '--help']);
      const text = write.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(/ {2}invoke +Score the rows of a file/);
      expect(text).toMatch(/ {2}smoke-test +Check a deployed stage's inference API/);
      expect(text).toContain('Usage: aidlc invoke --stage NAME --file FILE');
    } finally {
      write.mockRestore();
    }
  });
});

describe('client credentials token', () => {
  test('posts the grant with basic auth to the token endpoint and returns the access token', async () => {
    const seen: { auth?: string; body?: string } = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.auth = req.headers.authorization;
        seen.body = body;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
      expect(await clientCredentialsToken(tokenUrl, 'client', 'secret', 'churn-prod-api/invoke')).toBe('tok');
      expect(seen.auth).toBe(`Basic ${Buffer.from('client:secret').toString('base64')}`);
      expect(seen.body).toBe('grant_type=client_credentials&scope=churn-prod-api%2Finvoke');
    } finally {
      server.close();
    }
  });
});
