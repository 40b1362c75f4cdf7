// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { KMSClient } from '@aws-sdk/client-kms';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import {
  AddAssociationCommand, CreateArtifactCommand, DescribeTrainingJobCommand, ListArtifactsCommand, ListTrialComponentsCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvalidValuesError } from '../../../src/core/problem';
import { parseManifest } from '../../gate/manifest';
import { modelCardContent } from '../../provenance/model-card';
import { readText, s3Location, sha256OfObject } from '../../provenance/s3-objects';
import { signDigest } from '../../provenance/signing';
import { FunctionEnvironment } from '../../shared/function-environment';

/**
 * The SignArtifact step of the training pipeline (a SageMaker Pipelines Lambda step), run after
 * the model cleared its bar and before it is registered:
 *
 * 1. the dataset manifest must still have the SHA-256 the gate recorded;
 * 2. model.tar.gz is hashed (SHA-256, streamed) and KMS signs that digest with the model's
 *    signing key (SIGNING_KEY_ID: only this function's role may sign with it);
 * 3. the signature document goes beside the evaluation (signature_uri);
 * 4. the manifest and the commit become SageMaker lineage artifacts associated with the training
 *    job's trial component (ContributedTo);
 * 5. the outputs feed the Register step: digest, signature, key, training job, model card.
 */

/** The step's arguments (see the SignArtifact step of the pipeline definition). */
export interface SignRequest {
  readonly model_artifacts: string;
  readonly training_job_name: string;
  readonly manifest_uri: string;
  readonly manifest_sha256: string;
  readonly evaluation_uri: string;
  readonly signature_uri: string;
  readonly source_revision: string;
  readonly pipeline_execution: string;
  readonly evaluation_metric: string;
  readonly training_image: string;
}

/** The step's outputs (all strings, as its OutputParameters declare). */
export interface SignResult {
  readonly artifact_sha256: string;
  readonly signature: string;
  readonly signing_key_arn: string;
  readonly signing_algorithm: string;
  readonly training_job_arn: string;
  readonly model_card: string;
}

export interface SignerClients {
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly sagemaker: SageMakerClient;
}

let clients: SignerClients | undefined;

export async function handler(event: SignRequest): Promise<SignResult> {
  const keyId = new FunctionEnvironment(process.env, 'ModelSigner').text('SIGNING_KEY_ID');
  clients ??= { s3: new S3Client({}), kms: new KMSClient({}), sagemaker: new SageMakerClient({}) };
  return signModel(clients, keyId, process.env.PIPELINE_NAME ?? 'training pipeline', event);
}

/** Everything the step does; see the module comment. */
export async function signModel(c: SignerClients, keyId: string, pipelineName: string, r: SignRequest): Promise<SignResult> {
  for (const field of ['model_artifacts', 'training_job_name', 'manifest_uri', 'manifest_sha256', 'evaluation_uri', 'signature_uri'] as const) {
    if (typeof r[field] !== 'string' || r[field].length === 0) {
      throw new InvalidValuesError('SignArtifact', [{
        path: field, value: r[field], message: 'is missing from the step\'s arguments', fix: 'run the step from the training pipeline, which passes every argument',
      }]);
    }
  }
  const manifest = parseManifest(await readText(c.s3, r.manifest_uri), r.manifest_uri, r.manifest_sha256);
  if (manifest.gateReport.verdict !== 'pass') throw new Error(`SignArtifact: the gate run ${manifest.run} did not pass (${manifest.gateReport.uri}); refusing to sign`);

  const { sha256 } = await sha256OfObject(c.s3, r.model_artifacts);
  const signed = await signDigest(c.kms, keyId, sha256);
  const job = await c.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: r.training_job_name }));
  if (!job.TrainingJobArn) throw new Error(`SignArtifact: training job ${r.training_job_name} has no ARN`);
  const evaluation = JSON.parse(await readText(c.s3, r.evaluation_uri)) as Record<string, any>;

  const document = {
    format: 'aidlc-model-signature',
    version: 1,
    artifact: r.model_artifacts,
    artifactSha256: sha256,
    messageType: 'DIGEST',
    signingAlgorithm: signed.algorithm,
    signingKeyArn: signed.keyArn,
    signature: signed.signature,
    datasetManifest: { uri: r.manifest_uri, sha256: r.manifest_sha256.toLowerCase() },
    sourceRevision: r.source_revision,
    pipelineExecution: r.pipeline_execution,
    trainingJobArn: job.TrainingJobArn,
  };
  const target = s3Location(r.signature_uri);
  await c.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: JSON.stringify(document, null, 2) + '\n', ContentType: 'application/json' }));

  await recordLineage(c.sagemaker, job.TrainingJobArn, [
    { name: `dataset-${manifest.run}`.slice(0, 120), uri: r.manifest_uri, type: 'DataSet', digest: r.manifest_sha256.toLowerCase() },
    ...(r.source_revision && r.source_revision !== 'unknown'
      ? [{ name: `commit-${r.source_revision.slice(0, 12)}`, uri: `git:${r.source_revision}`, type: 'Code', digest: r.source_revision }] : []),
  ]);

  const modelCard = modelCardContent({
    pipelineName,
    artifactUri: r.model_artifacts,
    trainingJobArn: job.TrainingJobArn,
    image: r.training_image ?? job.AlgorithmSpecification?.TrainingImage ?? '',
    hyperparameters: decodeHyperparameters(job.HyperParameters ?? {}),
    trainingMetrics: (job.FinalMetricDataList ?? []).map((m) => ({ name: m.MetricName ?? '?', value: Number(m.Value) })),
    evaluation: Object.fromEntries(Object.entries(evaluation).filter(([k]) => k.endsWith('_metrics'))),
    manifestUri: r.manifest_uri,
    manifestSha256: r.manifest_sha256.toLowerCase(),
    sourceRevision: r.source_revision,
    artifactSha256: sha256,
    signingKeyArn: signed.keyArn,
  });
  process.stdout.write(JSON.stringify({ source: 'aidlc-model-signer', artifact: r.model_artifacts, sha256, key: signed.keyArn, trainingJob: job.TrainingJobArn }) + '\n');
  return {
    artifact_sha256: sha256,
    signature: signed.signature,
    signing_key_arn: signed.keyArn,
    signing_algorithm: signed.algorithm,
    training_job_arn: job.TrainingJobArn,
    model_card: modelCard,
  };
}

/** Hyperparameters as the container saw them: the SDK convention JSON-encodes each value. */
function decodeHyperparameters(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith('sagemaker_')) continue;
    try {
      const decoded = JSON.parse(value);
      out[name] = typeof decoded === 'string' ? decoded : value;
    } catch {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Lineage: one artifact per input (found by its source URI, or created), each associated with
 * the training job's trial component, so SageMaker's lineage graph of the model version reaches
 * the gated data and the commit.
 */
async function recordLineage(
  sagemaker: SageMakerClient, trainingJobArn: string, inputs: { name: string; uri: string; type: string; digest: string }[],
): Promise<void> {
  const components = await sagemaker.send(new ListTrialComponentsCommand({ SourceArn: trainingJobArn }));
  const component = components.TrialComponentSummaries?.[0]?.TrialComponentArn;
  if (!component) {
    process.stdout.write(JSON.stringify({ source: 'aidlc-model-signer', warning: `no trial component for ${trainingJobArn}; lineage recorded on the model package metadata only` }) + '\n');
    return;
  }
  for (const input of inputs) {
    const found = await sagemaker.send(new ListArtifactsCommand({ SourceUri: input.uri, ArtifactType: input.type }));
    let arn = found.ArtifactSummaries?.[0]?.ArtifactArn;
    if (!arn) {
      const created = await sagemaker.send(new CreateArtifactCommand({
        ArtifactName: input.name.replace(/[^a-zA-Z0-9-]/g, '-'),
        ArtifactType: input.type,
        Source: { SourceUri: input.uri, SourceTypes: [{ SourceIdType: 'Custom', Value: input.digest }] },
      }));
      arn = created.ArtifactArn;
    }
    if (!arn) continue;
    try {
      await sagemaker.send(new AddAssociationCommand({ SourceArn: arn, DestinationArn: component, AssociationType: 'ContributedTo' }));
    } catch (e) {
      // A retried step finds the association made by its first attempt.
      if ((e as Error).name !== 'ValidationException' || !/already exists/i.test((e as Error).message)) throw e;
    }
  }
}
