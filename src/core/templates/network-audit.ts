import { TemplateFinding } from './findings';
import { GuardrailRule, NETWORK_RULES } from './guardrail-rules';
import { SageMakerJob, findSageMakerJobs } from './sagemaker-jobs';
import { LocatedResource, StackTemplate, asList, getPath, isRecord, renderValue, resourcesOf } from './template';

/** The tag the data lake puts on buckets that hold data (datasets, captured traffic). */
export const DATA_CLASS_TAG = 'aidlc:data-class';

/** Options of the network isolation audit. */
export interface NetworkAuditOptions {
  /**
   * Whether the app runs its workloads in a VPC. Then every job and model also needs a
   * `VpcConfig` in private subnets, every function a `VpcConfig`, every security group egress
   * a destination narrower than the internet, and every data bucket a deny on reads from
   * outside the network.
   * @default false
   */
  readonly vpcConfigured?: boolean;
  /**
   * Whether S3 is reached through an endpoint outside the templates (an imported VPC whose
   * landing zone provides it), so no `AWS::EC2::VPCEndpoint` for S3 is expected.
   * @default false
   */
  readonly s3EndpointExternal?: boolean;
}

/** Findings, and what the audit looked at. */
export interface NetworkAuditResult {
  readonly findings: TemplateFinding[];
  readonly jobsChecked: SageMakerJob[];
  /** Functions, models, security groups and buckets checked, as `stack/logicalId`. */
  readonly resourcesChecked: string[];
}

function at(job: SageMakerJob, key: string): string {
  return [job.location, job.network.at, key].filter((p) => p !== '').join('.');
}

function jobFinding(job: SageMakerJob, rule: GuardrailRule, key: string, message: string): TemplateFinding {
  const r = job.resource;
  return { rule: rule.id, stack: r.stack, logicalId: r.logicalId, path: r.path, location: at(job, key), message: `${job.kind} job ${job.name}: ${message}`, templatePath: r.templatePath };
}

function resourceFinding(r: LocatedResource, rule: GuardrailRule, location: string, message: string): TemplateFinding {
  return { rule: rule.id, stack: r.stack, logicalId: r.logicalId, path: r.path, location, message, templatePath: r.templatePath };
}

/** The subnets of a VpcConfig that names both subnets and security groups; empty otherwise. */
function vpcSubnets(vpcConfig: unknown): unknown[] {
  if (!isRecord(vpcConfig)) return [];
  const groups = asList(vpcConfig.SecurityGroupIds);
  const subnets = asList(vpcConfig.Subnets ?? vpcConfig.SubnetIds);
  return groups.length > 0 && subnets.length > 0 ? subnets : [];
}

function hasS3Endpoint(stacks: readonly StackTemplate[]): boolean {
  return resourcesOf(stacks, 'AWS::EC2::VPCEndpoint').some((e) => /\.s3$/.test(renderValue(e.properties.ServiceName) ?? ''));
}

/** Subnets of the app's templates that give instances public addresses, by logical id. */
function publicSubnetIds(stacks: readonly StackTemplate[]): Set<string> {
  return new Set(resourcesOf(stacks, 'AWS::EC2::Subnet').filter((s) => s.properties.MapPublicIpOnLaunch === true).map((s) => s.logicalId));
}

/** The logical id a subnet value points at, through a reference or a cross-stack import of one. */
function subnetLogicalId(value: unknown): string | undefined {
  const text = renderValue(value) ?? '';
  return /^\$\{([^.}:]+)\}$/.exec(text)?.[1] ?? /^\$\{Import:.*?([A-Za-z0-9]+Subnet[A-Za-z0-9]*?)(?:[A-F0-9]{8})?\}$/.exec(text)?.[1];
}

function checkSubnets(subnets: unknown[], publicIds: Set<string>, report: (i: number, id: string) => void): void {
  subnets.forEach((s, i) => {
    const id = subnetLogicalId(s);
    if (id && [...publicIds].some((p) => p === id || p.startsWith(id))) report(i, id);
  });
}

function auditJobs(stacks: readonly StackTemplate[], options: NetworkAuditOptions, findings: TemplateFinding[]): SageMakerJob[] {
  const scan = findSageMakerJobs(stacks);
  findings.push(...scan.unreadable);
  const publicIds = publicSubnetIds(stacks);
  const s3Endpoint = options.s3EndpointExternal || hasS3Endpoint(stacks);
  for (const job of scan.jobs) {
    const isolation = job.network.enableNetworkIsolation;
    if (isolation !== true) {
      const why = isolation === undefined || isolation === false
        ? `EnableNetworkIsolation is ${isolation === false ? 'false' : 'not set'}`
        : `EnableNetworkIsolation is ${JSON.stringify(isolation)}, not a literal true`;
      findings.push(jobFinding(job, NETWORK_RULES.notIsolated, 'EnableNetworkIsolation', `${why}; set it to true (SageMaker takes it beside a VpcConfig)`));
    }
    if (!options.vpcConfigured) continue;
    const subnets = vpcSubnets(job.network.vpcConfig);
    if (subnets.length === 0) {
      findings.push(jobFinding(job, NETWORK_RULES.notInVpc, 'VpcConfig', 'has no VpcConfig with subnets and security groups; run it in the private subnets of the model\'s network'));
      continue;
    }
    checkSubnets(subnets, publicIds, (i, id) => findings.push(jobFinding(job, NETWORK_RULES.publicSubnet, `VpcConfig.Subnets[${i}]`, `subnet ${id} maps public IP addresses on launch; use private subnets`)));
    if (!s3Endpoint) {
      findings.push(jobFinding(job, NETWORK_RULES.noVpcEndpoints, 'VpcConfig', 'runs in a VPC without an S3 VPC endpoint in any stack; data would leave through a NAT or fail'));
    }
  }
  return scan.jobs;
}

function auditModels(stacks: readonly StackTemplate[], options: NetworkAuditOptions, findings: TemplateFinding[], checked: string[]): void {
  const publicIds = publicSubnetIds(stacks);
  for (const model of resourcesOf(stacks, 'AWS::SageMaker::Model')) {
    checked.push(`${model.stack}/${model.logicalId}`);
    if (model.properties.EnableNetworkIsolation !== true) {
      findings.push(resourceFinding(model, NETWORK_RULES.notIsolated, 'EnableNetworkIsolation', 'the model\'s containers can reach the network; set EnableNetworkIsolation to true'));
    }
    if (!options.vpcConfigured) continue;
    const subnets = vpcSubnets(model.properties.VpcConfig);
    if (subnets.length === 0) {
      findings.push(resourceFinding(model, NETWORK_RULES.notInVpc, 'VpcConfig', 'the endpoint\'s instances have no VpcConfig; give the model the private subnets of the model\'s network'));
    }
    checkSubnets(subnets, publicIds, (i, id) => findings.push(resourceFinding(model, NETWORK_RULES.publicSubnet, `VpcConfig.Subnets[${i}]`, `subnet ${id} maps public IP addresses on launch`)));
  }
}

function auditFunctions(stacks: readonly StackTemplate[], findings: TemplateFinding[], checked: string[]): void {
  for (const fn of resourcesOf(stacks, 'AWS::Lambda::Function')) {
    checked.push(`${fn.stack}/${fn.logicalId}`);
    if (vpcSubnets(fn.properties.VpcConfig).length === 0) {
      findings.push(resourceFinding(fn, NETWORK_RULES.functionOutsideVpc, 'VpcConfig', 'the function runs outside the model\'s network; give it the private subnets and a security group (or acknowledge why it must reach the internet)'));
    }
  }
}

const ANYWHERE = ['0.0.0.0/0', '::/0'];

interface SecurityGroupRule {
  readonly resource: LocatedResource;
  readonly location: string;
  readonly rule: Record<string, unknown>;
}

/** Every ingress and egress rule, inline in a group or standalone. */
function securityGroupRules(stacks: readonly StackTemplate[], direction: 'Ingress' | 'Egress'): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  for (const sg of resourcesOf(stacks, 'AWS::EC2::SecurityGroup')) {
    asList(sg.properties[`SecurityGroup${direction}`]).forEach((r, i) => {
      if (isRecord(r)) rules.push({ resource: sg, location: `SecurityGroup${direction}[${i}]`, rule: r });
    });
  }
  for (const r of resourcesOf(stacks, `AWS::EC2::SecurityGroup${direction}`)) rules.push({ resource: r, location: 'Properties', rule: r.properties });
  return rules;
}

function auditSecurityGroups(stacks: readonly StackTemplate[], options: NetworkAuditOptions, findings: TemplateFinding[], checked: string[]): void {
  for (const sg of resourcesOf(stacks, 'AWS::EC2::SecurityGroup')) checked.push(`${sg.stack}/${sg.logicalId}`);
  for (const { resource, location, rule } of securityGroupRules(stacks, 'Ingress')) {
    const source = rule.CidrIp ?? rule.CidrIpv6;
    if (typeof source === 'string' && ANYWHERE.includes(source)) {
      findings.push(resourceFinding(resource, NETWORK_RULES.openIngress, location, `ingress from ${source}: admit only the workloads' security groups`));
    }
  }
  if (!options.vpcConfigured) return;
  for (const { resource, location, rule } of securityGroupRules(stacks, 'Egress')) {
    const cidr = rule.CidrIp ?? rule.CidrIpv6;
    if (typeof cidr === 'string' && ANYWHERE.includes(cidr)) {
      findings.push(resourceFinding(resource, NETWORK_RULES.openEgress, location, `egress to ${cidr}: send HTTPS only to the endpoints' security group and the S3 prefix list`));
    } else if (cidr !== undefined && cidr !== '255.255.255.255/32' && !(rule.FromPort === 443 && rule.ToPort === 443)) {
      // 255.255.255.255/32 is the rule CDK writes to a group that may send nothing.
      findings.push(resourceFinding(resource, NETWORK_RULES.openEgress, location, `egress to ${renderValue(cidr)} on ports ${String(rule.FromPort)}-${String(rule.ToPort)}: only HTTPS (443) leaves a workload`));
    }
  }
}

function auditRoutes(stacks: readonly StackTemplate[], findings: TemplateFinding[]): void {
  for (const r of resourcesOf(stacks, 'AWS::EC2::InternetGateway', 'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::NatGateway')) {
    findings.push(resourceFinding(r, NETWORK_RULES.internetRoute, 'Type', `${r.type} gives the model's network a path to the internet`));
  }
  for (const r of resourcesOf(stacks, 'AWS::EC2::Route')) {
    const destination = r.properties.DestinationCidrBlock ?? r.properties.DestinationIpv6CidrBlock;
    const target = r.properties.GatewayId ?? r.properties.NatGatewayId ?? r.properties.EgressOnlyInternetGatewayId;
    if (typeof destination === 'string' && ANYWHERE.includes(destination) && target !== undefined) {
      findings.push(resourceFinding(r, NETWORK_RULES.internetRoute, 'DestinationCidrBlock', `default route to ${renderValue(target)}: the private subnets must have no route out`));
    }
  }
}

function tagValue(r: LocatedResource, key: string): string | undefined {
  const tag = asList(r.properties.Tags).find((t) => isRecord(t) && t.Key === key);
  return isRecord(tag) ? renderValue(tag.Value) : undefined;
}

/** Whether a statement denies object reads unless they come through a VPC endpoint or the VPC. */
function deniesReadsOutside(statement: unknown): boolean {
  if (!isRecord(statement) || statement.Effect !== 'Deny') return false;
  const actions = asList(statement.Action).map(String);
  if (!actions.some((a) => a === 's3:GetObject' || a === 's3:*' || a === 's3:GetObject*')) return false;
  const notEquals = getPath(statement, 'Condition.StringNotEquals');
  return isRecord(notEquals) && ('aws:SourceVpce' in notEquals || 'aws:SourceVpc' in notEquals);
}

function auditDataBuckets(stacks: readonly StackTemplate[], findings: TemplateFinding[], checked: string[]): void {
  const policies = resourcesOf(stacks, 'AWS::S3::BucketPolicy');
  for (const bucket of resourcesOf(stacks, 'AWS::S3::Bucket')) {
    if (tagValue(bucket, DATA_CLASS_TAG) === undefined) continue;
    checked.push(`${bucket.stack}/${bucket.logicalId}`);
    const guarded = policies.some((p) => p.stack === bucket.stack && renderValue(p.properties.Bucket) === `\${${bucket.logicalId}}`
      && asList(getPath(p.properties, 'PolicyDocument.Statement')).some(deniesReadsOutside));
    if (!guarded) {
      findings.push(resourceFinding(bucket, NETWORK_RULES.dataOutsideBoundary, 'BucketPolicy', `holds ${tagValue(bucket, DATA_CLASS_TAG)} data but does not refuse reads from outside the network (aws:SourceVpce / aws:SourceVpc)`));
    }
  }
}

/**
 * The network boundary, checked on the synthesized templates:
 *
 * - every training, processing, tuning and monitoring job and every model runs with
 *   `EnableNetworkIsolation: true` (a non-literal value is a finding too: it cannot be shown to
 *   hold), and, with a network, in private subnets of it with an S3 endpoint present;
 * - no security group admits 0.0.0.0/0 or ::/0; with a network, none sends to them either, and
 *   CIDR egress is HTTPS only;
 * - no internet gateway, NAT gateway or default route exists;
 * - with a network, every function runs in it and every data bucket refuses reads from outside.
 *
 * Unreadable definitions are findings. Acknowledge a deliberate exception on its resource with
 * `Validations.of(construct).acknowledge({ id: 'aidlc-guardrails::<RULE>', reason })`.
 */
export function auditNetworkIsolation(stacks: readonly StackTemplate[], options: NetworkAuditOptions = {}): NetworkAuditResult {
  const findings: TemplateFinding[] = [];
  const checked: string[] = [];
  const jobs = auditJobs(stacks, options, findings);
  auditModels(stacks, options, findings, checked);
  auditSecurityGroups(stacks, options, findings, checked);
  auditRoutes(stacks, findings);
  if (options.vpcConfigured) {
    auditFunctions(stacks, findings, checked);
    auditDataBuckets(stacks, findings, checked);
  }
  return { findings, jobsChecked: jobs, resourcesChecked: checked };
}

/** Network settings of a job as one line, for reports. */
export function describeJobNetwork(job: SageMakerJob): string {
  const vpc = getPath(job.network.vpcConfig, 'Subnets') !== undefined ? 'in a VPC' : 'no VPC';
  return `EnableNetworkIsolation=${JSON.stringify(job.network.enableNetworkIsolation ?? null)}, ${vpc}`;
}
