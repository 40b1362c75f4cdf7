import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createGateRunCommand } from '../../../pipelines/cli/commands/gate-run';
import { PROCESS_IO } from '../../../pipelines/cli/io';
import { findCommand } from '../../../pipelines/cli/main';
import { sha256Hex } from '../../../pipelines/gate/manifest';
import { MemoryS3 } from '../../support/memory-s3';

const CONTRACT = join(__dirname, '..', 'engine', 'fixtures', 'churn-contract.json');
const SAMPLE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sample.csv'));

let s3: MemoryS3;
let out: jest.SpyInstance;
beforeEach(() => {
  s3 = new MemoryS3();
  out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  s3.mock.restore();
  out.mockRestore();
});

function args(dir: string, extra: string[] = []): string[] {
  return [
    '--contract', CONTRACT, '--dataset', 's3://raw/raw/churn/', '--validated', 's3://val/validated/churn/',
    '--quarantine', 's3://q/quarantine/churn/', '--run', 'e-1', '--env-file', join(dir, 'gate.env'),
    '--baseline-out', 's3://art/baselines/churn/profile.json', ...extra,
  ];
}

test('aidlc gate run: passes, writes the env file the Gate stage exports and the shared baseline', async () => {
  s3.put('raw', 'raw/churn/train.csv', SAMPLE);
  const dir = mkdtempSync(join(tmpdir(), 'gate-run-'));
  const code = await createGateRunCommand(PROCESS_IO, () => new S3Client({})).run(args(dir));
  expect(code).toBe(0);
  const manifest = s3.text('val', 'validated/churn/runs/e-1/manifest.json');
  expect(readFileSync(join(dir, 'gate.env'), 'utf8')).toBe(
    `DATASET_MANIFEST_URI=s3://val/validated/churn/runs/e-1/manifest.json\nDATASET_MANIFEST_SHA256=${sha256Hex(manifest)}\n`);
  expect(s3.text('art', 'baselines/churn/profile.json')).toBe(s3.text('val', 'validated/churn/runs/e-1/baseline-profile.json'));
  expect(out.mock.calls.map((c) => String(c[0])).join('')).toContain('gate run pass: churn run e-1, 1 passed, 0 quarantined');
});

test('aidlc gate run: a quarantined object fails the run (exit 1) and the shared baseline is left alone', async () => {
  s3.put('raw', 'raw/churn/a.csv', SAMPLE);
  s3.put('raw', 'raw/churn/b.csv', Buffer.from(SAMPLE.toString().replace(/\n1002,/, '\n1001,')));
  const dir = mkdtempSync(join(tmpdir(), 'gate-run-'));
  const code = await createGateRunCommand(PROCESS_IO, () => new S3Client({})).run(args(dir));
  expect(code).toBe(1);
  expect(s3.keys('art')).toEqual([]);
  expect(s3.keys('q')).toContain('quarantine/churn/runs/e-1/data/b.csv');
});

test('aidlc gate run: usage errors name the flag', async () => {
  const cmd = createGateRunCommand(PROCESS_IO, () => new S3Client({}));
  await expect(cmd.run(['--contract', CONTRACT, '--dataset', 'raw/churn/', '--validated', 's3://v/p/', '--quarantine', 's3://q/p/', '--run', 'x']))
    .rejects.toThrow(/--dataset = "raw\/churn\/": is not an s3:\/\/ URI. Fix: write --dataset s3:\/\/bucket\/key/);
  await expect(cmd.run(['--contract', CONTRACT, '--dataset', 's3://r/p/', '--validated', 's3://v/p', '--quarantine', 's3://q/p/', '--run', 'x']))
    .rejects.toThrow(/--validated = "s3:\/\/[^"]*": is not a prefix: it must end in "\/". Fix: write --validated s3:\/\/bucket\/prefix\//);
  expect(findCommand(['gate', 'run', '--help'])!.command.name).toBe('gate run');
  expect(findCommand(['gate', '--data', 'x'])!.command.name).toBe('gate');
});
