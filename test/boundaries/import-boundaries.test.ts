import { join } from 'path';
import { Linter, loadESLint } from 'eslint';
import type { LegacyESLint } from 'eslint/use-at-your-own-risk';

/**
 * The layering zones of `.eslintrc.json` (written from projenrc/import-boundaries.ts) catch what
 * they are meant to: each case is an import placed, in memory, in a file at a real path of this
 * package, linted with the rules and resolver settings eslint uses for that path.
 */

const ROOT = join(__dirname, '..', '..');
const ZONES_RULE = 'import/no-restricted-paths';
const UNRESOLVED_RULE = 'import/no-unresolved';

interface Zone {
  readonly target: string | string[];
  readonly from: string | string[];
  readonly except?: string[];
  readonly message: string;
}

/** An import in a file: it breaks the zone whose message starts with `breaks`, or none at all. */
interface Case {
  readonly file: string;
  readonly code: string;
  readonly breaks?: string;
}

const SRC_PIPELINES = 'src/ never imports pipelines/';
const CORE_CDK = 'src/core is the CDK-free layer';
const CORE_SRC = 'src/core imports nothing from the rest of src/';
const CONFIG_CDK = 'src/config depends only on src/core: it imports no CDK or projen package';
const CONFIG_SRC = 'src/config depends only on src/core: project, github and app read the config';
const CONSTRUCTS_PROJEN = 'src/constructs know nothing of projen';
const CONSTRUCTS_SRC = 'src/constructs do not read the config';
const CONSTRUCTS_RESOLVED = 'src/constructs take props, not the resolved config';
const PIPELINES_CDK = 'pipelines/ is bundled by esbuild';
const PIPELINES_SRC = 'pipelines/ imports nothing from src/ but src/core';
const ONLY_CLI = 'Only the CLI imports pipelines/cli';
const LAMBDA_OWN = 'Nothing outside pipelines/lambda imports a Lambda handler';

/** Every package the CDK-free layers and the bundles must not load, and a way to import each. */
const CDK_AND_PROJEN_IMPORTS = [
  "import { App } from 'aws-cdk-lib';",
  "import { Bucket } from 'aws-cdk-lib/aws-s3';",
  "import type { Construct } from 'constructs';",
  "import { Project } from 'projen';",
  "export { NagSuppressions } from 'cdk-nag';",
  "import * as sagemaker from '@aws-cdk/aws-sagemaker-alpha';",
  "import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';",
  "export async function load() { return import('aws-cdk-lib/aws-lambda'); }",
];

const VIOLATIONS: Case[] = [
  { file: 'src/core/probe.ts', code: "import { retrying } from '../../pipelines/shared/retry';", breaks: SRC_PIPELINES },
  { file: 'src/project/probe.ts', code: "import { CliIo } from '../../pipelines/cli/io';", breaks: SRC_PIPELINES },
  ...CDK_AND_PROJEN_IMPORTS.map((code) => ({ file: 'src/core/names/probe.ts', code, breaks: CORE_CDK })),
  { file: 'src/core/probe.ts', code: "import { AidlcConfig } from '../config/aidlc-config';", breaks: CORE_SRC },
  { file: 'src/core/probe.ts', code: "import type { TrainingOptions } from '../config/options';", breaks: CORE_SRC },
  { file: 'src/core/probe.ts', code: "import { DataLake } from '../constructs';", breaks: CORE_SRC },
  { file: 'src/core/probe.ts', code: "import { AidlcApp } from '../app/aidlc-app';", breaks: CORE_SRC },
  { file: 'src/core/probe.ts', code: "import { AidlcPipelineProject } from '../project/aidlc-pipeline-project';", breaks: CORE_SRC },
  { file: 'src/core/probe.ts', code: "import { AidlcGithub } from '../github/aidlc-github';", breaks: CORE_SRC },
  { file: 'src/core/probe.ts', code: "export * from '../index';", breaks: CORE_SRC },
  ...CDK_AND_PROJEN_IMPORTS.map((code) => ({ file: 'src/config/rules/probe.ts', code, breaks: CONFIG_CDK })),
  { file: 'src/config/probe.ts', code: "import { DataLake } from '../constructs/data/data-lake';", breaks: CONFIG_SRC },
  { file: 'src/config/probe.ts', code: "import { AidlcPipelineProject } from '../project/aidlc-pipeline-project';", breaks: CONFIG_SRC },
  { file: 'src/config/probe.ts', code: "import { AidlcApp } from '../app/aidlc-app';", breaks: CONFIG_SRC },
  { file: 'src/constructs/data/probe.ts', code: "import { Project } from 'projen';", breaks: CONSTRUCTS_PROJEN },
  { file: 'src/constructs/data/probe.ts', code: "import { javascript } from 'projen/lib';", breaks: CONSTRUCTS_PROJEN },
  { file: 'src/constructs/training/probe.ts', code: "import { TrainingOptions } from '../../config/options';", breaks: CONSTRUCTS_SRC },
  { file: 'src/constructs/training/probe.ts', code: "import { TrainingFramework } from '../../config/enums';", breaks: CONSTRUCTS_SRC },
  { file: 'src/constructs/serving/probe.ts', code: "import { AidlcApp } from '../../app/aidlc-app';", breaks: CONSTRUCTS_SRC },
  { file: 'src/constructs/serving/probe.ts', code: "import { AidlcPipelineProject } from '../../project/aidlc-pipeline-project';", breaks: CONSTRUCTS_SRC },
  { file: 'src/constructs/serving/probe.ts', code: "import { AidlcGithub } from '../../github/aidlc-github';", breaks: CONSTRUCTS_SRC },
  { file: 'src/constructs/training/probe.ts', code: "import { ResolvedTraining } from '../../core/resolved';", breaks: CONSTRUCTS_RESOLVED },
  ...CDK_AND_PROJEN_IMPORTS.map((code) => ({ file: 'pipelines/gate/probe.ts', code, breaks: PIPELINES_CDK })),
  { file: 'pipelines/cli/probe.ts', code: "import { AidlcConfig } from '../../src/config/aidlc-config';", breaks: PIPELINES_SRC },
  { file: 'pipelines/cli/probe.ts', code: "import type { ResolvedConfig } from '../../src/config/resolved';", breaks: PIPELINES_SRC },
  { file: 'pipelines/lambda/data-gate/probe.ts', code: "import { DataGate } from '../../../src/constructs/data/data-gate';", breaks: PIPELINES_SRC },
  { file: 'pipelines/shared/probe.ts', code: "import { AidlcApp } from '../../src/app/aidlc-app';", breaks: PIPELINES_SRC },
  { file: 'pipelines/engine/probe.ts', code: "import { ResourceNames } from '../../src';", breaks: PIPELINES_SRC },
  { file: 'pipelines/lambda/data-gate/probe.ts', code: "import { CliIo } from '../../cli/io';", breaks: ONLY_CLI },
  { file: 'pipelines/shared/probe.ts', code: "import { Flags } from '../cli/flags';", breaks: ONLY_CLI },
  { file: 'pipelines/monitor/probe.ts', code: "import { CliIo } from '../cli/io';", breaks: ONLY_CLI },
  { file: 'pipelines/probe.ts', code: "import { CliIo } from './cli/io';", breaks: ONLY_CLI },
  { file: 'pipelines/shared/probe.ts', code: "import { handler } from '../lambda/data-gate';", breaks: LAMBDA_OWN },
  { file: 'pipelines/gate/probe.ts', code: "import { handler } from '../lambda/model-signer/index';", breaks: LAMBDA_OWN },
  { file: 'pipelines/cli/commands/probe.ts', code: "import { handler } from '../../lambda/github-status';", breaks: LAMBDA_OWN },
];

const ALLOWED: Case[] = [
  { file: 'src/core/probe.ts', code: "import { readFileSync } from 'fs';\nimport { Problem } from './problem';\nimport { ResourceNames } from './names/resource-names';" },
  { file: 'src/config/probe.ts', code: "import { Problem } from '../core/problem';\nimport { ColumnType } from './enums';" },
  { file: 'src/constructs/data/probe.ts', code: "import { Stack } from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\nimport { ResourceNames } from '../../core/names/resource-names';\nimport { DataGate } from './data-gate';" },
  { file: 'src/app/probe.ts', code: "import { NagSuppressions } from 'cdk-nag';\nimport { AidlcConfig } from '../config/aidlc-config';\nimport { DataLake } from '../constructs';" },
  { file: 'src/project/probe.ts', code: "import { Project } from 'projen';\nimport { AidlcConfig } from '../config';\nimport { AidlcGithub } from '../github/aidlc-github';" },
  { file: 'src/github/probe.ts', code: "import { javascript } from 'projen';\nimport type { ResolvedConfig } from '../config/resolved';" },
  { file: 'pipelines/cli/probe.ts', code: "import { Problem } from '../../src/core/problem';\nimport { CliIo } from './io';\nimport { retrying } from '../shared/retry';\nimport { readCsv } from '../engine';" },
  { file: 'pipelines/lambda/data-gate/probe.ts', code: "import { retrying } from '../../shared/retry';\nimport { writeManifest } from '../../gate/manifest';\nimport { handler } from './index';" },
  { file: 'test/probe.test.ts', code: "import { App } from 'aws-cdk-lib';\nimport { AidlcConfig } from '../src/config';\nimport { CliIo } from '../pipelines/cli/io';\nimport { handler } from '../pipelines/lambda/data-gate';" },
];

let project: LegacyESLint;
const linters = new Map<string, LegacyESLint>();

/** An ESLint that runs only the zones and the resolver check, configured as eslint is for `file`. */
async function lintOnly(file: string): Promise<{ eslint: LegacyESLint; config: Linter.LegacyConfig }> {
  const config = await project.calculateConfigForFile(join(ROOT, file)) as Linter.LegacyConfig;
  const key = JSON.stringify([config.parser, config.settings, config.rules?.[ZONES_RULE], config.rules?.[UNRESOLVED_RULE]]);
  let eslint = linters.get(key);
  if (!eslint) {
    const ESLintClass = await loadESLint({ useFlatConfig: false });
    eslint = new ESLintClass({
      cwd: ROOT,
      useEslintrc: false,
      baseConfig: {
        root: true,
        parser: config.parser,
        // A syntactic parse: the type-aware project service only knows files on disk.
        parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
        plugins: ['import'],
        settings: config.settings,
        rules: { [ZONES_RULE]: config.rules![ZONES_RULE], [UNRESOLVED_RULE]: config.rules![UNRESOLVED_RULE] },
      },
    });
    linters.set(key, eslint);
  }
  return { eslint, config };
}

async function messagesOf(c: Case): Promise<Linter.LintMessage[]> {
  const { eslint } = await lintOnly(c.file);
  const [result] = await eslint.lintText(`${c.code}\n`, { filePath: join(ROOT, c.file) });
  return result.messages;
}

async function zones(): Promise<Zone[]> {
  const { config } = await lintOnly('src/index.ts');
  const [, options] = config.rules![ZONES_RULE] as [unknown, { zones: Zone[] }];
  return options.zones;
}

/** A rule's level as a word, whether the config gives it as 0/1/2 or by name. */
function severityOf(entry: Linter.RuleEntry | undefined): string {
  const severity: unknown = Array.isArray(entry) ? entry[0] : entry;
  return typeof severity === 'number' ? ['off', 'warn', 'error'][severity] : String(severity);
}

function zoneOf(all: Zone[], prefix: string): Zone {
  const found = all.filter((z) => z.message.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one zone whose message starts "${prefix}", found ${found.length}`);
  return found[0];
}

beforeAll(async () => {
  // The zones' paths are relative to the directory eslint runs in: the package root.
  process.chdir(ROOT);
  const ESLintClass = await loadESLint({ useFlatConfig: false });
  project = new ESLintClass({ cwd: ROOT });
});

test('every file is linted with the zones, and an import the resolver cannot find is an error rather than skipped', async () => {
  for (const file of ['src/core/index.ts', 'src/config/index.ts', 'src/constructs/index.ts', 'pipelines/cli/main.ts', 'pipelines/lambda/data-gate/index.ts', 'test/probe.test.ts']) {
    const { config } = await lintOnly(file);
    expect([file, severityOf(config.rules?.[ZONES_RULE])]).toEqual([file, 'error']);
    expect([file, severityOf(config.rules?.[UNRESOLVED_RULE])]).toEqual([file, 'error']);
  }
  const messages = await messagesOf({ file: 'pipelines/cli/probe.ts', code: "import { nothing } from '../../src/core/no-such-file';" });
  expect(messages.map((m) => m.ruleId)).toEqual([UNRESOLVED_RULE]);
});

test('every zone is broken by at least one case below, and each says what it forbids', async () => {
  const all = await zones();
  expect(all.length).toBeGreaterThanOrEqual(12);
  expect(new Set(all.map((z) => z.message)).size).toBe(all.length);
  const proven = new Set(VIOLATIONS.map((c) => zoneOf(all, c.breaks!)));
  expect(all.filter((z) => !proven.has(z)).map((z) => z.message)).toEqual([]);
});

test.each(VIOLATIONS.map((c) => [c.file, c.code, c] as const))('%s: %s is refused', async (_file, _code, c) => {
  const zone = zoneOf(await zones(), c.breaks!);
  const messages = await messagesOf(c);
  // Resolved (so the zone could see it), and refused by exactly the zone it breaks.
  expect(messages.map((m) => [m.ruleId, m.message.slice(m.message.indexOf('restricted zone. ') + 'restricted zone. '.length)]))
    .toEqual([[ZONES_RULE, zone.message]]);
});

test.each(ALLOWED.map((c) => [c.file, c] as const))('%s: the imports its layer may make pass', async (_file, c) => {
  expect(await messagesOf(c)).toEqual([]);
});
