import { MODEL_METADATA_KEYS } from '../../../src/core/model-package-metadata';
import { JobKind, findPipelineSteps } from '../../../src/core/templates/sagemaker-jobs';
import { asList, getPath, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromConfig, fromResource } from '../evidence';

const REGISTER_TYPES = ['RegisterModel', 'RegisterModelPackage'];

/** What a registered model version must record to be traced (of the Register step's metadata keys). */
const PROVENANCE_KEYS: string[] = [
  MODEL_METADATA_KEYS.sourceRevision,
  MODEL_METADATA_KEYS.manifestUri,
  MODEL_METADATA_KEYS.manifestSha256,
  MODEL_METADATA_KEYS.trainingJobArn,
  MODEL_METADATA_KEYS.artifactSha256,
  MODEL_METADATA_KEYS.signature,
];

function buildCommands(project: { properties: Record<string, unknown> }): string {
  const spec = getPath(project.properties, 'Source.BuildSpec');
  return typeof spec === 'string' ? spec : JSON.stringify(spec ?? '');
}

/** Data lineage: what each training job reads, where model versions record their origin, the contract and commit. */
export function dataLineage(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const job of ctx.jobs.jobs.filter((j) => j.kind === JobKind.TRAINING || j.kind === JobKind.PROCESSING)) {
    const channels = job.kind === JobKind.TRAINING ? asList(job.request.InputDataConfig) : asList(job.request.ProcessingInputs);
    channels.forEach((c, i) => {
      const uri = getPath(c, 'DataSource.S3DataSource.S3Uri') ?? getPath(c, 'S3Input.S3Uri');
      if (uri === undefined) return;
      const name = getPath(c, 'ChannelName') ?? getPath(c, 'InputName') ?? i;
      const list = job.kind === JobKind.TRAINING ? 'InputDataConfig' : 'ProcessingInputs';
      out.evidence.push(fromResource(job.resource, `${job.location}.${list}[${i}]`, uri, `${job.kind} job ${job.name} reads input ${String(name)}`));
    });
  }
  const steps = findPipelineSteps(ctx.stacks).steps;
  for (const step of steps.filter((s) => REGISTER_TYPES.includes(s.type))) {
    out.evidence.push(fromResource(step.resource, step.location, step.type, `step ${step.name} registers each model version with the pipeline execution that produced it`));
    const metadata = getPath(step.args, 'CustomerMetadataProperties');
    const recorded = PROVENANCE_KEYS.filter((k) => getPath(metadata, k) !== undefined);
    if (recorded.length === PROVENANCE_KEYS.length) {
      out.evidence.push(fromResource(step.resource, `${step.location}.Arguments.CustomerMetadataProperties`, recorded.join(', '),
        'each version records its commit, dataset manifest and its SHA-256, training job, and the signed SHA-256 of its artifact (aidlc lineage prints the chain)'));
    } else {
      out.exceptions.push(fromResource(step.resource, `${step.location}.Arguments.CustomerMetadataProperties`, recorded.join(', ') || 'none',
        `model versions do not record ${PROVENANCE_KEYS.filter((k) => !recorded.includes(k)).join(', ')}`));
    }
  }
  for (const step of steps.filter((s) => s.type === 'Lambda' && s.name === 'SignArtifact')) {
    out.evidence.push(fromResource(step.resource, step.location, 'Lambda', 'checks the dataset manifest\'s SHA-256, signs the model artifact\'s digest with the model\'s KMS key and records lineage before registration'));
  }
  for (const k of resourcesOf(ctx.stacks, 'AWS::KMS::Key').filter((r) => r.properties.KeyUsage === 'SIGN_VERIFY')) {
    const statements = asList(getPath(k.properties, 'KeyPolicy.Statement'));
    const signers = statements.filter((st) => getPath(st, 'Effect') === 'Allow' && asList(getPath(st, 'Action')).includes('kms:Sign')).length;
    const denied = statements.some((st) => getPath(st, 'Effect') === 'Deny' && asList(getPath(st, 'Action')).includes('kms:Sign'));
    out.evidence.push(fromResource(k, 'KeySpec', k.properties.KeySpec, `model signing key: ${signers} principal(s) may sign${denied ? ', every other is denied' : ''}`));
  }
  for (const p of resourcesOf(ctx.stacks, 'AWS::CodeBuild::Project')) {
    const commands = buildCommands(p);
    if (commands.includes('aidlc gate run')) out.evidence.push(fromResource(p, 'Source.BuildSpec', 'aidlc gate run', 'each run gates the dataset and writes its manifest: every passed object by version, size and SHA-256; failed objects quarantined'));
    if (commands.includes('aidlc model verify')) out.evidence.push(fromResource(p, 'Source.BuildSpec', 'aidlc model verify', 'deployments verify the artifact\'s digest and signature first, and refuse on a mismatch'));
  }
  for (const t of resourcesOf(ctx.stacks, 'AWS::Glue::Table', 'AWS::Glue::Database')) {
    out.evidence.push(fromResource(t, t.type === 'AWS::Glue::Table' ? 'TableInput.Name' : 'DatabaseInput.Name',
      getPath(t.properties, t.type === 'AWS::Glue::Table' ? 'TableInput.Name' : 'DatabaseInput.Name'), 'dataset catalogued in Glue'));
  }
  const c = ctx.config;
  if (c) {
    out.evidence.push(fromConfig('data.contract', `${c.data.contract.columns.length} columns, target ${c.data.contract.targetColumn}`, 'the data contract every dataset passes before training'));
    out.evidence.push(fromConfig('data.s3Prefix', c.data.s3Prefix, 'where datasets live in the raw bucket'));
    out.evidence.push(fromConfig('github.repository', `${c.github.repository}@${c.github.branch}`, 'the chain runs exactly the commit GitHub scanned'));
  }
  return out;
}

/** Model versioning: the model package group, the registration step and its approval status. */
export function modelVersioning(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const g of resourcesOf(ctx.stacks, 'AWS::SageMaker::ModelPackageGroup')) {
    out.evidence.push(fromResource(g, 'ModelPackageGroupName', g.properties.ModelPackageGroupName, 'every registered model is a numbered version in this group'));
  }
  for (const step of findPipelineSteps(ctx.stacks).steps.filter((s) => REGISTER_TYPES.includes(s.type))) {
    const status = getPath(step.args, 'ModelApprovalStatus');
    out.evidence.push(fromResource(step.resource, `${step.location}.Arguments.ModelApprovalStatus`, status ?? 'not set', `step ${step.name}: approval status of new versions`));
  }
  const c = ctx.config;
  if (c) {
    out.evidence.push(fromConfig('training.evaluationMetric', `${c.training.evaluationMetric} ${c.training.metricHigherIsBetter ? '>=' : '<='} ${c.training.metricThreshold}`, 'registration bar'));
  }
  return out;
}

function approvalActions(stage: unknown): string[] {
  return asList(getPath(stage, 'Actions')).filter((a) => getPath(a, 'ActionTypeId.Category') === 'Approval').map((a) => String(getPath(a, 'Name')));
}

/** Change management: pipeline source, approvals, guarded rollouts, rule packs on every synth. */
export function changeManagement(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const p of resourcesOf(ctx.stacks, 'AWS::CodePipeline::Pipeline')) {
    asList(p.properties.Stages).forEach((stage, i) => {
      for (const action of asList(getPath(stage, 'Actions'))) {
        if (getPath(action, 'ActionTypeId.Category') === 'Source') {
          out.evidence.push(fromResource(p, `Stages[${i}].Actions[${String(getPath(action, 'Name'))}].ActionTypeId.Provider`, getPath(action, 'ActionTypeId.Provider'), 'changes enter from source control only'));
        }
      }
      for (const name of approvalActions(stage)) {
        out.evidence.push(fromResource(p, `Stages[${i}].Actions[${name}].ActionTypeId.Category`, 'Approval', `manual approval in stage ${String(getPath(stage, 'Name'))}`));
      }
    });
  }
  for (const e of resourcesOf(ctx.stacks, 'AWS::SageMaker::Endpoint')) {
    const policy = getPath(e.properties, 'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type');
    if (policy !== undefined) out.evidence.push(fromResource(e, 'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type', policy, 'blue/green rollout'));
    const alarms = asList(getPath(e.properties, 'DeploymentConfig.AutoRollbackConfiguration.Alarms'));
    if (alarms.length > 0) out.evidence.push(fromResource(e, 'DeploymentConfig.AutoRollbackConfiguration.Alarms', `${alarms.length} alarm(s)`, 'rolls back on alarm'));
  }
  const c = ctx.config;
  if (c) {
    for (const s of c.deployment.stages) {
      out.evidence.push(fromConfig(`deployment.stages[${s.name}].requireApproval`, s.requireApproval, s.canary ? `${c.deployment.trafficRouting.toLowerCase()} rollout, ${c.deployment.canaryPercent}% first` : 'all at once'));
    }
    out.evidence.push(fromConfig('security.compliancePacks', c.security.compliancePacks.join(', ') || 'none', 'rule packs run on every synth'));
  }
  return out;
}
