import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { UsageError } from '../../../pipelines/cli/command';
import { reportComplianceCommand } from '../../../pipelines/cli/commands/report-compliance';
import { StackTemplate } from '../../../src/core/templates/template';
import { allStacks, CONFIG, dataStack } from '../../support/audit-templates';
import { tempDir } from '../../support/temp-dirs';

function cdkOut(stacks: StackTemplate[]): string {
  const dir = join(tempDir('aidlc-report-'), 'cdk.out');
  mkdirSync(dir);
  for (const s of stacks) writeFileSync(join(dir, `${s.stackName}.template.json`), JSON.stringify(s.template));
  return dir;
}

function configFile(): string {
  const file = join(tempDir('aidlc-report-config-'), 'aidlc.json');
  writeFileSync(file, JSON.stringify(CONFIG));
  return file;
}

describe('aidlc report compliance', () => {
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });

  test('writes the report, creating the output folder', async () => {
    const out = join(tempDir(), 'docs', 'compliance-report.md');
    const code = await reportComplianceCommand.run(['--cdk-out', cdkOut(allStacks()), '--config', configFile(), '--out', out, '--fail-on-gap']);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('12 of 12 controls met.');
    expect(stdout.mock.calls.join('')).toContain('met     Encryption at rest');
  });

  test('exits 1 under --fail-on-gap when a control is not met, 0 without it', async () => {
    const dir = cdkOut([dataStack()]);
    const out = join(tempDir(), 'report.md');
    expect(await reportComplianceCommand.run(['--cdk-out', dir, '--config', configFile(), '--out', out, '--fail-on-gap'])).toBe(1);
    expect(stderr.mock.calls.join('')).toContain('not met: ');
    expect(stderr.mock.calls.join('')).toContain('Model monitoring');
    expect(await reportComplianceCommand.run(['--cdk-out', dir, '--config', configFile(), '--out', out])).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  test('refuses a missing cloud assembly, an explicit missing config and a config that is not resolved', async () => {
    await expect(reportComplianceCommand.run(['--cdk-out', join(tempDir(), 'nope')])).rejects.toThrow(UsageError);
    const dir = cdkOut(allStacks());
    await expect(reportComplianceCommand.run(['--cdk-out', dir, '--config', join(tempDir(), 'missing.json')])).rejects.toThrow(/--config = ".*missing.json": does not exist/);
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, JSON.stringify({ modelName: 'churn' }));
    await expect(reportComplianceCommand.run(['--cdk-out', dir, '--config', bad])).rejects.toThrow('bad.json: schemaVersion = (not set): is not the resolved config format this aidlc-pipeline reads');
    await expect(reportComplianceCommand.run(['--cdk-out', dir, 'extra'])).rejects.toThrow('argument = "extra": is not a flag, and the command takes no more words');
    await expect(reportComplianceCommand.run(['--nope'])).rejects.toThrow(UsageError);
  });

  test('reports from cdk.out alone when the default config is absent', async () => {
    const cwd = process.cwd();
    const work = tempDir();
    process.chdir(work);
    try {
      mkdirSync('cdk.out');
      for (const s of allStacks()) writeFileSync(join('cdk.out', `${s.stackName}.template.json`), JSON.stringify(s.template));
      expect(await reportComplianceCommand.run([])).toBe(0);
      expect(readFileSync(join(work, 'docs', 'compliance-report.md'), 'utf8')).toContain('# Compliance report\n');
      expect(stderr.mock.calls.join('')).toContain('reporting from cdk.out alone');
    } finally {
      process.chdir(cwd);
    }
  });
});
