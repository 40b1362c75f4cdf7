import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { exportSettings, monitorSettings, retrainSettings } from './environment';
import { ExportOutcome, runExport } from './export-baselines';
import { MonitorOutcome, runMonitor } from './monitor';
import { RetrainOutcome, isAlarmStateChange, runRetrain } from './retrain';

let s3: S3Client | undefined;
let cloudwatch: CloudWatchClient | undefined;
let sagemaker: SageMakerClient | undefined;

/**
 * One bundle, three jobs, told apart by the event:
 * - a CloudWatch alarm state change (EventBridge rule of RetrainOnDrift): start a retraining run,
 *   unless one started within the cooldown;
 * - `{ "source": "aidlc.baseline-export" }` (schedule of BaselineExport): refresh the Model
 *   Monitor baselines from the training profile;
 * - anything else, normally `{ "source": "aidlc.drift-monitor" }` (schedule of
 *   BuiltinDriftMonitor): score the drift of the endpoint's captured traffic.
 * Each function's environment holds the settings of its own job only.
 */
export async function handler(event: unknown): Promise<MonitorOutcome | RetrainOutcome | ExportOutcome> {
  const now = new Date();
  if (isAlarmStateChange(event)) {
    sagemaker ??= new SageMakerClient({});
    s3 ??= new S3Client({});
    const outcome = await runRetrain(retrainSettings(process.env), sagemaker, event, now, s3);
    console.log(JSON.stringify(outcome));
    return outcome;
  }
  s3 ??= new S3Client({});
  if ((event as { source?: string } | undefined)?.source === 'aidlc.baseline-export') {
    const outcome = await runExport(exportSettings(process.env), s3);
    console.log(JSON.stringify(outcome));
    return outcome;
  }
  cloudwatch ??= new CloudWatchClient({});
  const outcome = await runMonitor(monitorSettings(process.env), { s3, cloudwatch }, now, (m) => console.log(m));
  console.log(JSON.stringify({ verdict: outcome.verdict, drifted: outcome.drifted, rows: outcome.rows, files: outcome.files }));
  return outcome;
}
