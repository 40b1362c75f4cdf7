import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeModelCommand, DescribeModelPackageCommand, DescribeTrainingJobCommand,
  ListEndpointsCommand, ListModelPackagesCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { createLineageCommand } from '../../../pipelines/cli/commands/lineage';
import { buildManifest, serializeManifest, sha256Hex } from '../../../pipelines/gate/manifest';
import { MODEL_METADATA_KEYS } from '../../../src/core/model-package-metadata';
import { FakeIo } from '../../support/fake-io';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn/7';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const MANIFEST_URI = 's3://val/validated/churn/runs/e-1/manifest.json';
const JOB = 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/pipelines-abc-train-xyz';
const MANIFEST = serializeManifest(buildManifest({
  dataset: 'churn',
  run: 'e-1',
  createdAt: new Date('2026-12-01T00:00:00Z'),
  source: 's3://raw/raw/churn/',
  contract: {},
  gateReport: { uri: 's3://val/validated/churn/runs/e-1/gate-report.json', verdict: 'pass' },
  dataUri: 's3://val/validated/churn/runs/e-1/data/',
  objects: [{ bucket: 'val', key: 'validated/churn/runs/e-1/data/a.csv', size: 1, sha256: 'a'.repeat(64), rows: 800, source: { bucket: 'raw', key: 'raw/churn/a.csv' }, report: 's3://r', verdict: 'pass' },
    { bucket: 'val', key: 'validated/churn/runs/e-1/data/b.csv', size: 1, sha256: 'b'.repeat(64), rows: 700, source: { bucket: 'raw', key: 'raw/churn/b.csv' }, report: 's3://r', verdict: 'pass' }],
}));

function registered(manifestText = MANIFEST) {
  sm.on(DescribeModelPackageCommand, { ModelPackageName: ARN }).resolves({
    ModelPackageArn: ARN,
    ModelPackageGroupName: 'churn',
    ModelPackageVersion: 7,
    ModelApprovalStatus: 'Approved',
    InferenceSpecification: { Containers: [{ Image: '683313688378.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1', ImageDigest: `sha256:${'d'.repeat(64)}`, ModelDataUrl: 's3://art/model.tar.gz' }] },
    CustomerMetadataProperties: {
      [MODEL_METADATA_KEYS.sourceRevision]: COMMIT,
      [MODEL_METADATA_KEYS.manifestUri]: MANIFEST_URI,
      [MODEL_METADATA_KEYS.manifestSha256]: sha256Hex(MANIFEST),
      [MODEL_METADATA_KEYS.trainingJobArn]: JOB,
      [MODEL_METADATA_KEYS.hyperparametersSha256]: 'e'.repeat(64),
      [MODEL_METADATA_KEYS.metricName]: 'auc',
      [MODEL_METADATA_KEYS.metricValue]: '0.91',
      [MODEL_METADATA_KEYS.artifactSha256]: 'f'.repeat(64),
      [MODEL_METADATA_KEYS.signature]: 'MEUCIQ==',
      [MODEL_METADATA_KEYS.signingKeyArn]: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      [MODEL_METADATA_KEYS.signingAlgorithm]: 'ECDSA_SHA_256',
    },
  });
  s3.on(GetObjectCommand, { Bucket: 'val', Key: 'validated/churn/runs/e-1/manifest.json' }).callsFake(() => ({ Body: { transformToString: async () => manifestText } }));
  sm.on(DescribeTrainingJobCommand, { TrainingJobName: 'pipelines-abc-train-xyz' }).resolves({
    TrainingJobStatus: 'Completed', HyperParameters: { num_round: '"200"', sagemaker_program: '"train.py"' }, FinalMetricDataList: [{ MetricName: 'validation:auc', Value: 0.9 }],
  });
  sm.on(ListEndpointsCommand).resolves({ Endpoints: [{ EndpointName: 'churn-staging' } as never, { EndpointName: 'churn-prod' } as never] });
  sm.on(DescribeEndpointCommand, { EndpointName: 'churn-staging' }).resolves({ EndpointConfigName: 'cfg-staging', EndpointStatus: 'InService' });
  sm.on(DescribeEndpointCommand, { EndpointName: 'churn-prod' }).resolves({ EndpointConfigName: 'cfg-prod', EndpointStatus: 'InService' });
  sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'cfg-staging' }).resolves({ ProductionVariants: [{ VariantName: 'primary', ModelName: 'm-new' } as never] });
  sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'cfg-prod' }).resolves({ ProductionVariants: [{ VariantName: 'primary', ModelName: 'm-old' } as never] });
  sm.on(DescribeModelCommand, { ModelName: 'm-new' }).resolves({ PrimaryContainer: { ModelPackageName: ARN } });
  sm.on(DescribeModelCommand, { ModelName: 'm-old' }).resolves({ PrimaryContainer: { ModelPackageName: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn/6' } });
}

let io: FakeIo;
beforeEach(() => {
  sm.reset();
  s3.reset();
  io = new FakeIo();
});

const run = (...args: string[]) => createLineageCommand(io, () => ({ sagemaker: new SageMakerClient({ region: 'eu-west-1' }), s3: new S3Client({ region: 'eu-west-1' }) })).run(args);

test('prints the chain from the commit to the endpoints serving the package, as text', async () => {
  registered();
  await expect(run(ARN)).resolves.toBe(0);
  const text = io.stdout.join('\n');
  const order = ['commit        ' + COMMIT, 'manifest      ' + MANIFEST_URI, 'gate report   s3://val/validated/churn/runs/e-1/gate-report.json (verdict pass)',
    `training job  ${JOB} (Completed)`, `package       ${ARN} (version 7, Approved)`, 'endpoints     churn-staging (InService, variant primary)'];
  let at = -1;
  for (const line of order) {
    const i = text.indexOf(line);
    expect(i).toBeGreaterThan(at);
    at = i;
  }
  expect(text).toContain('(intact), gate run e-1, 2 object(s), 1500 rows');
  expect(text).toContain(`sagemaker-xgboost:1.7-1@sha256:${'d'.repeat(64)}`);
  expect(text).toContain('signed with arn:aws:kms:eu-west-1:123456789012:key/k (ECDSA_SHA_256); auc 0.91');
  expect(text).not.toContain('churn-prod');
});

test('--json gives the same chain as data; a version number is looked up in the group', async () => {
  registered();
  sm.on(ListModelPackagesCommand, { ModelPackageGroupName: 'churn' }).resolves({
    ModelPackageSummaryList: [
      { ModelPackageArn: ARN.replace(/7$/, '6'), ModelPackageVersion: 6 } as never, { ModelPackageArn: ARN, ModelPackageVersion: 7 } as never,
    ],
  });
  await expect(run('7', '--group', 'churn', '--region', 'eu-west-1', '--json')).resolves.toBe(0);
  const chain = JSON.parse(io.stdout.join('\n'));
  expect(chain).toMatchObject({
    commit: COMMIT,
    manifest: { uri: MANIFEST_URI, intact: true, run: 'e-1', objects: 2, rows: 1500 },
    gateReport: { verdict: 'pass' },
    trainingJob: { arn: JOB, status: 'Completed', hyperparameters: { num_round: '"200"' }, metrics: [{ name: 'validation:auc', value: 0.9 }] },
    modelPackage: { arn: ARN, version: 7, signed: true, imageDigest: `sha256:${'d'.repeat(64)}` },
    endpoints: [{ name: 'churn-staging', variant: 'primary' }],
    problems: [],
  });
});

test('a manifest that changed since registration is a problem (exit 1), not a silent pass', async () => {
  registered(MANIFEST.replace('"rows": 1500', '"rows": 1501'));
  await expect(run(ARN, '--json')).resolves.toBe(1);
  const chain = JSON.parse(io.stdout.join('\n'));
  expect(chain.manifest.intact).toBe(false);
  expect(chain.problems).toEqual([expect.stringContaining('no longer has the recorded SHA-256')]);
});

test('bad usage says what to pass', async () => {
  await expect(run()).rejects.toThrow(/model package = \(not set\): is required. Fix: name one model package/);
  await expect(run('7', '--region', 'eu-west-1', '--config', '/nonexistent/aidlc.json')).resolves.toBe(2);
  expect(io.stderr.join('\n')).toMatch(/--group = \(not set\): is needed to find a version number/);
});
