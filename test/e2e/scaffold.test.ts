/**
 * End to end: pack this package, scaffold a repository from the tarball with `projen new --from`,
 * build it, run every other task a user may run offline, change the config and regenerate, then
 * break the config and check that nothing was written. Needs a compiled package (`npx projen
 * compile` after `npx projen bundle`).
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { MANIFEST_FILE, generatedFiles, manifestDifferences, parseManifest, renderManifest } from './generated-files';

const ROOT = join(__dirname, '..', '..');
const PROJEN = join(ROOT, 'node_modules', 'projen', 'bin', 'projen');
// Not CI: projen installs a new project with `npm ci` under CI, and a new project has no lockfile yet.
const { CI: _ci, ...parentEnv } = process.env;
// The training tasks need Python with xgboost and scikit-learn: Debian's, which scripts/install.sh installs.
const env = { ...parentEnv, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', PYTHON: '/usr/bin/python3' };
const hasCfnLint = spawnSync('cfn-lint', ['--version']).status === 0;

/**
 * The generated tasks the e2e does not run, and why. Every other task in `.projen/tasks.json` is
 * run, so a task added to the project type is run without a change here.
 */
const NOT_RUN: Record<string, string> = {
  'deploy': 'deploys the stacks: needs an AWS account',
  'destroy': 'deletes deployed stacks: needs an AWS account',
  'diff': 'compares with the deployed stacks: needs an AWS account',
  'watch': 'deploys with hotswap and watches for changes: needs an AWS account, and runs until stopped',
  'test:watch': 'watches for changes until stopped',
  'install': 'installs the dependencies from the npm registry: projen new already did, a second install only repeats it',
  'install:ci': 'installs the dependencies from the npm registry: projen new already did, a second install only repeats it',
  'upgrade': 'asks the npm registry for newer versions and rewrites the dependencies',
  'clobber': 'resets the working tree to origin/<branch> and deletes what is not committed: there is no origin here, and it would wipe the test',
  'eject': 'turns the repository into one projen no longer manages, irreversibly',
};

/** Tasks the named task runs, itself included (spawn steps, transitively). */
function spawned(tasks: Record<string, { steps?: Array<{ spawn?: string }> }>, name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const step of tasks[name]?.steps ?? []) if (step.spawn) spawned(tasks, step.spawn, seen);
  return seen;
}

function run(cwd: string, cmd: string, args: string[]) {
  const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function mustRun(cwd: string, cmd: string, args: string[]): string {
  const r = run(cwd, cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}) in ${cwd}:\n${r.output.slice(-6000)}`);
  return r.output;
}

/** sha256 of every file of the repository except dependencies and build output. */
function snapshot(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (['node_modules', '.git', 'cdk.out', 'coverage', 'test-reports', '.aidlc'].includes(entry)) continue;
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else hashes.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return hashes;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

describe('projen new --from the packed package', () => {
  let work: string;
  let repo: string;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'lib', 'index.js')) || !existsSync(join(ROOT, '.jsii'))) {
      throw new Error('compile the package first: npx projen bundle && npx projen compile');
    }
    work = mkdtempSync(join(tmpdir(), 'aidlc-e2e-'));
    const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, env, encoding: 'utf-8' }).trim().split('\n').pop()!;
    repo = join(work, 'churn');
    execFileSync('mkdir', ['-p', repo]);
    mustRun(repo, 'git', ['init', '-q']);
    mustRun(repo, 'node', [PROJEN, 'new', '--from', `aidlc-pipeline@file:${join(work, tgz)}`,
      '--model-name', 'churn', '--github-repository', 'acme/churn', '--aws-region', 'eu-west-1',
      '--training-instance-type', 'ml.m5.xlarge', '--monitoring-engine', 'BUILTIN', '--no-git']);
  });

  test('the generated .projenrc.ts carries the flags', () => {
    const rc = readFileSync(join(repo, '.projenrc.ts'), 'utf-8');
    expect(rc).toContain('import { AidlcPipelineProject');
    expect(rc).toContain("modelName: 'churn'");
    expect(rc).toContain("githubRepository: 'acme/churn'");
    expect(rc).toContain("awsRegion: 'eu-west-1'");
    expect(rc).toContain("trainingInstanceType: 'ml.m5.xlarge'");
    const config = JSON.parse(readFileSync(join(repo, 'pipelines', 'aidlc.json'), 'utf-8'));
    expect(config.aws.region).toBe('eu-west-1');
  });

  test('npx projen build passes: gate, compile, tests, synth of every stack, cfn-lint on every template', () => {
    const output = mustRun(repo, 'npx', ['projen', 'build']);
    const stacks = readdirSync(join(repo, 'cdk.out')).filter((f) => f.endsWith('.template.json')).sort();
    expect(stacks).toEqual([
      'churn-data.template.json', 'churn-delivery.template.json', 'churn-monitoring.template.json', 'churn-network.template.json',
      'churn-serving-prod.template.json', 'churn-serving-staging.template.json', 'churn-training.template.json',
    ]);
    expect(existsSync(join(repo, 'data', 'baseline-profile.json'))).toBe(true);
    if (hasCfnLint) expect(output).toMatch(/cfn-lint [\d.]+: 7 template\(s\), 0 error\(s\), 0 warning\(s\), 0 informational; settings in \.cfnlintrc\.yaml/);
    else expect(output).toContain('cfn-lint is not installed: the templates in cdk.out were not linted.');
    // The default network: a VPC of its own, no way out, the workloads in it, and the report showing it.
    const network = readFileSync(join(repo, 'cdk.out', 'churn-network.template.json'), 'utf-8');
    expect(network).toContain('"AWS::EC2::VPC"');
    expect(network).not.toContain('"AWS::EC2::InternetGateway"');
    expect(readFileSync(join(repo, 'cdk.out', 'churn-training.template.json'), 'utf-8')).toContain('VpcConfig');
    expect(readFileSync(join(repo, 'docs', 'compliance-report.md'), 'utf-8')).toContain('### Network isolation: ');
  });

  test('the generated repository is the one the manifest records, byte for byte', () => {
    const actual = generatedFiles(repo);
    if (process.env.AIDLC_E2E_WRITE_MANIFEST === '1') {
      writeFileSync(MANIFEST_FILE, renderManifest(actual));
      console.log(`wrote ${MANIFEST_FILE} (${actual.size} files): review its diff`);
      return;
    }
    const differences = manifestDifferences(parseManifest(readFileSync(MANIFEST_FILE, 'utf-8')), actual);
    // After a deliberate change to what the package generates: AIDLC_E2E_WRITE_MANIFEST=1 npx projen test:e2e.
    expect(differences).toEqual([]);
  });

  test('every other task a user can run offline runs, on the projen that projen new installed', () => {
    const projen = JSON.parse(readFileSync(join(repo, 'node_modules', 'projen', 'package.json'), 'utf-8')).version;
    const tasks = JSON.parse(readFileSync(join(repo, '.projen', 'tasks.json'), 'utf-8')).tasks;
    const names = Object.keys(tasks).sort();
    expect(Object.keys(NOT_RUN).filter((t) => !names.includes(t))).toEqual([]); // a task the list names that no longer exists
    const byBuild = spawned(tasks, 'build');
    const toRun = names.filter((t) => !byBuild.has(t) && NOT_RUN[t] === undefined);
    expect(toRun).toEqual(expect.arrayContaining(['train:local', 'typecheck', 'eslint', 'synth:silent']));
    const failed: string[] = [];
    const timings: string[] = [];
    for (const task of toRun) {
      const started = Date.now();
      const r = run(repo, 'npx', ['projen', task]);
      timings.push(`${task} ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (r.status !== 0) failed.push(`npx projen ${task} failed (${r.status}):\n${r.output.slice(-3000)}`);
    }
    console.log(`projen ${projen}: ran by the build: ${[...byBuild].sort().join(', ')}\nran on their own: ${timings.join(', ')}\nnot run: ${Object.keys(NOT_RUN).join(', ')}`);
    expect(failed).toEqual([]);
    // train:local left the results of each step the SageMaker pipeline runs.
    const evaluation = JSON.parse(readFileSync(join(repo, '.aidlc', 'local', 'evaluation', 'evaluation.json'), 'utf-8'));
    expect(evaluation.binary_classification_metrics.auc.value).toBeGreaterThan(0.5);
    expect(existsSync(join(repo, '.aidlc', 'local', 'model.tar.gz'))).toBe(true);
  });

  test('an imported VPC: a second projen and cdk synth of the same repository, checked by every pack', () => {
    const rcPath = join(repo, '.projenrc.ts');
    const original = readFileSync(rcPath, 'utf-8');
    const imported = original
      .replace(/import \{ AidlcPipelineProject([^}]*)\} from 'aidlc-pipeline';/, "import { AidlcPipelineProject$1, NetworkMode } from 'aidlc-pipeline';")
      .replace("modelName: 'churn',", `modelName: 'churn',
  network: {
    mode: NetworkMode.IMPORT_VPC,
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    vpcCidr: '10.20.0.0/16',
    subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    endpointCidrs: ['10.100.0.0/24'],
  },
  serving: { api: { vpcEndpointIds: ['vpce-0c1b2c3d4e5f67890'] } },`);
    expect(imported).not.toBe(original);
    writeFileSync(rcPath, imported);
    try {
      mustRun(repo, 'npx', ['projen']);
      const config = JSON.parse(readFileSync(join(repo, 'pipelines', 'aidlc.json'), 'utf-8'));
      expect(config.network).toMatchObject({ mode: 'IMPORT_VPC', vpcId: 'vpc-0a1b2c3d4e5f67890', createEndpoints: false, s3PrefixListId: 'pl-6da54004' });
      expect(readFileSync(join(repo, 'pipelines', 'sagemaker-pipeline.json'), 'utf-8')).toContain('"subnet-0b1b2c3d4e5f67890"');
      expect(readFileSync(join(repo, '.github', 'workflows', 'pipeline.yml'), 'utf-8')).toContain('--progress events churn-data churn-training churn-delivery');
      execFileSync('rm', ['-rf', join(repo, 'cdk.out')]);
      mustRun(repo, 'npx', ['cdk', 'synth', '-q']);
      const stacks = readdirSync(join(repo, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
      expect(stacks).not.toContain('churn-network.template.json');
      const data = readFileSync(join(repo, 'cdk.out', 'churn-data.template.json'), 'utf-8');
      expect(data).toContain('"subnet-0a1b2c3d4e5f67890"');
      expect(data).toMatch(/"aws:SourceVpc": \[\s*"vpc-0a1b2c3d4e5f67890"/);
      expect(data).toContain('"CidrIp": "10.100.0.0/24"');
      // The imported VPC's API is private, through the landing zone's execute-api endpoint, and its smoke test runs in the subnets.
      expect(config.serving.api).toMatchObject({ endpointType: 'PRIVATE', vpcEndpointIds: ['vpce-0c1b2c3d4e5f67890'] });
      const serving = JSON.parse(readFileSync(join(repo, 'cdk.out', 'churn-serving-prod.template.json'), 'utf-8'));
      const api = Object.values<any>(serving.Resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi');
      expect(api.Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0c1b2c3d4e5f67890'] });
      const delivery = JSON.parse(readFileSync(join(repo, 'cdk.out', 'churn-delivery.template.json'), 'utf-8'));
      const smoke = Object.values<any>(delivery.Resources).find((r) => r.Type === 'AWS::CodeBuild::Project' && /^Calls a stage's inference API/.test(r.Properties.Description));
      expect(smoke.Properties.VpcConfig).toMatchObject({ VpcId: 'vpc-0a1b2c3d4e5f67890', Subnets: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'] });
      expect(smoke.Properties.Source.BuildSpec).not.toMatch(/npm|npx/);
      expect(readFileSync(join(repo, 'README.md'), 'utf-8')).toContain('The API is **private**');
      // The CLI the Deploy action hands on to the smoke test is there, in the repository's packages.
      expect(existsSync(join(repo, 'node_modules', 'aidlc-pipeline', 'lib', 'assets', 'cli', 'aidlc.js'))).toBe(true);
      expect(existsSync(join(repo, 'node_modules', 'aidlc-pipeline', 'lib', 'assets', 'cli', 'commands', 'smoke-test.js'))).toBe(true);
    } finally {
      writeFileSync(rcPath, original);
      mustRun(repo, 'npx', ['projen']);
    }
  });

  test('editing the config and running projen regenerates what depends on it', () => {
    const before = snapshot(repo);
    const rcPath = join(repo, '.projenrc.ts');
    writeFileSync(rcPath, readFileSync(rcPath, 'utf-8').replace("trainingInstanceType: 'ml.m5.xlarge'", "trainingInstanceType: 'ml.m5.2xlarge'"));
    mustRun(repo, 'npx', ['projen']);
    const after = snapshot(repo);
    const config = JSON.parse(readFileSync(join(repo, 'pipelines', 'aidlc.json'), 'utf-8'));
    expect(config.training.instanceType).toBe('ml.m5.2xlarge');
    expect(changed(before, after)).toEqual(expect.arrayContaining(['.projenrc.ts', 'pipelines/aidlc.json', 'README.md']));
    expect(readFileSync(join(repo, 'README.md'), 'utf-8')).toContain('ml.m5.2xlarge');
  });

  test('an invalid config fails with the field-level message and writes nothing', () => {
    const rcPath = join(repo, '.projenrc.ts');
    writeFileSync(rcPath, readFileSync(rcPath, 'utf-8').replace("trainingInstanceType: 'ml.m5.2xlarge'", "trainingInstanceType: 'm5.2xlarge'"));
    const before = snapshot(repo);
    const result = run(repo, 'npx', ['projen']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('trainingInstanceType = "m5.2xlarge": is not a SageMaker instance type');
    expect(result.output).toContain('Fix: use a SageMaker instance type, e.g. "ml.m5.2xlarge"');
    // The message alone: no stack trace, no source line, no problems array printed again.
    const lines = result.output.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => /^\s+at |problems: \[|^\s+\^$|Node\.js v/.test(l))).toEqual([]);
    // The message (one line and a line per problem) and projen's one line that synthesis failed.
    expect(lines.length <= 4 ? 'short' : result.output).toBe('short');
    expect(changed(before, snapshot(repo))).toEqual([]);
  });
});
