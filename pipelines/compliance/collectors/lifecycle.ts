import { asList, getPath, isRecord, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromConfig, fromResource } from '../evidence';

function describeRule(rule: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const t of asList(rule.Transitions)) parts.push(`to ${String(getPath(t, 'StorageClass'))} after ${String(getPath(t, 'TransitionInDays'))} d`);
  if (rule.ExpirationInDays !== undefined) parts.push(`expire after ${String(rule.ExpirationInDays)} d`);
  const legacyDays = rule.NoncurrentVersionExpirationInDays;
  const noncurrent = rule.NoncurrentVersionExpiration ?? (legacyDays !== undefined ? { NoncurrentDays: legacyDays } : undefined);
  if (noncurrent !== undefined) parts.push(`old versions expire after ${String(getPath(noncurrent, 'NoncurrentDays'))} d`);
  if (rule.AbortIncompleteMultipartUpload !== undefined) parts.push('abort incomplete uploads');
  const prefix = rule.Prefix ?? getPath(rule, 'Filter.Prefix');
  return `${prefix ? `${String(prefix)}: ` : ''}${parts.join(', ') || 'rule without actions'}`;
}

/** Retention: bucket lifecycle rules, log group retention, image lifecycle policies. */
export function retention(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const b of resourcesOf(ctx.stacks, 'AWS::S3::Bucket')) {
    const rules = asList(getPath(b.properties, 'LifecycleConfiguration.Rules')).filter((r): r is Record<string, unknown> => isRecord(r) && r.Status === 'Enabled');
    if (rules.length === 0) out.exceptions.push(fromResource(b, 'LifecycleConfiguration', 'no enabled rule', 'objects are kept forever'));
    rules.forEach((r, i) => out.evidence.push(fromResource(b, `LifecycleConfiguration.Rules[${String(r.Id ?? i)}]`, describeRule(r))));
  }
  for (const g of resourcesOf(ctx.stacks, 'AWS::Logs::LogGroup')) {
    if (g.properties.RetentionInDays !== undefined) out.evidence.push(fromResource(g, 'RetentionInDays', g.properties.RetentionInDays, 'log events expire'));
    else out.exceptions.push(fromResource(g, 'RetentionInDays', 'not set', 'log events never expire'));
  }
  for (const r of resourcesOf(ctx.stacks, 'AWS::ECR::Repository')) {
    if (getPath(r.properties, 'LifecyclePolicy.LifecyclePolicyText') !== undefined) out.evidence.push(fromResource(r, 'LifecyclePolicy', 'set', 'old images expire'));
  }
  if (ctx.config) out.evidence.push(fromConfig('data.rawToGlacierDays', ctx.config.data.rawToGlacierDays, 'raw datasets move to Glacier after this many days'));
  return out;
}

/** Backup and recovery: object versioning, replication, backup plans, resources kept when a stack goes. */
export function backup(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const b of resourcesOf(ctx.stacks, 'AWS::S3::Bucket')) {
    const status = getPath(b.properties, 'VersioningConfiguration.Status');
    if (status === 'Enabled') out.evidence.push(fromResource(b, 'VersioningConfiguration.Status', status, 'overwritten and deleted objects recoverable'));
    else out.exceptions.push(fromResource(b, 'VersioningConfiguration.Status', status ?? 'not set', 'no object versioning'));
    if (b.properties.ReplicationConfiguration !== undefined) out.evidence.push(fromResource(b, 'ReplicationConfiguration', 'set', 'replicated'));
    if (b.resource.DeletionPolicy === 'Retain' || b.resource.DeletionPolicy === 'RetainExceptOnCreate') {
      out.evidence.push(fromResource(b, 'DeletionPolicy', b.resource.DeletionPolicy, 'kept when the stack is deleted'));
    }
  }
  for (const k of resourcesOf(ctx.stacks, 'AWS::KMS::Key')) {
    if (k.resource.DeletionPolicy === 'Retain' || k.properties.PendingWindowInDays !== undefined) {
      out.evidence.push(fromResource(k, k.resource.DeletionPolicy === 'Retain' ? 'DeletionPolicy' : 'PendingWindowInDays', k.resource.DeletionPolicy === 'Retain' ? 'Retain' : k.properties.PendingWindowInDays, 'the key outlives the data it protects'));
    }
  }
  for (const p of resourcesOf(ctx.stacks, 'AWS::Backup::BackupPlan')) {
    out.evidence.push(fromResource(p, 'BackupPlan.BackupPlanName', getPath(p.properties, 'BackupPlan.BackupPlanName'), 'AWS Backup plan'));
  }
  return out;
}
