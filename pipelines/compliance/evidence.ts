import type { ResolvedConfig } from '../../src/core/resolved';
import { IamAuditResult, auditIam } from '../../src/core/templates/iam-audit';
import { SageMakerJobScan, findSageMakerJobs } from '../../src/core/templates/sagemaker-jobs';
import { LocatedResource, StackTemplate, renderValue } from '../../src/core/templates/template';

/** One fact that shows a control in place, or (as an exception) one place where it is missing. */
export interface Evidence {
  /** `cdk.out` (a synthesized template) or `config` (`pipelines/aidlc.json`). */
  readonly source: 'cdk.out' | 'config';
  readonly stack?: string;
  readonly logicalId?: string;
  readonly resourceType?: string;
  /** Property path inside the resource, or the config path. */
  readonly property: string;
  /** The value, rendered (references as `${LogicalId}`). */
  readonly value: string;
  /** What the value shows, when the property alone does not say it. */
  readonly note?: string;
}

/** What a collector found for one control. */
export interface ControlEvidence {
  readonly evidence: Evidence[];
  readonly exceptions: Evidence[];
}

/** Everything a collector may read, computed once. */
export interface EvidenceContext {
  readonly stacks: readonly StackTemplate[];
  /** The resolved config, when the report was given one. */
  readonly config?: ResolvedConfig;
  readonly jobs: SageMakerJobScan;
  readonly iam: IamAuditResult;
}

export function evidenceContext(stacks: readonly StackTemplate[], config?: ResolvedConfig): EvidenceContext {
  return { stacks, config, jobs: findSageMakerJobs(stacks), iam: auditIam(stacks) };
}

/** A value as one short line. */
export function show(value: unknown): string {
  const rendered = renderValue(value);
  if (rendered !== undefined) return rendered;
  const json = JSON.stringify(value) ?? 'undefined';
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** Evidence from a template resource. */
export function fromResource(r: LocatedResource, property: string, value: unknown, note?: string): Evidence {
  return { source: 'cdk.out', stack: r.stack, logicalId: r.logicalId, resourceType: r.type, property, value: show(value), ...(note ? { note } : {}) };
}

/** Evidence from the resolved config. */
export function fromConfig(property: string, value: unknown, note?: string): Evidence {
  return { source: 'config', property, value: show(value), ...(note ? { note } : {}) };
}

/** An empty result to fill. */
export function collect(): ControlEvidence {
  return { evidence: [], exceptions: [] };
}

/** The logical id a `${LogicalId}` or `${LogicalId.Attr}` placeholder names. */
export function referencedId(value: unknown): string | undefined {
  return /^\$\{([^.}:]+)(\.[^}]+)?\}$/.exec(renderValue(value) ?? '')?.[1];
}
