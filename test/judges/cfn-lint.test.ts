import { execFile, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { AidlcApp } from '../../src/app/aidlc-app';
import { ResolvedConfig } from '../../src/config';
import { CFN_LINT_SUPPRESSIONS, renderCfnLintConfig } from '../../src/project/files/cfn-lint';
import { judgedConfigs } from '../support/judged-configs';

/**
 * cfn-lint, AWS's CloudFormation linter, on every template the app synthesizes for each judged
 * config, through the script and settings a generated repository's build uses
 * (`scripts/cfn-lint.mjs`, `.cfnlintrc.yaml`): no error, and no warning that is not suppressed
 * with a reason. Stacks and resources added to the app are judged without a change here.
 */
jest.setTimeout(600_000);

const SCRIPT = join(__dirname, '..', '..', 'templates', 'scripts', 'cfn-lint.mjs');
const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf-8' });
const installed = version.status === 0;
if (!installed) console.log('cfn-lint is not on PATH (scripts/install.sh installs it with pip where PyPI is reachable): the cfn-lint judge is skipped');

interface Synthesized {
  readonly name: string;
  readonly config: ResolvedConfig;
  readonly dir: string;
  readonly settings: string;
  readonly stacks: number;
}

function synthesize(name: string, config: ResolvedConfig): Synthesized {
  const dir = mkdtempSync(join(tmpdir(), `aidlc-cfn-lint-${name}-`));
  const assembly = new AidlcApp({ config, outdir: join(dir, 'cdk.out') }).synth();
  const settings = join(dir, '.cfnlintrc.yaml');
  writeFileSync(settings, renderCfnLintConfig(config));
  return { name, config, dir, settings, stacks: assembly.stacks.length };
}

/** A copy of the app's first template with a property CloudFormation does not know; returns the resource's id. */
function breakTemplate(app: Synthesized): string {
  const file = readdirSync(join(app.dir, 'cdk.out')).find((f) => f.endsWith('.template.json'))!;
  const template = JSON.parse(readFileSync(join(app.dir, 'cdk.out', file), 'utf-8'));
  const [id, resource] = Object.entries<{ Properties?: Record<string, unknown> }>(template.Resources)[0];
  resource.Properties = { ...resource.Properties, NotAProperty: 1 };
  writeFileSync(join(app.dir, 'broken.template.json'), JSON.stringify(template, null, 1));
  return id;
}

const run = promisify(execFile);

/** The script's exit code and output. */
async function lint(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('node', [SCRIPT, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

(installed ? describe : describe.skip)(`${version.stdout?.trim()} on every synthesized template`, () => {
  let apps: Synthesized[];
  let results: Array<{ code: number; out: string }>;
  let unsuppressed: { code: number; out: string };
  let broken: { code: number; out: string; id: string };

  beforeAll(async () => {
    apps = judgedConfigs().map(({ name, config }) => synthesize(name, config));
    const first = apps[0];
    const id = breakTemplate(first);
    const noSuppressions = join(first.dir, 'unsuppressed.yaml');
    writeFileSync(noSuppressions, `regions:\n  - ${first.config.aws.region}\n`);
    // One cfn-lint per config (each against its own region), and the two checks of the judge itself, side by side.
    [unsuppressed, broken, ...results] = await Promise.all([
      lint(['--config', noSuppressions, 'cdk.out'], first.dir),
      lint(['--config', first.settings, 'broken.template.json'], first.dir).then((r) => ({ ...r, id })),
      ...apps.map((a) => lint(['--strict', '--config', a.settings, 'cdk.out'], a.dir)),
    ]);
  });

  test.each(judgedConfigs().map((c, i) => [c.name, i]))('%s: no error and no unsuppressed warning', (_name, i) => {
    const app = apps[i as number];
    const templates = readdirSync(join(app.dir, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
    expect(templates).toHaveLength(app.stacks);
    expect(results[i as number]).toEqual({
      code: 0,
      out: expect.stringMatching(new RegExp(`: ${app.stacks} template\\(s\\), 0 error\\(s\\), 0 warning\\(s\\), 0 informational;`)),
    });
  });

  test('each suppressed warning still arises: a suppression that no longer applies is removed', () => {
    for (const { rule } of CFN_LINT_SUPPRESSIONS) expect(unsuppressed.out).toMatch(new RegExp(`Warning ${rule} `));
  });

  test('the linter is live: a property CloudFormation does not know is an error', () => {
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(new RegExp(`Error E3002 .*NotAProperty.* \\(Resources/${broken.id}/Properties/NotAProperty\\)`));
  });
});
