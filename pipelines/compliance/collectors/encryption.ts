import { JobKind, SageMakerJob } from '../../../src/core/templates/sagemaker-jobs';
import { LocatedResource, asList, getPath, isRecord, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromResource, referencedId } from '../evidence';

const SSE = 'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault';

function buckets(ctx: EvidenceContext, out: ControlEvidence): void {
  for (const b of resourcesOf(ctx.stacks, 'AWS::S3::Bucket')) {
    const rule = asList(getPath(b.properties, 'BucketEncryption.ServerSideEncryptionConfiguration'))[0];
    const sse = isRecord(rule) ? rule.ServerSideEncryptionByDefault : undefined;
    const algorithm = getPath(sse, 'SSEAlgorithm');
    if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
      out.evidence.push(fromResource(b, `${SSE}.KMSMasterKeyID`, getPath(sse, 'KMSMasterKeyID') ?? '(AWS managed key)', `SSE-KMS (${String(algorithm)})`));
    } else if (algorithm === 'AES256') {
      out.evidence.push(fromResource(b, `${SSE}.SSEAlgorithm`, algorithm, 'SSE-S3: S3-managed keys, not a customer key'));
    } else {
      out.exceptions.push(fromResource(b, 'BucketEncryption', 'not set', 'no default encryption declared'));
    }
  }
}

function byProperty(ctx: EvidenceContext, out: ControlEvidence, type: string, property: string, what: string): void {
  for (const r of resourcesOf(ctx.stacks, type)) {
    const value = getPath(r.properties, property);
    if (value !== undefined && value !== false) out.evidence.push(fromResource(r, property, value, what));
    else out.exceptions.push(fromResource(r, property, 'not set', `${what}: missing`));
  }
}

function keys(ctx: EvidenceContext, out: ControlEvidence): void {
  for (const k of resourcesOf(ctx.stacks, 'AWS::KMS::Key')) {
    if (k.properties.EnableKeyRotation === true) out.evidence.push(fromResource(k, 'EnableKeyRotation', true, 'customer managed key, rotated yearly'));
    else out.exceptions.push(fromResource(k, 'EnableKeyRotation', k.properties.EnableKeyRotation ?? 'not set', 'customer managed key without rotation'));
  }
}

function queues(ctx: EvidenceContext, out: ControlEvidence): void {
  for (const q of resourcesOf(ctx.stacks, 'AWS::SQS::Queue')) {
    if (q.properties.KmsMasterKeyId !== undefined) out.evidence.push(fromResource(q, 'KmsMasterKeyId', q.properties.KmsMasterKeyId, 'queue encrypted with KMS'));
    else if (q.properties.SqsManagedSseEnabled === true) out.evidence.push(fromResource(q, 'SqsManagedSseEnabled', true, 'queue encrypted with SQS-managed keys'));
    else out.exceptions.push(fromResource(q, 'KmsMasterKeyId', 'not set', 'queue encryption not declared'));
  }
}

/** Where each job kind names its output and volume keys. */
const JOB_KEYS: Record<JobKind, string[]> = {
  [JobKind.TRAINING]: ['OutputDataConfig.KmsKeyId', 'ResourceConfig.VolumeKmsKeyId'],
  [JobKind.TUNING]: ['TrainingJobDefinition.OutputDataConfig.KmsKeyId', 'TrainingJobDefinition.ResourceConfig.VolumeKmsKeyId'],
  [JobKind.PROCESSING]: ['ProcessingOutputConfig.KmsKeyId', 'ProcessingResources.ClusterConfig.VolumeKmsKeyId'],
  [JobKind.MONITORING]: [
    'DataQualityJobOutputConfig.KmsKeyId', 'ModelQualityJobOutputConfig.KmsKeyId', 'ModelBiasJobOutputConfig.KmsKeyId',
    'ModelExplainabilityJobOutputConfig.KmsKeyId', 'MonitoringOutputConfig.KmsKeyId',
    'JobResources.ClusterConfig.VolumeKmsKeyId', 'MonitoringResources.ClusterConfig.VolumeKmsKeyId',
  ],
};

function jobs(ctx: EvidenceContext, out: ControlEvidence): void {
  for (const job of ctx.jobs.jobs) {
    const found = JOB_KEYS[job.kind].filter((p) => getPath(job.request, p) !== undefined);
    for (const p of found) out.evidence.push(fromResource(job.resource, `${job.location}.${p}`, getPath(job.request, p), `${job.kind} job ${job.name}`));
    if (found.length === 0) {
      out.exceptions.push(fromResource(job.resource, job.location, 'no KmsKeyId', `${job.kind} job ${job.name}: outputs and volumes without a customer key`));
    }
  }
}

/** Encryption at rest: buckets, keys, logs, topics, queues, endpoint volumes, job outputs, pipeline artifacts. */
export function encryptionAtRest(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  buckets(ctx, out);
  keys(ctx, out);
  byProperty(ctx, out, 'AWS::Logs::LogGroup', 'KmsKeyId', 'log group encrypted with a customer key');
  byProperty(ctx, out, 'AWS::SNS::Topic', 'KmsMasterKeyId', 'topic encrypted with KMS');
  queues(ctx, out);
  byProperty(ctx, out, 'AWS::SageMaker::EndpointConfig', 'KmsKeyId', 'endpoint instance storage encrypted');
  byProperty(ctx, out, 'AWS::CodeBuild::Project', 'EncryptionKey', 'build artifacts encrypted');
  byProperty(ctx, out, 'AWS::SecretsManager::Secret', 'KmsKeyId', 'secret encrypted with a customer key');
  for (const p of resourcesOf(ctx.stacks, 'AWS::CodePipeline::Pipeline')) {
    const stores = p.properties.ArtifactStore ? [['ArtifactStore', p.properties.ArtifactStore]] : asList(p.properties.ArtifactStores).map((s, i) => [`ArtifactStores[${i}].ArtifactStore`, getPath(s, 'ArtifactStore')]);
    for (const [where, store] of stores as Array<[string, unknown]>) {
      const key = getPath(store, 'EncryptionKey.Id');
      if (key !== undefined) out.evidence.push(fromResource(p, `${where}.EncryptionKey.Id`, key, 'pipeline artifacts encrypted with a customer key'));
      else out.exceptions.push(fromResource(p, `${where}.EncryptionKey`, 'not set', 'pipeline artifacts use the default S3 key'));
    }
  }
  jobs(ctx, out);
  return out;
}

/** Deny statements that refuse requests without TLS, keyed by the logical id of the resource they protect. */
function tlsOnlyTargets(ctx: EvidenceContext, policyType: string, targetProperty: string): Map<string, LocatedResource> {
  const protectedIds = new Map<string, LocatedResource>();
  for (const policy of resourcesOf(ctx.stacks, policyType)) {
    const statements = asList(getPath(policy.properties, 'PolicyDocument.Statement'));
    const deniesPlainHttp = statements.some((s) => isRecord(s) && s.Effect === 'Deny'
      && String(getPath(s, 'Condition.Bool.aws:SecureTransport')) === 'false');
    if (!deniesPlainHttp) continue;
    for (const target of asList(policy.properties[targetProperty])) {
      const id = referencedId(target);
      if (id) protectedIds.set(`${policy.stack}/${id}`, policy);
    }
  }
  return protectedIds;
}

function tlsOnly(ctx: EvidenceContext, out: ControlEvidence, type: string, policyType: string, targetProperty: string, what: string): void {
  const targets = tlsOnlyTargets(ctx, policyType, targetProperty);
  for (const r of resourcesOf(ctx.stacks, type)) {
    const policy = targets.get(`${r.stack}/${r.logicalId}`);
    if (policy) out.evidence.push(fromResource(policy, 'PolicyDocument.Statement[Deny].Condition.Bool', 'aws:SecureTransport=false', `${what} ${r.logicalId} refuses requests without TLS`));
    else out.exceptions.push(fromResource(r, policyType, 'no TLS-only deny', `${what} accepts requests without TLS`));
  }
}

function instanceCount(job: SageMakerJob): number {
  const count = getPath(job.request, job.kind === JobKind.PROCESSING ? 'ProcessingResources.ClusterConfig.InstanceCount' : 'ResourceConfig.InstanceCount');
  return typeof count === 'number' ? count : 1;
}

/** Encryption in transit: TLS-only resource policies, API TLS versions, and encrypted traffic between job containers. */
export function encryptionInTransit(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  tlsOnly(ctx, out, 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'Bucket', 'bucket');
  tlsOnly(ctx, out, 'AWS::SNS::Topic', 'AWS::SNS::TopicPolicy', 'Topics', 'topic');
  tlsOnly(ctx, out, 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'Queues', 'queue');
  for (const api of resourcesOf(ctx.stacks, 'AWS::ApiGateway::RestApi')) {
    const policy = api.properties.SecurityPolicy;
    // Without a security policy a regional API accepts TLS 1.0.
    if (typeof policy === 'string' && policy !== 'TLS_1_0') out.evidence.push(fromResource(api, 'SecurityPolicy', policy, `API ${String(api.properties.Name ?? api.logicalId)} refuses TLS below 1.2`));
    else out.exceptions.push(fromResource(api, 'SecurityPolicy', policy ?? 'not set (TLS_1_0)', 'API accepts TLS 1.0'));
  }
  for (const job of ctx.jobs.jobs) {
    const encrypted = job.network.enableInterContainerTrafficEncryption;
    const property = `${job.location}${job.network.at ? `.${job.network.at}` : ''}.EnableInterContainerTrafficEncryption`;
    if (encrypted === true) out.evidence.push(fromResource(job.resource, property, true, `${job.kind} job ${job.name}: traffic between instances encrypted`));
    else if (instanceCount(job) > 1) out.exceptions.push(fromResource(job.resource, property, encrypted ?? 'not set', `${job.kind} job ${job.name} runs on several instances without encrypted traffic between them`));
  }
  return out;
}
