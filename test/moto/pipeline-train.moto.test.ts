import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand, CreateModelPackageGroupCommand, CreateModelPackageCommandInput, CreatePipelineCommand, DescribeModelPackageCommand,
  DescribePipelineDefinitionForExecutionCommand, ListPipelineExecutionsCommand, ListPipelineParametersForExecutionCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { createPipelineTrainCommand } from '../../pipelines/cli/commands/pipeline-train';
import { buildManifest, serializeManifest, sha256Hex } from '../../pipelines/gate/manifest';
import { awsClientSettings } from '../../pipelines/shared/clients';
import { ResourceNames } from '../../src/core/names/resource-names';
import { FakeIo } from '../support/fake-io';
import { allSteps, judgedDefinitions } from '../support/judged-pipeline-definitions';
import { motoAvailable, motoClientConfig, MotoServer, startMoto } from '../support/moto-server';

/**
 * `aidlc pipeline train` against SageMaker as moto models it: the training pipeline created from
 * the definition the default config generates (as the training stack's CloudFormation does), then
 * started, followed and read by the CLI. moto finishes an execution at once and does not list its
 * steps; a small proxy in front of it answers ListPipelineExecutionSteps as SageMaker would once
 * the run succeeded, after registering the model in moto with the Register step's own arguments.
 */
jest.setTimeout(120_000);

const SHA = '0123456789abcdef0123456789abcdef01234567';
const { config, definition } = judgedDefinitions().find((d) => d.name === 'defaults')!;
const REGION = config.aws.region;
const RUN = 'gate-run-1';
const RUN_PREFIX = `s3://churn-validated/validated/churn/runs/${RUN}`;
const MANIFEST_URI = `${RUN_PREFIX}/manifest.json`;

/** The manifest a passing gate run writes: the run's data prefix, its one object and baseline. */
const MANIFEST = serializeManifest(buildManifest({
  dataset: 'churn',
  run: RUN,
  createdAt: new Date('2026-12-01T00:00:00Z'),
  source: 's3://churn-raw/raw/churn/',
  contract: {},
  trainingBaseline: { uri: `${RUN_PREFIX}/baseline-profile.json`, sha256: 'a'.repeat(64) },
  gateReport: { uri: `${RUN_PREFIX}/gate-report.json`, verdict: 'pass' },
  dataUri: `${RUN_PREFIX}/data/`,
  objects: [{
    bucket: 'churn-validated',
    key: `validated/churn/runs/${RUN}/data/train.csv`,
    size: 10,
    sha256: 'b'.repeat(64),
    rows: 2000,
    source: { bucket: 'churn-raw', key: 'raw/churn/train.csv' },
    report: `${RUN_PREFIX}/reports/train.csv.json`,
    verdict: 'pass',
  }],
}));
const MANIFEST_SHA256 = sha256Hex(MANIFEST);

/** Resolves the run-time expressions of the Register step's arguments for one execution. */
function resolve(value: unknown, parameters: Record<string, string>, executionId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, parameters, executionId));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, any>;
  if (typeof o.Get === 'string') {
    if (o.Get.startsWith('Parameters.')) return parameters[o.Get.slice('Parameters.'.length)];
    if (o.Get === 'Execution.PipelineExecutionId') return executionId;
    return `s3://churn-artifacts/pipelines/${executionId}/${o.Get.split('.').slice(1, 2).join('')}/output/model.tar.gz`;
  }
  if (o['Std:Join']) return o['Std:Join'].Values.map((v: unknown) => resolve(v, parameters, executionId)).join(o['Std:Join'].On);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, parameters, executionId)]));
}

/** Forwards every call to moto, and answers ListPipelineExecutionSteps itself. */
class StepsProxy {
  private server?: Server;

  constructor(private readonly moto: string, private readonly sagemaker: SageMakerClient) {}

  public async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((e) => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: String(e) }));
    }));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.headers['x-amz-target'] === 'SageMaker.ListPipelineExecutionSteps') {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(await this.steps(JSON.parse(body.toString()).PipelineExecutionArn)));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host')) as Record<string, string>;
    const answer = await fetch(`${this.moto}${req.url}`, { method: req.method, headers, body: body.length ? body : undefined });
    res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    res.end(Buffer.from(await answer.arrayBuffer()));
  }

  /** The steps of a run that succeeded: the model registered (in moto) with the Register step's arguments. */
  private async steps(arn: string): Promise<unknown> {
    const run = await this.sagemaker.send(new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: arn }));
    const steps = allSteps(JSON.parse(run.PipelineDefinition!).Steps);
    const listed = await this.sagemaker.send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: arn }));
    const parameters = Object.fromEntries((listed.PipelineParameters ?? []).map((p) => [p.Name!, p.Value!]));
    const register = steps.find((s) => s.Type === 'RegisterModel');
    const input = resolve(register.Arguments, parameters, arn.split('/').pop()!) as CreateModelPackageCommandInput;
    const registered = await this.sagemaker.send(new CreateModelPackageCommand(input));
    return {
      PipelineExecutionSteps: steps.filter((s) => s.Type !== 'Fail').reverse().map((s) => ({
        StepName: s.Name,
        StepStatus: 'Succeeded',
        ...(s.Type === 'RegisterModel' ? { Metadata: { RegisterModel: { Arn: registered.ModelPackageArn } } } : {}),
        ...(s.Type === 'Condition' ? { Metadata: { Condition: { Outcome: 'True' } } } : {}),
      })),
    };
  }
}

(motoAvailable() ? describe : describe.skip)('aidlc pipeline train on SageMaker (moto)', () => {
  let moto: MotoServer;
  let sagemaker: SageMakerClient;
  let proxy: StepsProxy;
  let endpoint: string;

  beforeAll(async () => {
    moto = await startMoto();
    sagemaker = new SageMakerClient(motoClientConfig(moto.endpoint, REGION));
    proxy = new StepsProxy(moto.endpoint, sagemaker);
    endpoint = await proxy.start();
  });
  afterAll(async () => {
    await proxy?.stop();
    sagemaker?.destroy();
    await moto?.stop();
  });

  test('starts the generated pipeline on the commit, waits, and prints the model package it registered', async () => {
    const names = new ResourceNames(config);
    await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: names.modelPackageGroup }));
    await sagemaker.send(new CreatePipelineCommand({
      PipelineName: names.trainingPipeline,
      PipelineDefinition: JSON.stringify(definition),
      RoleArn: `arn:aws:iam::123456789012:role/${config.modelName}-training-pipeline`,
    }));

    const s3 = new S3Client({ ...motoClientConfig(moto.endpoint, REGION), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'churn-validated' }));
    await s3.send(new PutObjectCommand({ Bucket: 'churn-validated', Key: `validated/churn/runs/${RUN}/manifest.json`, Body: MANIFEST }));
    s3.destroy();

    const io = new FakeIo({ 'pipelines/aidlc.json': JSON.stringify(config) });
    const settings = (region: string) => ({
      ...awsClientSettings(region), endpoint, forcePathStyle: true, credentials: motoClientConfig(endpoint).credentials,
    });
    const code = await createPipelineTrainCommand(io, settings).run([
      '--commit', SHA, '--arn-file', 'model-package.txt', '--poll-seconds', '1', '--manifest', MANIFEST_URI, '--manifest-sha256', MANIFEST_SHA256,
    ]);
    expect({ code, stderr: io.stderr }).toEqual({ code: 0, stderr: [] });

    // SageMaker (moto) has the run, named for the commit, with the commit as its SourceRevision parameter.
    const runs = await sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: names.trainingPipeline }));
    expect(runs.PipelineExecutionSummaries).toHaveLength(1);
    const run = runs.PipelineExecutionSummaries![0];
    expect(run).toMatchObject({ PipelineExecutionDisplayName: `commit-${SHA.slice(0, 12)}`, PipelineExecutionStatus: 'Succeeded' });
    const parameters = await sagemaker.send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: run.PipelineExecutionArn }));
    // ...and the gate run's data, manifest and baseline: what was gated is what is trained.
    expect(parameters.PipelineParameters).toEqual(expect.arrayContaining([
      { Name: 'SourceRevision', Value: SHA },
      { Name: 'InputDataUri', Value: `${RUN_PREFIX}/data/` },
      { Name: 'DatasetManifestUri', Value: MANIFEST_URI },
      { Name: 'DatasetManifestSha256', Value: MANIFEST_SHA256 },
      { Name: 'BaselineProfileUri', Value: `${RUN_PREFIX}/baseline-profile.json` },
    ]));
    expect(parameters.PipelineParameters).toHaveLength(5);
    const deployed = await sagemaker.send(new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: run.PipelineExecutionArn }));
    expect(JSON.parse(deployed.PipelineDefinition!)).toEqual(definition);

    // The CLI printed and wrote the model package the run registered, which records the commit.
    const arn = io.files.get('model-package.txt')!;
    expect(io.stdout).toContain(`Started ${names.trainingPipeline}: ${run.PipelineExecutionArn}`);
    expect(io.stdout.at(-1)).toBe(`Registered ${arn}`);
    const registered = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(registered).toMatchObject({
      ModelPackageGroupName: names.modelPackageGroup,
      ModelApprovalStatus: 'PendingManualApproval',
      CustomerMetadataProperties: { source_revision: SHA, pipeline_execution: run.PipelineExecutionArn!.split('/').pop() },
    });
  });

  test('an unknown pipeline is a clear error, exit 2, with no retries', async () => {
    const io = new FakeIo({ 'pipelines/aidlc.json': JSON.stringify(config) });
    const settings = (region: string) => ({ ...awsClientSettings(region), endpoint, credentials: motoClientConfig(endpoint).credentials });
    const dataset = [`InputDataUri=${RUN_PREFIX}/data/`, `DatasetManifestUri=${MANIFEST_URI}`, `DatasetManifestSha256=${MANIFEST_SHA256}`].flatMap((p) => ['--parameter', p]);
    await expect(createPipelineTrainCommand(io, settings).run(['--training-pipeline', 'nope', '--region', REGION, ...dataset])).resolves.toBe(2);
    expect(io.stderr).toEqual([expect.stringMatching(/^aidlc pipeline train: .*nope/)]);
    expect(io.sleeps).toEqual([]);
  });
});
