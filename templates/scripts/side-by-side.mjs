// Runs each argument as a shell command, all at the same time, and fails if any of them fails.
// projen's task shell runs no background jobs; the build uses this for its longest steps.
//
//   node scripts/side-by-side.mjs "node scripts/typecheck-and-lint.mjs" "cdk synth -q"
import { spawn } from 'node:child_process';

const run = (command) => new Promise((resolve) => {
  spawn(command, { shell: true, stdio: 'inherit' }).on('close', (code) => resolve({ command, code: code ?? 1 }));
});
const results = await Promise.all(process.argv.slice(2).map(run));
const failed = results.filter((result) => result.code !== 0);
for (const { command, code } of failed) console.error(`side-by-side: "${command}" failed (exit ${code})`);
process.exit(failed.length === 0 ? 0 : failed[0].code);
