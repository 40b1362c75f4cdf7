// Lints the CloudFormation templates that `cdk synth` wrote with cfn-lint, AWS's CloudFormation
// linter, under the settings (regions, suppressed rules and their reasons) in .cfnlintrc.yaml.
// When cfn-lint is not installed it says so and passes: the build does not depend on Python.
//
//   node scripts/cfn-lint.mjs                     every *.template.json in cdk.out
//   node scripts/cfn-lint.mjs DIR_OR_FILE...      those templates instead
//   node scripts/cfn-lint.mjs --strict            warnings fail too
//   node scripts/cfn-lint.mjs --config FILE       other settings than .cfnlintrc.yaml
//
// Exits 1 on an error finding (and, with --strict, on a warning). CFN_LINT names another
// cfn-lint executable.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Written by projen from the project: the cloud assembly folder and the settings file.
const SETTINGS = { cdkOut: 'cdk.out', config: '.cfnlintrc.yaml' };

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const configAt = args.indexOf('--config');
const config = configAt >= 0 ? args[configAt + 1] : SETTINGS.config;
const targets = args.filter((a, i) => !a.startsWith('--') && (configAt < 0 || i !== configAt + 1));
const cfnLint = process.env.CFN_LINT || 'cfn-lint';

const version = spawnSync(cfnLint, ['--version'], { encoding: 'utf-8' });
if (version.error) {
  if (version.error.code !== 'ENOENT') throw version.error;
  console.log(`cfn-lint is not installed: the templates in ${SETTINGS.cdkOut} were not linted. Install it to lint them in every build: pip install cfn-lint`);
  process.exit(0);
}

const templatesIn = (target) => (statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.template.json')).sort().map((f) => join(target, f))
  : [target]);
const roots = targets.length > 0 ? targets : [SETTINGS.cdkOut];
const missing = roots.filter((r) => !existsSync(r));
if (missing.length > 0) {
  console.error(`cfn-lint: ${missing.join(', ')} not found: run "npx cdk synth" first`);
  process.exit(1);
}
const templates = roots.flatMap(templatesIn);
if (templates.length === 0) {
  console.error(`cfn-lint: no *.template.json in ${roots.join(', ')}: run "npx cdk synth" first`);
  process.exit(1);
}

const run = spawnSync(cfnLint, ['--config-file', config, '--format', 'json', '--', ...templates], { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
let findings;
try {
  findings = JSON.parse(run.stdout);
} catch {
  console.error(`cfn-lint failed (exit ${run.status}):\n${run.stderr || run.stdout}`);
  process.exit(1);
}
const count = (level) => findings.filter((f) => f.Level === level).length;
for (const f of findings) {
  console.log(`${f.Filename}:${f.Location.Start.LineNumber}:${f.Location.Start.ColumnNumber} ${f.Level} ${f.Rule.Id} ${f.Message} (${f.Location.Path.join('/')})`);
}
const errors = count('Error');
const warnings = count('Warning');
console.log(`${version.stdout.trim()}: ${templates.length} template(s), ${errors} error(s), ${warnings} warning(s), ${findings.length - errors - warnings} informational; settings in ${config}`);
process.exit(errors > 0 || (strict && warnings > 0) ? 1 : 0);
