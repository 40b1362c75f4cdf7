#!/usr/bin/env node
// The data gate's SQL engine offline: compiles the contract and baseline into the queries Athena
// runs (pipelines/engine/sql), runs them in DuckDB's spelling over a local CSV, and writes the
// same gate report the streaming engine writes (so bench/result-json.mjs reads both).
//
//   node bench/sql-gate.mjs --contract C.json --baseline B.json --data FILE.csv --report R.json
//
// The TypeScript is bundled on the fly by esbuild (a dev dependency) into a temporary file;
// DuckDB (@duckdb/node-api) is loaded from this repository's node_modules.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { values: o } = parseArgs({ options: { contract: { type: 'string' }, baseline: { type: 'string' }, data: { type: 'string' }, report: { type: 'string' } } });
if (!o.contract || !o.data || !o.report) {
  process.stderr.write('usage: node bench/sql-gate.mjs --contract C.json [--baseline B.json] --data FILE.csv --report R.json\n');
  process.exit(2);
}
const out = join(mkdtempSync(join(tmpdir(), 'aidlc-sql-gate-')), 'sql-gate.js');
await require('esbuild').build({
  stdin: {
    contents: "export { sqlGateOnDuckDb } from './test/support/duckdb-sql-gate';\nexport { parseContract, parseProfile } from './pipelines/engine';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: out,
  logLevel: 'error',
  // DuckDB is a native module: the bundle requires it where this repository has it.
  plugins: [{
    name: 'duckdb-from-repo',
    setup: (b) => b.onResolve({ filter: /^@duckdb\/node-api$/ }, () => ({ path: require.resolve('@duckdb/node-api'), external: true })),
  }],
});
const { sqlGateOnDuckDb, parseContract, parseProfile } = require(out);
const contract = parseContract(JSON.parse(readFileSync(o.contract, 'utf8')));
const baseline = o.baseline ? parseProfile(JSON.parse(readFileSync(o.baseline, 'utf8'))) : undefined;
const { report } = await sqlGateOnDuckDb(contract, o.data, baseline);
writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n');
process.stdout.write(`sql gate ${report.verdict}: ${report.rows} rows, ${report.violations.length} violations, ${report.seconds.toFixed(2)} s\n`);
