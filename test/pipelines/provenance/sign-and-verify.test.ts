import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AddAssociationCommand, CreateArtifactCommand, DescribeModelPackageCommand, DescribeTrainingJobCommand, ListArtifactsCommand,
  ListTrialComponentsCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { buildManifest, serializeManifest, sha256Hex } from '../../../pipelines/gate/manifest';
import { SignResult, signModel } from '../../../pipelines/lambda/model-signer';
import { ModelVerificationError, verifyModelPackage } from '../../../pipelines/provenance/verify-model';
import { MODEL_METADATA_KEYS } from '../../../src/core/model-package-metadata';
import { MotoServer, motoAvailable, motoClientConfig, startMoto } from '../../support/moto-server';

/**
 * Signing and verification against moto's KMS and S3 (moto_server, started here). moto signs
 * ECC_NIST_P256 keys with real ECDSA; it treats MessageType DIGEST like RAW (it hashes the
 * 32-byte digest once more), on both Sign and Verify, so a round trip is consistent and any
 * change to the digest or the signature fails verification, as with KMS.
 */

jest.setTimeout(60_000);
/** Without moto_server the file says so and skips, as the other moto tests do. */
const MOTO = motoAvailable();
const sagemaker = mockClient(SageMakerClient);
let moto: MotoServer;
let s3: S3Client;
let kms: KMSClient;
let keyArn: string;
let otherKeyArn: string;
const ARTIFACT = 's3://artifacts/pipelines/churn-training/exec-1/models/model.tar.gz';
const MODEL = Buffer.from('model bytes: a gzipped tar in real life');
const PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/7';
let manifestUri: string;
let manifestSha: string;
let signed: SignResult;

async function put(bucket: string, key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

beforeAll(async () => {
  if (!MOTO) return;
  moto = await startMoto();
  s3 = new S3Client(motoClientConfig(moto.endpoint, 'us-east-1'));
  kms = new KMSClient(motoClientConfig(moto.endpoint, 'us-east-1'));
  for (const bucket of ['artifacts', 'validated']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  keyArn = key.KeyMetadata!.Arn!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/aidlc/churn/model-signing', TargetKeyId: key.KeyMetadata!.KeyId }));
  otherKeyArn = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.Arn!;

  const data = Buffer.from('customer_id,churned\n1,0\n');
  const manifest = buildManifest({
    dataset: 'churn',
    run: 'exec-1',
    createdAt: new Date('2026-12-01T00:00:00Z'),
    source: 's3://raw/raw/churn/',
    contract: { dataset: 'churn' },
    gateReport: { uri: 's3://validated/validated/churn/runs/exec-1/gate-report.json', verdict: 'pass' },
    dataUri: 's3://validated/validated/churn/runs/exec-1/data/',
    objects: [{ bucket: 'validated', key: 'validated/churn/runs/exec-1/data/train.csv', versionId: 'v1', size: data.length, sha256: sha256Hex(data), rows: 1, source: { bucket: 'raw', key: 'raw/churn/train.csv' }, report: 's3://x/y', verdict: 'pass' }],
  });
  const text = serializeManifest(manifest);
  manifestUri = 's3://validated/validated/churn/runs/exec-1/manifest.json';
  manifestSha = sha256Hex(text);
  await put('validated', 'validated/churn/runs/exec-1/manifest.json', text);
  await put('artifacts', 'pipelines/churn-training/exec-1/models/model.tar.gz', MODEL);
  await put('artifacts', 'pipelines/churn-training/exec-1/evaluation/evaluation.json', JSON.stringify({ binary_classification_metrics: { auc: { value: 0.91 } }, evaluation: { metric: 'auc' } }));

  sagemaker.on(DescribeTrainingJobCommand).resolves({
    TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/pipelines-abc-train',
    HyperParameters: { num_round: '"200"', sagemaker_program: '"train.py"' },
    FinalMetricDataList: [{ MetricName: 'validation:auc', Value: 0.9 }],
  });
  sagemaker.on(ListTrialComponentsCommand).resolves({ TrialComponentSummaries: [{ TrialComponentArn: 'arn:aws:sagemaker:us-east-1:123456789012:experiment-trial-component/pipelines-abc-train-aws-training-job' }] });
  sagemaker.on(ListArtifactsCommand).resolves({ ArtifactSummaries: [] });
  sagemaker.on(CreateArtifactCommand).callsFake((i) => ({ ArtifactArn: `arn:aws:sagemaker:us-east-1:123456789012:artifact/${i.ArtifactName}` }));
  sagemaker.on(AddAssociationCommand).resolves({});

  signed = await signModel({ s3, kms, sagemaker: new SageMakerClient({ region: 'us-east-1' }) }, 'alias/aidlc/churn/model-signing', 'churn-training', {
    model_artifacts: ARTIFACT,
    training_job_name: 'pipelines-abc-train',
    manifest_uri: manifestUri,
    manifest_sha256: manifestSha,
    evaluation_uri: 's3://artifacts/pipelines/churn-training/exec-1/evaluation/evaluation.json',
    signature_uri: 's3://artifacts/pipelines/churn-training/exec-1/signature.json',
    source_revision: '0123456789abcdef0123456789abcdef01234567',
    pipeline_execution: 'exec-1',
    evaluation_metric: 'auc',
    training_image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  });
});

afterAll(async () => {
  sagemaker.restore();
  await moto?.stop();
});

/** The model package as Register writes it from the signer's outputs (and optional changes). */
function registered(overrides: Record<string, string> = {}) {
  sagemaker.on(DescribeModelPackageCommand).resolves({
    ModelPackageArn: PACKAGE_ARN,
    InferenceSpecification: { Containers: [{ Image: 'img', ModelDataUrl: ARTIFACT }] },
    CustomerMetadataProperties: {
      [MODEL_METADATA_KEYS.artifactSha256]: signed.artifact_sha256,
      [MODEL_METADATA_KEYS.signature]: signed.signature,
      [MODEL_METADATA_KEYS.signingKeyArn]: signed.signing_key_arn,
      [MODEL_METADATA_KEYS.signingAlgorithm]: signed.signing_algorithm,
      ...overrides,
    },
  });
}

function verify() {
  return verifyModelPackage({ sagemaker: new SageMakerClient({ region: 'us-east-1' }), s3, kms }, PACKAGE_ARN, 'alias/aidlc/churn/model-signing');
}

(MOTO ? describe : describe.skip)('model artifact signing (moto KMS and S3)', () => {
  test('the signer signs the artifact digest with the signing key and returns what Register records', async () => {
    expect(signed.artifact_sha256).toBe(sha256Hex(MODEL));
    expect(signed.signing_key_arn).toBe(keyArn);
    expect(signed.signing_algorithm).toBe('ECDSA_SHA_256');
    expect(signed.signature.length).toBeLessThanOrEqual(256);
    expect(signed.training_job_arn).toMatch(/training-job\/pipelines-abc-train$/);
    const card = JSON.parse(signed.model_card);
    expect(card.training_details.training_job_details.training_datasets).toEqual([manifestUri]);
    expect(card.training_details.training_job_details.hyper_parameters).toEqual([{ name: 'num_round', value: '200' }]);
    expect(card.evaluation_details[0].metric_groups[0].metric_data).toEqual([{ name: 'auc', type: 'number', value: 0.91 }]);
    expect(sagemaker.commandCalls(AddAssociationCommand).map((c) => c.args[0].input.AssociationType)).toEqual(['ContributedTo', 'ContributedTo']);
  });

  test('an untouched artifact verifies', async () => {
    registered();
    await expect(verify()).resolves.toMatchObject({ artifactSha256: sha256Hex(MODEL), signingKeyArn: keyArn });
  });

  test('a tampered artifact is refused: its digest no longer matches the signed one', async () => {
    registered();
    await put('artifacts', 'pipelines/churn-training/exec-1/models/model.tar.gz', Buffer.from('model bytes: with a backdoor'));
    try {
      await expect(verify()).rejects.toThrow(/the artifact changed after it was signed; refusing to deploy/);
    } finally {
      await put('artifacts', 'pipelines/churn-training/exec-1/models/model.tar.gz', MODEL);
    }
  });

  test('a tampered artifact with its recorded digest rewritten is refused: the signature does not verify', async () => {
    const forged = Buffer.from('model bytes: forged');
    await put('artifacts', 'pipelines/churn-training/exec-1/models/model.tar.gz', forged);
    registered({ [MODEL_METADATA_KEYS.artifactSha256]: sha256Hex(forged) });
    try {
      await expect(verify()).rejects.toThrow(/does not verify .* refusing to deploy/);
    } finally {
      await put('artifacts', 'pipelines/churn-training/exec-1/models/model.tar.gz', MODEL);
    }
  });

  test('a package signed with another key, or not signed, is refused', async () => {
    registered({ [MODEL_METADATA_KEYS.signingKeyArn]: otherKeyArn });
    await expect(verify()).rejects.toThrow(/was signed with .*, not with this model's signing key/);
    sagemaker.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: PACKAGE_ARN, InferenceSpecification: { Containers: [{ Image: 'i', ModelDataUrl: ARTIFACT }] } });
    await expect(verify()).rejects.toThrow(ModelVerificationError);
    await expect(verify()).rejects.toThrow(/records no artifact_sha256/);
  });

  test('the signer refuses a manifest that changed after the gate', async () => {
    await expect(signModel({ s3, kms, sagemaker: new SageMakerClient({ region: 'us-east-1' }) }, keyArn, 'p', {
      model_artifacts: ARTIFACT,
      training_job_name: 'j',
      manifest_uri: manifestUri,
      manifest_sha256: '0'.repeat(64),
      evaluation_uri: 's3://artifacts/e.json',
      signature_uri: 's3://artifacts/s.json',
      source_revision: 'c',
      pipeline_execution: 'e',
      evaluation_metric: 'auc',
      training_image: 'i',
    })).rejects.toThrow(/changed after the gate wrote it/);
  });
});
