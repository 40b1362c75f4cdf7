import { ApiAuthorization, ApiEndpointType, MonitoringEngine, NetworkMode, ResolvedConfig, TrafficRouting } from '../../config';
import { ResourceNames } from '../../core/names/resource-names';

/** Mermaid labels cannot hold raw quotes or brackets. */
function label(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

function rollout(config: ResolvedConfig, canary: boolean): string {
  const d = config.deployment;
  if (!canary || d.trafficRouting === TrafficRouting.ALL_AT_ONCE) return 'all at once';
  const step = d.trafficRouting === TrafficRouting.LINEAR ? `linear ${d.canaryPercent}% steps` : `canary ${d.canaryPercent}%`;
  return `${step}, bake ${d.bakeMinutes} min, rollback on 5XX > ${d.rollback5xxPercent}% or p99 > ${d.rollbackP99LatencyMs} ms`;
}

/**
 * The chain of this repository as a Mermaid flowchart, drawn from the resolved config so the
 * README always shows what a push to main really runs.
 */
export function chainDiagram(config: ResolvedConfig): string {
  const names = new ResourceNames(config);
  const t = config.training;
  const m = config.monitoring;
  const spot = t.useSpot ? `Spot, max wait ${t.maxWaitSeconds} s, checkpoints` : 'on-demand';
  const lines = [
    'flowchart LR',
    `  push([push to ${config.github.branch}]) --> scan`,
    '  subgraph gha[GitHub Actions: pipeline.yml]',
    `    scan[${label(`scan: trivy fs + config, fail at ${config.security.failOnSeverity}`)}] --> gate[${label('data gate: contract + drift')}]`,
    `    gate --> deploy[${label('deploy: OIDC role, cdk deploy')}] --> release[${label('release: start CodePipeline on this commit')}]`,
    '  end',
    '  release --> source',
    `  subgraph cp[${label(`CodePipeline ${names.deliveryPipeline}`)}]`,
    `    source[${label('Source: CodeConnections')}] --> cpgate[${label('Gate: aidlc gate on S3 dataset')}]`,
    `    cpgate --> train[${label(`Train: ${t.framework} ${t.frameworkVersion} on ${t.instanceCount} x ${t.instanceType}, ${spot}`)}]`,
    `    train --> evaluate[${label(`Evaluate: ${t.evaluationMetric} ${t.metricHigherIsBetter ? '>=' : '<='} ${t.metricThreshold}`)}]`,
    `    evaluate --> register[${label(`Register: ${names.modelPackageGroup}, pending approval`)}]`,
    `    register --> approve{${label('Approve')}}`,
  ];
  let previous = 'approve';
  config.deployment.stages.forEach((stage, i) => {
    const id = `stage${i}`;
    const approval = stage.requireApproval ? ', reviewers' : '';
    lines.push(`    ${previous} --> ${id}[${label(`Deploy ${stage.name}: ${stage.instanceCount} x ${config.deployment.instanceType}, ${rollout(config, stage.canary)}${approval}`)}]`);
    previous = id;
    if (config.serving.api.enabled) {
      // The stage's API is smoke-tested before the next stage may start.
      const smoke = `smoke${i}`;
      lines.push(`    ${previous} --> ${smoke}[${label(`Smoke test ${stage.name} API: sample rows scored, bad requests 400`)}]`);
      previous = smoke;
    }
  });
  const engine = m.engine === MonitoringEngine.BUILTIN ? 'built-in drift engine' : 'SageMaker Model Monitor';
  lines.push(`    ${previous} --> monitor[${label(`Monitor: ${engine}, ${m.schedule}, capture ${m.dataCapturePercent}%`)}]`);
  lines.push('  end');
  lines.push(`  monitor -- drift --> alert[${label(m.alertEmail ? `SNS alert to ${m.alertEmail}` : 'SNS alert topic')}]`);
  if (m.retrainOnDrift) {
    lines.push(`  monitor -- drift, cooldown ${m.retrainCooldownHours} h --> train`);
  }
  lines.push(`  cp -. state changes .-> status[${label('GitHub commit statuses')}]`);
  if (config.serving.api.enabled) {
    const a = config.serving.api;
    const auth = a.authorization === ApiAuthorization.IAM ? 'SigV4' : 'Cognito token';
    const privateApi = a.endpointType === ApiEndpointType.PRIVATE;
    const apps = privateApi ? label('applications in the network') : 'applications';
    const how = privateApi ? `${auth} + API key, through the execute-api VPC endpoint` : `${auth} + API key`;
    const api = `${privateApi ? 'private ' : ''}inference API per stage: WAF, ${a.rateLimit}/s per key, schema from the contract`;
    lines.push(`  apps([${apps}]) -- ${label(how)} --> api[${label(api)}]`);
  }
  lines.push(...networkBoundary(config, previous));
  return lines.join('\n');
}

/** The network boundary: what runs inside the VPC and how it reaches AWS; or the opt-out. */
function networkBoundary(config: ResolvedConfig, lastStage: string): string[] {
  const n = config.network;
  if (n.mode === NetworkMode.NONE) {
    return [`  train -. no VPC .-> nonet[${label(`network.mode NONE: ${n.optOutReason}`)}]`];
  }
  const vpc = n.mode === NetworkMode.CREATE_VPC
    ? `VPC ${n.cidr}: private subnets in ${n.availabilityZoneCount} zones, no internet route`
    : `VPC ${n.vpcId}: private subnets ${(n.subnetIds ?? []).join(', ')}`;
  const endpoints = n.createEndpoints
    ? `VPC endpoints: S3 gateway${n.interfaceEndpoints.map((e) => `, ${e.service}`).join('')}`
    : `landing zone endpoints: ${(n.endpointCidrs ?? []).join(', ')}, S3 ${n.s3PrefixListId}`;
  // A private API's smoke tests run inside too: its API answers nowhere else.
  const smokeInside = config.serving.api.enabled && config.serving.api.endpointType === ApiEndpointType.PRIVATE;
  return [
    `  subgraph vpc[${label(vpc)}]`,
    `    jobs[${label('training and processing jobs: isolated, own security group')}]`,
    `    serving[${label('endpoint instances: isolated, own security group')}]`,
    `    fns[${label('data gate and drift functions')}]`,
    ...(smokeInside ? [`    smoketests[${label('smoke tests of the private API: own security group')}]`] : []),
    `    vpce[${label(endpoints)}]`,
    `    jobs & serving & fns${smokeInside ? ' & smoketests' : ''} -- HTTPS only --> vpce`,
    '  end',
    '  train -. runs in .-> jobs',
    `  ${lastStage} -. runs in .-> serving`,
    '  monitor -. runs in .-> fns',
    ...(smokeInside ? ['  smoke0 -. runs in .-> smoketests'] : []),
  ];
}
