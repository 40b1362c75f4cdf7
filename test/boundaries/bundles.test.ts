import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import { join, relative } from 'path';

/**
 * The bundles `npx projen bundle` writes to lib/assets (the `aidlc` CLI, its commands, the Lambda
 * handlers) run in the chain with nothing but Node.js: none may carry CDK or projen code. Checked
 * on esbuild's own record of every file it read for a bundle (lib/bundle-meta/<asset>.json,
 * written by scripts/bundle.mjs) and on the module markers esbuild leaves in the readable output.
 */

const ROOT = join(__dirname, '..', '..');
const ASSETS = join(ROOT, 'lib', 'assets');
const META = join(ROOT, 'lib', 'bundle-meta');

/** The CDK and projen packages: a file under one of these folders in node_modules. */
const CDK_AND_PROJEN = /(^|\/)node_modules\/(aws-cdk-lib|constructs|projen|cdk-nag|@aws-cdk\/[^/]+|@cdklabs\/[^/]+)\//;

/**
 * esbuild's marker of a bundled module in unminified output: the `// <path>` comment above each
 * module, and the `"<path>"(exports, module)` key of each CommonJS wrapper.
 */
const CDK_AND_PROJEN_MARKER = new RegExp(`(^// |")[^\\s"]*${CDK_AND_PROJEN.source.slice('(^|\\/)'.length)}`, 'm');

interface Metafile {
  readonly inputs: { readonly [path: string]: unknown };
  readonly outputs: { readonly [path: string]: { readonly bytes: number; readonly entryPoint?: string } };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const BUNDLES = existsSync(ASSETS) ? filesUnder(ASSETS).filter((f) => f.endsWith('.js')).map((f) => relative(ASSETS, f)).sort() : [];
if (BUNDLES.length === 0) throw new Error('lib/assets holds no bundles: run "npx projen bundle" first');

function metafileOf(bundle: string): Metafile {
  return JSON.parse(readFileSync(join(META, bundle.replace(/\.js$/, '.json')), 'utf8'));
}

test('lib/assets holds the CLI, its commands and a handler per Lambda, each with the metafile of the build that wrote it', () => {
  const lambdas = readdirSync(join(ROOT, 'pipelines', 'lambda')).filter((name) => existsSync(join(ROOT, 'pipelines', 'lambda', name, 'index.ts')));
  expect(BUNDLES).toEqual(expect.arrayContaining(['cli/aidlc.js', ...lambdas.map((name) => `lambda/${name}/index.js`)]));
  expect(BUNDLES.filter((b) => b.startsWith('cli/commands/')).length).toBeGreaterThan(0);
  for (const bundle of BUNDLES) {
    const output = metafileOf(bundle).outputs[relative(ROOT, join(ASSETS, bundle))];
    // The metafile describes this very file: a bundle rebuilt without one does not pass on an old one.
    expect([bundle, output?.bytes]).toEqual([bundle, statSync(join(ASSETS, bundle)).size]);
  }
});

test.each(BUNDLES)('%s read no file of aws-cdk-lib, constructs, projen, cdk-nag, @aws-cdk/* or @cdklabs/*', (bundle) => {
  const inputs = Object.keys(metafileOf(bundle).inputs);
  expect(inputs.length).toBeGreaterThan(0);
  expect(inputs.filter((path) => CDK_AND_PROJEN.test(path))).toEqual([]);
  // The package's own code in a bundle is pipelines/ and the CDK-free src/core, nothing else of src/.
  expect(inputs.filter((path) => !path.includes('node_modules/') && !/^(pipelines|src\/core)\//.test(path))).toEqual([]);
});

test.each(BUNDLES)('%s carries no module marker of those packages', (bundle) => {
  const text = readFileSync(join(ASSETS, bundle), 'utf8');
  expect(text.match(CDK_AND_PROJEN_MARKER)?.[0]).toBeUndefined();
});

test('the marker pattern finds what esbuild writes for a bundled CDK module', () => {
  expect('// node_modules/aws-cdk-lib/core/lib/duration.js\n').toMatch(CDK_AND_PROJEN_MARKER);
  expect('var require_lib = __commonJS({\n  "../main/node_modules/constructs/lib/index.js"(exports, module) {').toMatch(CDK_AND_PROJEN_MARKER);
  expect('// node_modules/@aws-cdk/aws-sagemaker-alpha/lib/index.js').toMatch(CDK_AND_PROJEN_MARKER);
  expect('// node_modules/@aws-sdk/client-s3/dist-cjs/index.js\n// pipelines/shared/retry.ts').not.toMatch(CDK_AND_PROJEN_MARKER);
});
