import { JobKind } from '../../../src/core/templates/sagemaker-jobs';
import { asList, getPath, renderValue, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromConfig, fromResource } from '../evidence';

/** Incident response: alarms that notify, automatic rollback, subscriptions, event-driven status reports. */
export function incidentResponse(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const a of resourcesOf(ctx.stacks, 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm')) {
    const actions = asList(a.properties.AlarmActions);
    if (actions.length > 0) out.evidence.push(fromResource(a, 'AlarmActions', actions.map((x) => renderValue(x) ?? '?').join(', '), `alarm ${renderValue(a.properties.AlarmName) ?? a.logicalId} notifies`));
  }
  for (const e of resourcesOf(ctx.stacks, 'AWS::SageMaker::Endpoint')) {
    const alarms = asList(getPath(e.properties, 'DeploymentConfig.AutoRollbackConfiguration.Alarms'));
    if (alarms.length > 0) {
      out.evidence.push(fromResource(e, 'DeploymentConfig.AutoRollbackConfiguration.Alarms', alarms.map((x) => renderValue(getPath(x, 'AlarmName')) ?? '?').join(', '), 'a bad rollout rolls back on its own'));
    }
  }
  for (const s of resourcesOf(ctx.stacks, 'AWS::SNS::Subscription')) {
    out.evidence.push(fromResource(s, 'Protocol', s.properties.Protocol, `alerts delivered to ${renderValue(s.properties.Endpoint) ?? '?'}`));
  }
  for (const r of resourcesOf(ctx.stacks, 'AWS::Events::Rule')) {
    if (r.properties.EventPattern !== undefined && asList(r.properties.Targets).length > 0) {
      out.evidence.push(fromResource(r, 'EventPattern.source', getPath(r.properties, 'EventPattern.source'), 'events routed to a responder'));
    }
  }
  const c = ctx.config;
  if (c) {
    out.evidence.push(fromConfig('monitoring.alertEmail', c.monitoring.alertEmail ?? 'not set', c.monitoring.alertEmail ? 'alerts go to this address' : 'no address: alarms reach only the topic'));
    out.evidence.push(fromConfig('deployment.rollback5xxPercent / rollbackP99LatencyMs', `${c.deployment.rollback5xxPercent}% / ${c.deployment.rollbackP99LatencyMs} ms`, 'rollback thresholds'));
  }
  return out;
}

/** Model monitoring: data capture, monitoring jobs and schedules, drift alarms, the configured thresholds. */
export function modelMonitoring(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  for (const ec of resourcesOf(ctx.stacks, 'AWS::SageMaker::EndpointConfig')) {
    const capture = ec.properties.DataCaptureConfig;
    if (getPath(capture, 'EnableCapture') !== false && capture !== undefined) {
      out.evidence.push(fromResource(ec, 'DataCaptureConfig.InitialSamplingPercentage', getPath(capture, 'InitialSamplingPercentage'), `requests and responses captured to ${renderValue(getPath(capture, 'DestinationS3Uri')) ?? '?'}`));
    } else {
      out.exceptions.push(fromResource(ec, 'DataCaptureConfig', 'not enabled', 'live traffic not captured, so it cannot be compared with the baseline'));
    }
  }
  for (const job of ctx.jobs.jobs.filter((j) => j.kind === JobKind.MONITORING)) {
    out.evidence.push(fromResource(job.resource, job.location, job.resource.type, `monitoring job ${job.name}`));
  }
  for (const s of resourcesOf(ctx.stacks, 'AWS::SageMaker::MonitoringSchedule')) {
    out.evidence.push(fromResource(s, 'MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression', getPath(s.properties, 'MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression'), 'Model Monitor schedule'));
  }
  for (const r of resourcesOf(ctx.stacks, 'AWS::Events::Rule', 'AWS::Scheduler::Schedule')) {
    if (r.properties.ScheduleExpression !== undefined) out.evidence.push(fromResource(r, 'ScheduleExpression', r.properties.ScheduleExpression, 'scheduled run'));
  }
  for (const a of resourcesOf(ctx.stacks, 'AWS::CloudWatch::Alarm')) {
    const metric = `${renderValue(a.properties.Namespace) ?? ''}/${renderValue(a.properties.MetricName) ?? ''}`;
    if (/drift/i.test(metric)) out.evidence.push(fromResource(a, 'MetricName', metric, `drift alarm at ${String(a.properties.Threshold)}`));
  }
  const captures = out.evidence.filter((e) => e.resourceType === 'AWS::SageMaker::EndpointConfig').length;
  const comparisons = out.evidence.length - captures;
  if (captures > 0 && comparisons === 0) {
    out.exceptions.push({ source: 'cdk.out', property: 'monitoring', value: 'none', note: 'captured traffic is never compared with the baseline: no monitoring job, schedule or drift alarm in cdk.out' });
  }
  const c = ctx.config;
  if (c) {
    out.evidence.push(fromConfig('monitoring.engine / schedule', `${c.monitoring.engine} ${c.monitoring.schedule}`, `${c.monitoring.dataCapturePercent}% of traffic captured, ${c.monitoring.windowHours} h window`));
    out.evidence.push(fromConfig('data.driftPsiThreshold / driftKsThreshold', `PSI > ${c.data.driftPsiThreshold}, KS > ${c.data.driftKsThreshold}`, 'drift thresholds'));
  }
  return out;
}
