import { S3Client } from '@aws-sdk/client-s3';
import { ListPipelineExecutionsCommand, PipelineExecutionSummary, SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { RetrainSettings } from './environment';
import type { LatestPassingRun } from '../../gate/dataset-run';
import { parseManifest } from '../../gate/manifest';
import { readText } from '../../provenance/s3-objects';

/** The part of an EventBridge "CloudWatch Alarm State Change" event the trigger reads. */
export interface AlarmStateChangeEvent {
  readonly 'id'?: string;
  readonly 'source'?: string;
  readonly 'detail-type'?: string;
  readonly 'detail'?: { alarmName?: string; state?: { value?: string } };
}

export interface RetrainOutcome {
  readonly started: boolean;
  readonly reason: string;
  readonly executionArn?: string;
}

const HOUR_MS = 3_600_000;

/** Whether an event is an alarm state change from CloudWatch. */
export function isAlarmStateChange(event: unknown): event is AlarmStateChangeEvent {
  const e = event as AlarmStateChangeEvent | undefined;
  return e?.source === 'aws.cloudwatch' && e['detail-type'] === 'CloudWatch Alarm State Change';
}

/** `drift-20261122T0130Z`-style display name (letters, digits and dashes, as SageMaker requires). */
export function displayName(prefix: string, now: Date): string {
  return `${prefix}${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').toLowerCase()}`;
}

/**
 * Starts a retraining run for a drift alarm that went into ALARM, unless a drift-triggered run
 * (display name starting with the prefix) started within the cooldown. The pipeline's own
 * execution list is the record of past runs.
 */
export async function runRetrain(
  settings: RetrainSettings,
  sagemaker: SageMakerClient,
  event: AlarmStateChangeEvent,
  now: Date,
  s3?: S3Client,
): Promise<RetrainOutcome> {
  const alarm = event.detail?.alarmName ?? 'a drift alarm';
  if (event.detail?.state?.value !== 'ALARM') return { started: false, reason: `${alarm} is not in ALARM` };
  const since = new Date(now.getTime() - settings.cooldownHours * HOUR_MS);
  const recent = await driftRunsSince(sagemaker, settings, since);
  if (recent.length > 0) {
    const last = recent[0];
    return { started: false, reason: `${last.PipelineExecutionDisplayName} started ${last.StartTime?.toISOString()}, within the ${settings.cooldownHours} h cooldown` };
  }
  const parameters = settings.latestDatasetUri ? await latestDatasetParameters(s3 ?? new S3Client({}), settings.latestDatasetUri) : undefined;
  const r = await sagemaker.send(new StartPipelineExecutionCommand({
    PipelineName: settings.pipelineName,
    ...(parameters ? { PipelineParameters: parameters } : {}),
    PipelineExecutionDisplayName: displayName(settings.displayNamePrefix, now),
    PipelineExecutionDescription: `Retraining after drift: ${alarm}`.slice(0, 3072),
    ...(event.id && event.id.length >= 32 ? { ClientRequestToken: event.id } : {}),
  }));
  return { started: true, reason: `${alarm} fired`, executionArn: r.PipelineExecutionArn };
}

/**
 * The training parameters of the newest passing gate run: its data prefix, manifest, the
 * manifest's SHA-256 (checked here against the manifest itself) and its training baseline.
 */
export async function latestDatasetParameters(s3: S3Client, pointerUri: string): Promise<{ Name: string; Value: string }[]> {
  let pointer: LatestPassingRun;
  try {
    pointer = JSON.parse(await readText(s3, pointerUri)) as LatestPassingRun;
  } catch (e) {
    throw new Error(`no passing gate run to retrain on (${pointerUri}: ${(e as Error).message}); run the delivery pipeline's Gate stage first`);
  }
  const manifest = parseManifest(await readText(s3, pointer.manifestUri), pointer.manifestUri, pointer.manifestSha256);
  if (manifest.gateReport.verdict !== 'pass') throw new Error(`gate run ${manifest.run} did not pass; not retraining on it`);
  return [
    { Name: 'InputDataUri', Value: manifest.dataUri },
    { Name: 'DatasetManifestUri', Value: pointer.manifestUri },
    { Name: 'DatasetManifestSha256', Value: pointer.manifestSha256 },
    ...(manifest.trainingBaseline ? [{ Name: 'BaselineProfileUri', Value: manifest.trainingBaseline.uri }] : []),
  ];
}

async function driftRunsSince(sagemaker: SageMakerClient, settings: RetrainSettings, since: Date): Promise<PipelineExecutionSummary[]> {
  const out: PipelineExecutionSummary[] = [];
  let token: string | undefined;
  do {
    const page = await sagemaker.send(new ListPipelineExecutionsCommand({
      PipelineName: settings.pipelineName,
      CreatedAfter: since,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
      NextToken: token,
    }));
    for (const e of page.PipelineExecutionSummaries ?? []) {
      const started = e.StartTime ? e.StartTime.getTime() : 0;
      if (started >= since.getTime() && (e.PipelineExecutionDisplayName ?? '').startsWith(settings.displayNamePrefix)) out.push(e);
    }
    token = page.NextToken;
  } while (token);
  return out.sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
}
