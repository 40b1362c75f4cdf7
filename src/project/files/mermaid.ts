import { ApiAuthorization, MonitoringEngine, ResolvedConfig, TrafficRouting } from '../../config';
import { ResourceNames } from '../../config/names';

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
    lines.push(`  apps([applications]) -- ${label(`${auth} + API key`)} --> api[${label(`inference API per stage: WAF, ${a.rateLimit}/s per key, schema from the contract`)}]`);
  }
  return lines.join('\n');
}
