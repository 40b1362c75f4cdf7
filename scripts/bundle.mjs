// Bundles the code that runs inside the generated chain into single-file assets under lib/assets:
//   pipelines/cli/main.ts          -> lib/assets/cli/aidlc.js         (the `aidlc` bin)
//   pipelines/cli/commands/<c>.ts  -> lib/assets/cli/commands/<c>.js  (each command main.ts loads on demand)
//   pipelines/lambda/<name>/index.ts -> lib/assets/lambda/<name>/index.js (one folder per Lambda asset)
// Everything, the AWS SDK included, is bundled so an asset runs with nothing but Node.js.
// esbuild's metafile of each asset (every file that went into it) is written to
// lib/bundle-meta/<asset>.json, outside the assets (a Lambda's folder is its code) and the npm
// package; test/boundaries/bundles.test.ts reads it.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'lib', 'assets');
const meta = join(root, 'lib', 'bundle-meta');
rmSync(out, { recursive: true, force: true });
rmSync(meta, { recursive: true, force: true });

const common = {
  // Paths in the bundles and their metafiles are relative to the package root, wherever this runs from.
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'external',
  logLevel: 'warning',
  // Readable output: users of the generated repositories can read what runs in their account.
  minify: false,
  metafile: true,
};

async function bundle(options) {
  const result = await build({ ...common, ...options });
  const file = join(meta, relative(out, options.outfile).replace(/\.js$/, '.json'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result.metafile));
}

const jobs = [];
const cli = join(root, 'pipelines', 'cli', 'main.ts');
if (existsSync(cli)) {
  // The commands main.ts loads on demand become files of their own beside it, so `aidlc gate`
  // loads the dispatcher and the gate's code, not every command's AWS SDK clients and Octokit:
  // about 8 MB less memory per process, and per thread of the parallel CSV reader (whose workers
  // load the file that holds it).
  const commands = [...readFileSync(cli, 'utf8').matchAll(/require\('\.\/commands\/([a-z0-9-]+)'\)/g)].map((m) => m[1]);
  const lazyCommands = {
    name: 'lazy-commands',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/[a-z0-9-]+$/ }, (args) => (args.importer === cli ? { path: `${args.path}.js`, external: true } : undefined));
    },
  };
  jobs.push(bundle({ entryPoints: [cli], outfile: join(out, 'cli', 'aidlc.js'), banner: { js: '#!/usr/bin/env node' }, plugins: [lazyCommands] }));
  for (const name of commands) {
    jobs.push(bundle({ entryPoints: [join(root, 'pipelines', 'cli', 'commands', `${name}.ts`)], outfile: join(out, 'cli', 'commands', `${name}.js`) }));
  }
}
const lambdas = join(root, 'pipelines', 'lambda');
for (const name of existsSync(lambdas) ? readdirSync(lambdas) : []) {
  const entry = join(lambdas, name, 'index.ts');
  if (existsSync(entry)) {
    jobs.push(bundle({ entryPoints: [entry], outfile: join(out, 'lambda', name, 'index.js') }));
  }
}
await Promise.all(jobs);
console.log(`bundled ${jobs.length} asset(s) into lib/assets`);
