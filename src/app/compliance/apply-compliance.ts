import { Stage, Validations } from 'aws-cdk-lib';
import { ControlTowerPlugin } from './control-tower';
import { GuardrailsPlugin } from './guardrails-plugin';
import { nagPacks } from './nag-packs';
import { NetworkMode } from '../../config/enums';
import { ResolvedConfig } from '../../config/resolved';
import { NetworkAuditOptions } from '../../core/templates/network-audit';

/** CDK context key that turns the Control Tower controls off (`cdk synth -c aidlc:controlTower=false`). */
export const CONTROL_TOWER_CONTEXT_KEY = 'aidlc:controlTower';

/**
 * Options of `applyCompliance`.
 */
export interface ComplianceOptions {
  /**
   * Run the AWS Control Tower proactive controls (cfn-guard) over the synthesized templates.
   * The validator runs a Linux or macOS binary; turn it off where that cannot run.
   * @default - the CDK context value `aidlc:controlTower` when set, else `security.controlTowerControls`
   */
  readonly controlTower?: boolean;
  /**
   * Run this package's least-privilege and network isolation audits at synth.
   * @default true
   */
  readonly guardrails?: boolean;
}

const APPLIED = new WeakSet<Stage>();

function contextFlag(app: Stage, key: string): boolean | undefined {
  const value = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  return !(value === false || String(value).toLowerCase() === 'false');
}

/**
 * Registers the compliance checks on an app, so its synth fails on any unacknowledged finding:
 * the cdk-nag packs of `config.security.compliancePacks`, the AWS Control Tower proactive
 * controls (minus `APP_WIDE_DISABLED_CONTROLS`), and the least-privilege and network isolation
 * audits. Acknowledge a finding on the construct it concerns with
 * `Validations.of(construct).acknowledge({ id, reason })`. Applies once per app; later calls
 * change nothing.
 */
export function applyCompliance(app: Stage, config: ResolvedConfig, options: ComplianceOptions = {}): void {
  // Once per app: a second call (the app's own and a test's) must not run every check twice.
  if (APPLIED.has(app)) return;
  APPLIED.add(app);
  const validations = Validations.of(app);
  validations.addPlugins(...nagPacks(app, config.security.compliancePacks));
  if (options.controlTower ?? contextFlag(app, CONTROL_TOWER_CONTEXT_KEY) ?? config.security.controlTowerControls) {
    validations.addPlugins(new ControlTowerPlugin());
  }
  if (options.guardrails ?? true) {
    validations.addPlugins(new GuardrailsPlugin(networkAuditOptions(config)));
  }
}

/** What the network audit expects of an app with this config. */
export function networkAuditOptions(config: ResolvedConfig): NetworkAuditOptions {
  const network = config.network;
  if (!network || network.mode === NetworkMode.NONE) return {};
  return { vpcConfigured: true, s3EndpointExternal: !network.createEndpoints };
}
