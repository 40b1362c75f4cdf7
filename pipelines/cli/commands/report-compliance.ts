import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { ResolvedConfig } from '../../../src/config/resolved';
import { readCloudAssembly } from '../../../src/core/templates/template';
import { renderComplianceReport } from '../../compliance/markdown';
import { buildComplianceReport, unmetControls } from '../../compliance/report';
import { CliCommand, EXIT, UsageError } from '../command';

const DEFAULTS = { cdkOut: 'cdk.out', config: 'pipelines/aidlc.json', out: 'docs/compliance-report.md' };

const USAGE = `Usage: aidlc report compliance [--cdk-out DIR] [--config FILE] [--out FILE] [--fail-on-gap]

Maps each control (encryption at rest and in transit, access auditing, data lineage, model
versioning, change management, least privilege, retention, backup, incident response, model
monitoring) to its evidence in the synthesized templates and the resolved config, for GDPR,
HIPAA, SOC 2 and PCI DSS, and writes it as Markdown. Run "npx cdk synth" first.

Options:
  --cdk-out DIR     the cloud assembly to read (default: ${DEFAULTS.cdkOut})
  --config FILE     the resolved config (default: ${DEFAULTS.config}; skipped when the default is absent)
  --out FILE        where to write the report (default: ${DEFAULTS.out})
  --fail-on-gap     exit 1 when a control has no evidence in cdk.out or has exceptions

Exit codes: 0 written, 1 written with gaps under --fail-on-gap, 2 unusable input or usage.`;

function loadConfig(file: string, explicit: boolean): ResolvedConfig | undefined {
  if (!existsSync(file)) {
    if (explicit) throw new UsageError(`config file ${file} not found`);
    process.stderr.write(`aidlc report compliance: ${file} not found, reporting from cdk.out alone\n`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const c = parsed as Partial<ResolvedConfig>;
  if (typeof c.modelName !== 'string' || !c.security || !c.data || !c.monitoring || !c.deployment || !c.training || !c.github) {
    throw new UsageError(`${file} is not a resolved aidlc config (pipelines/aidlc.json written by npx projen)`);
  }
  return c as ResolvedConfig;
}

function options(argv: string[]): { 'cdk-out'?: string; 'config'?: string; 'out'?: string; 'fail-on-gap'?: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { 'cdk-out': { type: 'string' }, 'config': { type: 'string' }, 'out': { type: 'string' }, 'fail-on-gap': { type: 'boolean' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return values;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

export const reportComplianceCommand: CliCommand = {
  name: 'report compliance',
  summary: 'Write the compliance report: each control\'s evidence in cdk.out and the config',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const o = options(argv);
    const cdkOut = typeof o['cdk-out'] === 'string' ? o['cdk-out'] : DEFAULTS.cdkOut;
    const out = typeof o.out === 'string' ? o.out : DEFAULTS.out;
    if (!existsSync(cdkOut)) throw new UsageError(`${cdkOut} not found: run "npx cdk synth" first`);
    const stacks = readCloudAssembly(cdkOut);
    if (stacks.length === 0) throw new UsageError(`${cdkOut} holds no stack templates: run "npx cdk synth" first`);
    const config = loadConfig(typeof o.config === 'string' ? o.config : DEFAULTS.config, typeof o.config === 'string');

    const report = buildComplianceReport(stacks, config);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderComplianceReport(report));

    const unmet = unmetControls(report);
    const lines = report.controls.map((c) => `  ${c.status.padEnd(7)} ${c.control.title} (${c.evidence.length} evidence, ${c.exceptions.length} exceptions)`);
    process.stdout.write(`compliance report of ${stacks.length} stack(s) -> ${out}\n${lines.join('\n')}\n`);
    if (o['fail-on-gap'] === true && unmet.length > 0) {
      process.stderr.write(`aidlc report compliance: ${unmet.length} control(s) not met: ${unmet.map((c) => c.control.title).join(', ')}\n`);
      return EXIT.VERDICT;
    }
    return EXIT.OK;
  },
};
