import { asList, getPath, isRecord, resourcesOf } from '../../../src/core/templates/template';
import { ControlEvidence, EvidenceContext, collect, fromResource, referencedId } from '../evidence';

/** Buckets that receive other buckets' access logs (or let the log service write): logging them would loop. */
function logDestinations(ctx: EvidenceContext): Set<string> {
  const ids = new Set<string>();
  for (const b of resourcesOf(ctx.stacks, 'AWS::S3::Bucket')) {
    const target = referencedId(getPath(b.properties, 'LoggingConfiguration.DestinationBucketName'));
    if (target) ids.add(`${b.stack}/${target}`);
  }
  for (const p of resourcesOf(ctx.stacks, 'AWS::S3::BucketPolicy')) {
    const grantsLogging = asList(getPath(p.properties, 'PolicyDocument.Statement'))
      .some((s) => isRecord(s) && s.Effect === 'Allow' && JSON.stringify(s.Principal ?? '').includes('logging.s3.amazonaws.com'));
    const bucket = referencedId(p.properties.Bucket);
    if (grantsLogging && bucket) ids.add(`${p.stack}/${bucket}`);
  }
  return ids;
}

/** API Gateway stages log each call (access logs); web ACLs log each request they inspect. */
function apiLogs(ctx: EvidenceContext, out: ControlEvidence): void {
  for (const stage of resourcesOf(ctx.stacks, 'AWS::ApiGateway::Stage')) {
    const destination = getPath(stage.properties, 'AccessLogSetting.DestinationArn');
    if (destination !== undefined) out.evidence.push(fromResource(stage, 'AccessLogSetting.DestinationArn', destination, `API stage ${String(stage.properties.StageName ?? '')}: every call logged (caller, API key, status)`));
    else out.exceptions.push(fromResource(stage, 'AccessLogSetting', 'not set', 'API stage without access logs'));
  }
  for (const logging of resourcesOf(ctx.stacks, 'AWS::WAFv2::LoggingConfiguration')) {
    out.evidence.push(fromResource(logging, 'LogDestinationConfigs', logging.properties.LogDestinationConfigs, 'web ACL requests logged, credentials redacted'));
  }
}

/** Access auditing: S3 server access logs, CloudTrail trails, API access logs, WAF logs, build and workflow logs. */
export function accessAuditing(ctx: EvidenceContext): ControlEvidence {
  const out = collect();
  const destinations = logDestinations(ctx);
  for (const b of resourcesOf(ctx.stacks, 'AWS::S3::Bucket')) {
    const logging = b.properties.LoggingConfiguration;
    if (isRecord(logging) && logging.DestinationBucketName !== undefined) {
      out.evidence.push(fromResource(b, 'LoggingConfiguration.DestinationBucketName', logging.DestinationBucketName,
        `server access logs${logging.LogFilePrefix ? ` under ${String(logging.LogFilePrefix)}` : ''}`));
    } else if (destinations.has(`${b.stack}/${b.logicalId}`)) {
      out.evidence.push(fromResource(b, 'LoggingConfiguration', 'none (log destination)', 'receives the other buckets\' access logs'));
    } else {
      out.exceptions.push(fromResource(b, 'LoggingConfiguration', 'not set', 'no server access logs'));
    }
  }
  for (const t of resourcesOf(ctx.stacks, 'AWS::CloudTrail::Trail')) {
    out.evidence.push(fromResource(t, 'IsLogging', t.properties.IsLogging, `trail${t.properties.EventSelectors || t.properties.AdvancedEventSelectors ? ' with data event selectors' : ''}`));
  }
  for (const c of resourcesOf(ctx.stacks, 'AWS::CodeBuild::Project')) {
    const status = getPath(c.properties, 'LogsConfig.CloudWatchLogs.Status');
    if (status !== 'DISABLED') out.evidence.push(fromResource(c, 'LogsConfig.CloudWatchLogs', getPath(c.properties, 'LogsConfig.CloudWatchLogs.GroupName') ?? status ?? 'default', 'build logs in CloudWatch Logs'));
    else out.exceptions.push(fromResource(c, 'LogsConfig.CloudWatchLogs.Status', status, 'build logs disabled'));
  }
  apiLogs(ctx, out);
  for (const m of resourcesOf(ctx.stacks, 'AWS::StepFunctions::StateMachine')) {
    const level = getPath(m.properties, 'LoggingConfiguration.Level');
    if (level && level !== 'OFF') out.evidence.push(fromResource(m, 'LoggingConfiguration.Level', level, 'execution history logged'));
  }
  return out;
}
