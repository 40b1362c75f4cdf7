// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { sha256OfObject } from './s3-objects';
import { SIGNING_ALGORITHM, verifyDigest } from './signing';
import { MODEL_METADATA_KEYS } from '../../src/core/model-package-metadata';

/** A model package that must not be served, and why (one sentence a person can act on). */
export class ModelVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelVerificationError';
  }
}

/** What was verified. */
export interface VerifiedModel {
  readonly modelPackageArn: string;
  readonly artifactUri: string;
  readonly artifactSha256: string;
  readonly signingKeyArn: string;
  readonly algorithm: string;
}

export interface VerifyClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly kms: KMSClient;
}

/**
 * Checks a model package before it is served: its artifact still has the SHA-256 recorded at
 * registration, and the recorded signature over that digest verifies with the model's signing
 * key (`signingKey`: its alias or ARN; a package signed with any other key is refused). Throws
 * `ModelVerificationError` saying what does not match.
 */
export async function verifyModelPackage(c: VerifyClients, modelPackageArn: string, signingKey: string): Promise<VerifiedModel> {
  const pkg = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }));
  const meta = pkg.CustomerMetadataProperties ?? {};
  const need = (key: string): string => {
    const v = meta[key];
    if (!v) {
      throw new ModelVerificationError(`model package ${modelPackageArn} records no ${key}: it was not signed by the training pipeline's SignArtifact step, so it is not deployed`);
    }
    return v;
  };
  const recordedSha = need(MODEL_METADATA_KEYS.artifactSha256);
  const signature = need(MODEL_METADATA_KEYS.signature);
  const recordedKey = need(MODEL_METADATA_KEYS.signingKeyArn);
  const algorithm = meta[MODEL_METADATA_KEYS.signingAlgorithm] ?? SIGNING_ALGORITHM;
  const artifactUri = pkg.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
  if (!artifactUri) throw new ModelVerificationError(`model package ${modelPackageArn} names no model artifact (ModelDataUrl)`);

  const key = await c.kms.send(new DescribeKeyCommand({ KeyId: signingKey }));
  const keyArn = key.KeyMetadata?.Arn;
  if (!keyArn) throw new ModelVerificationError(`the signing key ${signingKey} was not found`);
  if (recordedKey !== keyArn) {
    throw new ModelVerificationError(`model package ${modelPackageArn} was signed with ${recordedKey}, not with this model's signing key ${keyArn} (${signingKey}); refusing to deploy`);
  }
  const { sha256 } = await sha256OfObject(c.s3, artifactUri);
  if (sha256 !== recordedSha) {
    throw new ModelVerificationError(`the model artifact ${artifactUri} has SHA-256 ${sha256}, but ${recordedSha} was signed at registration: the artifact changed after it was signed; refusing to deploy`);
  }
  if (!(await verifyDigest(c.kms, keyArn, sha256, signature, algorithm))) {
    throw new ModelVerificationError(`the signature recorded on model package ${modelPackageArn} does not verify with ${keyArn} for digest ${sha256}: the package's provenance was altered; refusing to deploy`);
  }
  return { modelPackageArn, artifactUri, artifactSha256: sha256, signingKeyArn: keyArn, algorithm };
}
