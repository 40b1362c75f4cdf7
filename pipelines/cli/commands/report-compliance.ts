import { existsSync } from 'node:fs';
import type { ResolvedConfig } from '../../../src/core/resolved';
import { CONFIG_SNAPSHOT_FILE, readConfigSnapshot } from '../../../src/core/snapshot/config-snapshot';
import { readCloudAssembly } from '../../../src/core/templates/template';
import { renderComplianceReport } from '../../compliance/markdown';
import { buildComplianceReport, unmetControls } from '../../compliance/report';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

const DEFAULTS = { cdkOut: 'cdk.out', config: CONFIG_SNAPSHOT_FILE, out: 'docs/compliance-report.md' };

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

/** The resolved config; without `--config`, a missing default only narrows the report to cdk.out. */
function configOf(flags: Flags, io: CliIo): ResolvedConfig | undefined {
  const given = flags.string('config');
  const config = readConfigSnapshot(given ?? DEFAULTS.config, io.readText);
  if (config) return config;
  if (given !== undefined) {
    throw new UsageError({ path: '--config', value: given, message: 'does not exist', fix: `pass the resolved config of the repository (${CONFIG_SNAPSHOT_FILE})` });
  }
  io.err(`aidlc report compliance: ${DEFAULTS.config} not found, reporting from cdk.out alone`);
  return undefined;
}

/** `aidlc report compliance`. */
export function createReportComplianceCommand(io: CliIo = PROCESS_IO): CliCommand {
  return {
    name: 'report compliance',
    summary: 'Write the compliance report: each control\'s evidence in cdk.out and the config',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, { 'cdk-out': 'string', 'config': 'string', 'out': 'string', 'fail-on-gap': 'boolean' });
      const cdkOut = flags.string('cdk-out') ?? DEFAULTS.cdkOut;
      const out = flags.string('out') ?? DEFAULTS.out;
      if (!existsSync(cdkOut)) throw new UsageError({ path: '--cdk-out', value: cdkOut, message: 'does not exist', fix: 'run "npx cdk synth" first' });
      const stacks = readCloudAssembly(cdkOut);
      if (stacks.length === 0) throw new UsageError({ path: '--cdk-out', value: cdkOut, message: 'holds no stack templates', fix: 'run "npx cdk synth" first' });
      const config = configOf(flags, io);

      const report = buildComplianceReport(stacks, config);
      io.writeText(out, renderComplianceReport(report));

      const unmet = unmetControls(report);
      const lines = report.controls.map((c) => `  ${c.status.padEnd(7)} ${c.control.title} (${c.evidence.length} evidence, ${c.exceptions.length} exceptions)`);
      io.out(`compliance report of ${stacks.length} stack(s) -> ${out}\n${lines.join('\n')}`);
      if (flags.boolean('fail-on-gap') && unmet.length > 0) {
        io.err(`aidlc report compliance: ${unmet.length} control(s) not met: ${unmet.map((c) => c.control.title).join(', ')}`);
        return EXIT.VERDICT;
      }
      return EXIT.OK;
    },
  };
}

export const reportComplianceCommand = createReportComplianceCommand();
