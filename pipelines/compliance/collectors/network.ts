import { auditNetworkIsolation } from '../../../src/core/templates/network-audit';
import { asList, getPath, isRecord, renderValue, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromConfig, fromResource } from '../evidence';

/** Whether a bucket policy statement refuses reads that did not come through the network. */
function networkBoundaryKey(statement: unknown): string | undefined {
  if (!isRecord(statement) || statement.Effect !== 'Deny') return undefined;
  const notEquals = getPath(statement, 'Condition.StringNotEquals');
  if (!isRecord(notEquals)) return undefined;
  return ['aws:SourceVpce', 'aws:SourceVpc'].find((k) => k in notEquals);
}

/**
 * Network isolation: the VPC and its subnets (no route out), the endpoints AWS is reached
 * through, flow logs, jobs, models and functions in private subnets, security groups, and the
 * buckets that refuse data reads from outside. The network audit's findings are the exceptions.
 * With the network opted out, the config's reason is the evidence, and the templates show none.
 */
export function networkIsolation(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  const network = ctx.config?.network;
  const vpcConfigured = network !== undefined && network.mode !== 'NONE';
  for (const v of resourcesOf(ctx.stacks, 'AWS::EC2::VPC')) {
    out.evidence.push(fromResource(v, 'CidrBlock', v.properties.CidrBlock, 'the model\'s own VPC'));
  }
  for (const s of resourcesOf(ctx.stacks, 'AWS::EC2::Subnet')) {
    if (s.properties.MapPublicIpOnLaunch === true) out.exceptions.push(fromResource(s, 'MapPublicIpOnLaunch', true, 'a public subnet'));
    else out.evidence.push(fromResource(s, 'MapPublicIpOnLaunch', s.properties.MapPublicIpOnLaunch ?? false, 'private subnet: no public addresses'));
  }
  for (const e of resourcesOf(ctx.stacks, 'AWS::EC2::VPCEndpoint')) {
    const type = e.properties.VpcEndpointType ?? 'Gateway';
    const scoped = e.properties.PolicyDocument !== undefined ? ', with an endpoint policy' : '';
    out.evidence.push(fromResource(e, 'ServiceName', e.properties.ServiceName, `${String(type).toLowerCase()} endpoint${e.properties.PrivateDnsEnabled === true ? ' with private DNS' : ''}${scoped}: AWS reached without the internet`));
  }
  for (const f of resourcesOf(ctx.stacks, 'AWS::EC2::FlowLog')) {
    out.evidence.push(fromResource(f, 'TrafficType', f.properties.TrafficType, `flow logs of ${renderValue(f.properties.ResourceId) ?? '?'}`));
  }
  for (const job of ctx.jobs.jobs) {
    const subnets = asList(getPath(job.network.vpcConfig, 'Subnets'));
    if (subnets.length > 0) out.evidence.push(fromResource(job.resource, `${job.location}${job.network.at ? `.${job.network.at}` : ''}.VpcConfig`, `${subnets.length} subnet(s)`, `${job.kind} job ${job.name} runs in the private subnets, isolated=${String(job.network.enableNetworkIsolation)}`));
  }
  for (const m of resourcesOf(ctx.stacks, 'AWS::SageMaker::Model')) {
    const subnets = asList(getPath(m.properties, 'VpcConfig.Subnets'));
    if (subnets.length > 0) out.evidence.push(fromResource(m, 'VpcConfig', `${subnets.length} subnet(s)`, `endpoint instances in the private subnets, isolated=${String(m.properties.EnableNetworkIsolation)}`));
  }
  for (const fn of resourcesOf(ctx.stacks, 'AWS::Lambda::Function')) {
    if (asList(getPath(fn.properties, 'VpcConfig.SubnetIds')).length > 0) out.evidence.push(fromResource(fn, 'VpcConfig', 'private subnets', 'function runs in the network'));
  }
  for (const p of resourcesOf(ctx.stacks, 'AWS::S3::BucketPolicy')) {
    const key = asList(getPath(p.properties, 'PolicyDocument.Statement')).map(networkBoundaryKey).find((k) => k !== undefined);
    if (key) out.evidence.push(fromResource(p, 'PolicyDocument.Statement[DenyDataReadsOutsideTheNetwork]', key, `bucket ${renderValue(p.properties.Bucket) ?? '?'} refuses data reads from outside the network`));
  }
  const audit = auditNetworkIsolation(ctx.stacks, { vpcConfigured, s3EndpointExternal: vpcConfigured && !network!.createEndpoints });
  for (const f of audit.findings) {
    out.exceptions.push({ source: 'cdk.out', stack: f.stack, logicalId: f.logicalId, property: f.location, value: f.rule, note: f.message });
  }
  if (network) {
    out.evidence.push(fromConfig('network.mode', network.mode, network.mode === 'NONE' ? `opted out: ${network.optOutReason}` : 'workloads in private subnets, AWS through VPC endpoints'));
    if (network.cost) out.evidence.push(fromConfig('network.cost.idleUsdPerMonth', network.cost.idleUsdPerMonth, `${network.cost.interfaceEndpoints} interface endpoint(s) in ${network.cost.availabilityZones} zones (${network.cost.source})`));
  }
  return out;
}
