import { TemplateFinding } from './findings';
import { SageMakerJob, findSageMakerJobs } from './sagemaker-jobs';
import { StackTemplate, asList, getPath, isRecord, renderValue, resourcesOf } from './template';

/** Rule ids of the network isolation audit. */
export const NETWORK_RULES = {
  notIsolated: 'NETWORK_NOT_ISOLATED',
  publicSubnet: 'NETWORK_PUBLIC_SUBNET',
  noVpcEndpoints: 'NETWORK_NO_VPC_ENDPOINTS',
} as const;

/** Options of the network isolation audit. */
export interface NetworkAuditOptions {
  /**
   * Whether the app runs its jobs in a VPC. Then a job may run in the VPC's private subnets
   * (with an S3 endpoint) instead of with network isolation.
   * @default false
   */
  readonly vpcConfigured?: boolean;
}

/** Findings, and the jobs the audit looked at. */
export interface NetworkAuditResult {
  readonly findings: TemplateFinding[];
  readonly jobsChecked: SageMakerJob[];
}

function at(job: SageMakerJob, key: string): string {
  return [job.location, job.network.at, key].filter((p) => p !== '').join('.');
}

function jobFinding(job: SageMakerJob, rule: string, key: string, message: string): TemplateFinding {
  const r = job.resource;
  return { rule, stack: r.stack, logicalId: r.logicalId, path: r.path, location: at(job, key), message: `${job.kind} job ${job.name}: ${message}`, templatePath: r.templatePath };
}

function vpcSubnets(vpcConfig: unknown): unknown[] {
  if (!isRecord(vpcConfig)) return [];
  const groups = asList(vpcConfig.SecurityGroupIds);
  const subnets = asList(vpcConfig.Subnets);
  return groups.length > 0 && subnets.length > 0 ? subnets : [];
}

function hasS3Endpoint(stacks: readonly StackTemplate[]): boolean {
  return resourcesOf(stacks, 'AWS::EC2::VPCEndpoint').some((e) => /\.s3$/.test(renderValue(e.properties.ServiceName) ?? ''));
}

/** Subnets of the app's templates that give instances public addresses, by logical id. */
function publicSubnetIds(stacks: readonly StackTemplate[]): Set<string> {
  return new Set(resourcesOf(stacks, 'AWS::EC2::Subnet').filter((s) => s.properties.MapPublicIpOnLaunch === true).map((s) => s.logicalId));
}

function checkVpcJob(job: SageMakerJob, subnets: unknown[], stacks: readonly StackTemplate[], publicIds: Set<string>): TemplateFinding[] {
  const out: TemplateFinding[] = [];
  subnets.forEach((s, i) => {
    const ref = /^\$\{([^.}]+)\}$/.exec(renderValue(s) ?? '');
    if (ref && publicIds.has(ref[1])) {
      out.push(jobFinding(job, NETWORK_RULES.publicSubnet, `VpcConfig.Subnets[${i}]`, `subnet ${ref[1]} maps public IP addresses on launch; use private subnets`));
    }
  });
  if (!hasS3Endpoint(stacks)) {
    out.push(jobFinding(job, NETWORK_RULES.noVpcEndpoints, 'VpcConfig', 'runs in a VPC without an S3 VPC endpoint in any stack; data would leave through a NAT or fail'));
  }
  return out;
}

/**
 * Checks that every training, processing, tuning and monitoring job the templates define runs
 * with `EnableNetworkIsolation: true`, or, when the app has a VPC, in private subnets of that VPC
 * with an S3 endpoint. A setting that is not a literal (a pipeline parameter, a state input) is a
 * finding too: it cannot be shown to hold. Definitions that cannot be read are findings.
 */
export function auditNetworkIsolation(stacks: readonly StackTemplate[], options: NetworkAuditOptions = {}): NetworkAuditResult {
  const scan = findSageMakerJobs(stacks);
  const findings: TemplateFinding[] = [...scan.unreadable];
  const publicIds = publicSubnetIds(stacks);
  for (const job of scan.jobs) {
    const isolation = job.network.enableNetworkIsolation;
    if (isolation === true) continue;
    const subnets = vpcSubnets(job.network.vpcConfig);
    if (options.vpcConfigured && subnets.length > 0) {
      findings.push(...checkVpcJob(job, subnets, stacks, publicIds));
      continue;
    }
    const why = isolation === undefined || isolation === false
      ? `EnableNetworkIsolation is ${isolation === false ? 'false' : 'not set'}`
      : `EnableNetworkIsolation is ${JSON.stringify(isolation)}, not a literal true`;
    const fix = options.vpcConfigured ? 'set it to true, or run the job in the private subnets of the VPC' : 'set it to true';
    findings.push(jobFinding(job, NETWORK_RULES.notIsolated, 'EnableNetworkIsolation', `${why}; ${fix}`));
  }
  return { findings, jobsChecked: scan.jobs };
}

/** Network settings of a job as one line, for reports. */
export function describeJobNetwork(job: SageMakerJob): string {
  const vpc = getPath(job.network.vpcConfig, 'Subnets') !== undefined ? 'in a VPC' : 'no VPC';
  return `EnableNetworkIsolation=${JSON.stringify(job.network.enableNetworkIsolation ?? null)}, ${vpc}`;
}
