// Bundles the code that runs inside the generated chain into single-file assets under lib/assets:
//   pipelines/cli/main.ts          -> lib/assets/cli/aidlc.js         (the `aidlc` bin)
//   pipelines/cli/commands/<c>.ts  -> lib/assets/cli/commands/<c>.js  (each command main.ts loads on demand)
//   pipelines/lambda/<name>/index.ts -> lib/assets/lambda/<name>/index.js (one folder per Lambda asset)
// Everything, the AWS SDK included, is bundled so an asset runs with nothing but Node.js.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'lib', 'assets');
rmSync(out, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'external',
  logLevel: 'warning',
  // Readable output: users of the generated repositories can read what runs in their account.
  minify: false,
};

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
  jobs.push(build({ ...common, entryPoints: [cli], outfile: join(out, 'cli', 'aidlc.js'), banner: { js: '#!/usr/bin/env node' }, plugins: [lazyCommands] }));
  for (const name of commands) {
    jobs.push(build({ ...common, entryPoints: [join(root, 'pipelines', 'cli', 'commands', `${name}.ts`)], outfile: join(out, 'cli', 'commands', `${name}.js`) }));
  }
}
const lambdas = join(root, 'pipelines', 'lambda');
for (const name of existsSync(lambdas) ? readdirSync(lambdas) : []) {
  const entry = join(lambdas, name, 'index.ts');
  if (existsSync(entry)) {
    jobs.push(build({ ...common, entryPoints: [entry], outfile: join(out, 'lambda', name, 'index.js') }));
  }
}
await Promise.all(jobs);
console.log(`bundled ${jobs.length} asset(s) into lib/assets`);
