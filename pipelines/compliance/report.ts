import { leastPrivilege } from './collectors/access';
import { accessAuditing } from './collectors/auditing';
import { encryptionAtRest, encryptionInTransit } from './collectors/encryption';
import { changeManagement, dataLineage, modelVersioning } from './collectors/governance';
import { backup, retention } from './collectors/lifecycle';
import { networkIsolation } from './collectors/network';
import { incidentResponse, modelMonitoring } from './collectors/operations';
import { CONTROLS, Control, ControlId } from './controls';
import { ControlEvidence, Evidence, EvidenceContext, evidenceContext } from './evidence';
import type { ResolvedConfig } from '../../src/core/resolved';
import { StackTemplate } from '../../src/core/templates/template';

/**
 * `met`: the templates show the control and nothing contradicts it. `partial`: they show it, but
 * some resources lack it (the exceptions). `gap`: the templates do not show it; config values
 * alone state intent, not fact.
 */
export type ControlStatus = 'met' | 'partial' | 'gap';

export interface ControlResult {
  readonly control: Control;
  readonly status: ControlStatus;
  readonly evidence: Evidence[];
  readonly exceptions: Evidence[];
}

export interface ComplianceReport {
  /** The model, when a config was given. */
  readonly modelName?: string;
  readonly stacks: string[];
  readonly controls: ControlResult[];
  /** The packs that run at synth, when a config was given. */
  readonly compliancePacks?: string[];
  /** Why the workloads run without a VPC, when the config opts out of the network. */
  readonly networkOptOut?: string;
}

const COLLECTORS: Record<ControlId, (ctx: EvidenceContext) => ControlEvidence> = {
  'encryption-at-rest': encryptionAtRest,
  'encryption-in-transit': encryptionInTransit,
  'access-auditing': accessAuditing,
  'data-lineage': dataLineage,
  'model-versioning': modelVersioning,
  'change-management': changeManagement,
  'least-privilege': leastPrivilege,
  'retention': retention,
  'backup': backup,
  'incident-response': incidentResponse,
  'model-monitoring': modelMonitoring,
  'network-isolation': networkIsolation,
};

export function controlStatus(found: ControlEvidence): ControlStatus {
  if (!found.evidence.some((e) => e.source === 'cdk.out')) return 'gap';
  return found.exceptions.length > 0 ? 'partial' : 'met';
}

/** Maps every control to its evidence in the templates and the config. */
export function buildComplianceReport(stacks: readonly StackTemplate[], config?: ResolvedConfig): ComplianceReport {
  const ctx = evidenceContext(stacks, config);
  const controls = CONTROLS.map((control) => {
    const found = COLLECTORS[control.id](ctx);
    return { control, status: controlStatus(found), evidence: found.evidence, exceptions: found.exceptions };
  });
  return {
    modelName: config?.modelName,
    stacks: stacks.map((s) => s.stackName),
    controls,
    compliancePacks: config ? [...config.security.compliancePacks] : undefined,
    ...(config?.network?.mode === 'NONE' ? { networkOptOut: config.network.optOutReason ?? '' } : {}),
  };
}

/** Controls that are not met: gaps, and partial controls (they have exceptions). */
export function unmetControls(report: ComplianceReport): ControlResult[] {
  return report.controls.filter((c) => c.status !== 'met');
}
