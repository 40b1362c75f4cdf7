// Runs Python with the interpreter in $PYTHON, or python3 when PYTHON is not set. projen's task
// shell has no ${VAR:-default}, so the tasks that run Python go through this script.
//
//   node scripts/python.mjs training/run_local.py --config pipelines/aidlc.json ...
//   PYTHON=/usr/bin/python3 npx projen train:local
import { spawnSync } from 'node:child_process';

const python = process.env.PYTHON || 'python3';
const run = spawnSync(python, process.argv.slice(2), { stdio: 'inherit' });
if (run.error) {
  console.error(run.error.code === 'ENOENT'
    ? `${python} not found: install Python 3, or set PYTHON to the interpreter to use`
    : `${python}: ${run.error.message}`);
  process.exit(127);
}
process.exit(run.status ?? 1);
