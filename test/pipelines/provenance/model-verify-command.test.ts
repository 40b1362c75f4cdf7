import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { createModelVerifyCommand } from '../../../pipelines/cli/commands/model-verify';
import { PROCESS_IO } from '../../../pipelines/cli/io';
import { findCommand } from '../../../pipelines/cli/main';

const sm = mockClient(SageMakerClient);
const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/3';
let err: jest.SpyInstance;
beforeEach(() => {
  sm.reset();
  err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => err.mockRestore());

const command = createModelVerifyCommand(PROCESS_IO, () => ({ sagemaker: new SageMakerClient({ region: 'us-east-1' }), s3: new S3Client({ region: 'us-east-1' }), kms: new KMSClient({ region: 'us-east-1' }) }));

test('an unsigned package is refused with exit 1 and a message saying why', async () => {
  sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: ARN, InferenceSpecification: { Containers: [{ Image: 'i', ModelDataUrl: 's3://a/m.tar.gz' }] } });
  await expect(command.run(['--model-package-arn', ARN, '--signing-key', 'alias/aidlc/churn/model-signing'])).resolves.toBe(1);
  expect(String(err.mock.calls[0][0])).toMatch(/^aidlc model verify: REFUSED: model package .*records no artifact_sha256/);
});

test('AWS failing is exit 2, not a verdict', async () => {
  sm.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
  await expect(command.run(['--model-package-arn', ARN, '--signing-key', 'alias/k'])).resolves.toBe(2);
  expect(String(err.mock.calls[0][0])).toContain('could not verify');
});

test('both flags are required; the command is reachable as "aidlc model verify"', async () => {
  await expect(command.run(['--model-package-arn', ARN])).rejects.toThrow(/--signing-key = \(not set\): is required/);
  expect(findCommand(['model', 'verify'])!.command.name).toBe('model verify');
  expect(findCommand(['lineage', '7'])!.command.name).toBe('lineage');
});
