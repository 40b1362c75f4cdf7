// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { KMSClient } from '@aws-sdk/client-kms';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ModelVerificationError, VerifyClients, verifyModelPackage } from '../../provenance/verify-model';
import { sdkRetryingClientSettings } from '../../shared/clients';
import { describeError } from '../../shared/retry';
import { CliCommand, EXIT } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

const USAGE = `Usage: aidlc model verify --model-package-arn ARN --signing-key KEY [--region REGION]

Checks a model package before it is deployed (the Deploy stages of the delivery pipeline run
this before cdk deploy creates the model): the model artifact's SHA-256 must equal the digest
recorded at registration, and the recorded signature over that digest must verify with the
model's signing key (KMS Verify, ECDSA_SHA_256, message type DIGEST).

  --model-package-arn ARN   the model package version to deploy
  --signing-key KEY         the model's signing key: alias/aidlc/<model>/model-signing, or its ARN
  --region REGION           AWS region (default: the environment's)

Exit codes: 0 verified; 1 refused (the artifact or its signature does not match: do not
deploy); 2 bad usage, or AWS refused or was unreachable.`;

/** `aidlc model verify`. */
export function createModelVerifyCommand(io: CliIo = PROCESS_IO, clientsFor: (region?: string) => VerifyClients = defaultClients): CliCommand {
  return {
    name: 'model verify',
    summary: 'Verify a model package\'s artifact digest and signature before deploying it',
    usage: USAGE,
    run: async (argv) => {
      const f = Flags.parse(argv, { 'model-package-arn': 'string', 'signing-key': 'string', 'region': 'string' });
      const arn = f.required('model-package-arn');
      const key = f.required('signing-key');
      try {
        const v = await verifyModelPackage(clientsFor(f.string('region')), arn, key);
        io.out(`verified ${v.modelPackageArn}: ${v.artifactUri} has SHA-256 ${v.artifactSha256}, signed with ${v.signingKeyArn} (${v.algorithm})`);
        return EXIT.OK;
      } catch (e) {
        if (e instanceof ModelVerificationError) {
          io.err(`aidlc model verify: REFUSED: ${e.message}`);
          return EXIT.VERDICT;
        }
        io.err(`aidlc model verify: could not verify ${arn}: ${describeError(e)}`);
        return EXIT.USAGE;
      }
    },
  };
}

function defaultClients(region?: string): VerifyClients {
  const config = sdkRetryingClientSettings(region);
  return { sagemaker: new SageMakerClient(config), s3: new S3Client(config), kms: new KMSClient(config) };
}

export const modelVerifyCommand = createModelVerifyCommand();
