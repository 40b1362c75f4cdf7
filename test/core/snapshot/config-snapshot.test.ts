import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readConfig } from '../../../pipelines/cli/aws/target';
import { AidlcConfig } from '../../../src/config';
import { InvalidValuesError } from '../../../src/core/problem';
import { ConfigSnapshotError, parseConfigSnapshot, readConfigSnapshot } from '../../../src/core/snapshot/config-snapshot';

const CONFIG = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: 'eu-west-1', awsAccount: '123456789012' });
const FILE = 'pipelines/aidlc.json';

function problemsOf(text: string): string[] {
  try {
    parseConfigSnapshot(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigSnapshotError);
    return (e as ConfigSnapshotError).problems.map((p) => p.path);
  }
  return [];
}

test('a snapshot the project wrote reads back as the resolved config', () => {
  expect(parseConfigSnapshot(JSON.stringify(CONFIG), FILE)).toEqual(JSON.parse(JSON.stringify(CONFIG)));
});

test('each way a file can fail to be a snapshot is named, with the fix', () => {
  expect(() => parseConfigSnapshot('{"schemaVersion": 1,', FILE))
    .toThrow(/^pipelines\/aidlc.json: contents = "\{\\"schemaVersion\\": 1,": is not JSON \(.*\). Fix: run "npx projen" in the repository to regenerate it$/);
  expect(() => parseConfigSnapshot('[1]', FILE)).toThrow('pipelines/aidlc.json: contents = [1]: is not a JSON object. Fix: run "npx projen"');
  expect(() => parseConfigSnapshot(JSON.stringify({ ...CONFIG, schemaVersion: 2 }), FILE))
    .toThrow('pipelines/aidlc.json: schemaVersion = 2: is not the resolved config format this aidlc-pipeline reads (schemaVersion 1)');
});

test('every missing or broken section is listed at once', () => {
  const { network: _n, serving: _s, ...older } = CONFIG;
  expect(problemsOf(JSON.stringify({ ...older, modelName: '', training: 'xgboost' }))).toEqual(['modelName', 'training', 'serving', 'network']);
  expect(() => parseConfigSnapshot(JSON.stringify(older), FILE)).toThrow(
    'pipelines/aidlc.json: 2 problems:\n'
    + '  - serving = (not set): is missing: the file was written by an older aidlc-pipeline. Fix: run "npx projen" in the repository to regenerate it\n'
    + '  - network = (not set): is missing: the file was written by an older aidlc-pipeline. Fix: run "npx projen" in the repository to regenerate it');
});

describe('the readers share it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aidlc-snapshot-'));
  const good = join(dir, 'aidlc.json');
  const bad = join(dir, 'bad.json');
  writeFileSync(good, JSON.stringify(CONFIG));
  writeFileSync(bad, JSON.stringify({ ...CONFIG, schemaVersion: 0 }));

  test('a missing file is undefined to the CLI and an error to the CDK app', () => {
    expect(readConfigSnapshot(join(dir, 'none.json'))).toBeUndefined();
    expect(readConfig(join(dir, 'none.json'))).toBeUndefined();
    expect(() => AidlcConfig.load(join(dir, 'none.json'))).toThrow(InvalidValuesError);
    expect(() => AidlcConfig.load(join(dir, 'none.json'))).toThrow(/^AidlcConfig.load: file = ".*none.json": does not exist. Fix: run "npx projen"/);
  });

  test('the same file gets the same verdict from each', () => {
    expect(AidlcConfig.load(good).modelName).toBe('churn');
    expect(readConfig(good)?.modelName).toBe('churn');
    for (const read of [() => AidlcConfig.load(bad), () => readConfig(bad), () => readConfigSnapshot(bad)]) {
      expect(read).toThrow(/bad.json: schemaVersion = 0: is not the resolved config format/);
    }
  });

  test('an unreadable file says why', () => {
    expect(() => readConfigSnapshot(dir)).toThrow(/: contents = \(not set\): cannot be read \(EISDIR.*\). Fix: check the path and its permissions/);
  });
});
