// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import {
  DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeModelCommand, DescribeModelPackageCommand, DescribeTrainingJobCommand,
  ListEndpointsCommand, ListModelPackagesCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { readText } from './s3-objects';
import { MODEL_METADATA_KEYS } from '../../src/core/model-package-metadata';
import { InvalidValuesError } from '../../src/core/problem';
import { parseManifest, sha256Hex } from '../gate/manifest';

/**
 * The chain of one model version, from the commit to the endpoints serving it:
 * commit -> dataset manifest -> gate report -> training job -> model package -> endpoints.
 * Each link is read from AWS (the package's metadata, the manifest in S3, the training job,
 * the endpoints); a link that cannot be read is reported as a problem, not guessed.
 */
export interface LineageChain {
  readonly commit: string | null;
  readonly manifest: {
    readonly uri: string;
    readonly sha256: string;
    /** Whether the manifest in S3 still has the recorded SHA-256. */
    readonly intact: boolean;
    readonly run?: string;
    readonly dataUri?: string;
    readonly objects?: number;
    readonly rows?: number;
    readonly contractSha256?: string;
  } | null;
  readonly gateReport: { readonly uri: string; readonly verdict: string } | null;
  readonly trainingJob: {
    readonly arn: string;
    readonly status?: string;
    readonly image?: string;
    readonly hyperparameters?: { readonly [name: string]: string };
    readonly hyperparametersSha256?: string;
    readonly metrics: ReadonlyArray<{ readonly name: string; readonly value: number }>;
  } | null;
  readonly modelPackage: {
    readonly arn: string;
    readonly group?: string;
    readonly version?: number;
    readonly approval?: string;
    readonly createdAt?: string;
    readonly image?: string;
    readonly imageDigest?: string;
    readonly artifact?: string;
    readonly artifactSha256?: string;
    readonly signingKeyArn?: string;
    readonly signingAlgorithm?: string;
    readonly signed: boolean;
    readonly evaluation?: { readonly metric: string; readonly value: string };
    readonly pipelineExecution?: string;
  };
  readonly endpoints: ReadonlyArray<{ readonly name: string; readonly status?: string; readonly variant: string }>;
  /** Links that could not be read or do not hold together. */
  readonly problems: string[];
}

export interface LineageClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
}

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[^/]+\/\d+$/;

/** The model package ARN of `<arn | version>`: a version number is looked up in the group. */
export async function resolveModelPackage(sagemaker: SageMakerClient, arnOrVersion: string, group: string | undefined): Promise<string> {
  if (PACKAGE_ARN.test(arnOrVersion)) return arnOrVersion;
  if (!/^\d+$/.test(arnOrVersion)) {
    throw new InvalidValuesError('aidlc lineage', [{
      path: 'model package', value: arnOrVersion, message: 'is neither a model package version ARN nor a version number', fix: 'give arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>, or the version, e.g. 7',
    }]);
  }
  if (!group) {
    throw new InvalidValuesError('aidlc lineage', [{
      path: '--group', message: 'is needed to find a version number: it names the model package group', fix: 'pass --group, or --config with the repository\'s pipelines/aidlc.json',
    }]);
  }
  const version = Number(arnOrVersion);
  let NextToken: string | undefined;
  do {
    const page = await sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: group, NextToken, MaxResults: 100 }));
    const found = page.ModelPackageSummaryList?.find((p) => p.ModelPackageVersion === version);
    if (found?.ModelPackageArn) return found.ModelPackageArn;
    NextToken = page.NextToken;
  } while (NextToken);
  throw new Error(`model package group ${group} has no version ${version}`);
}

/** Reads the chain of a model package; see `LineageChain`. */
export async function traceLineage(c: LineageClients, modelPackageArn: string, endpointNameContains?: string): Promise<LineageChain> {
  const problems: string[] = [];
  const pkg = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }));
  const meta = pkg.CustomerMetadataProperties ?? {};
  const container = pkg.InferenceSpecification?.Containers?.[0];
  const commit = meta[MODEL_METADATA_KEYS.sourceRevision] && meta[MODEL_METADATA_KEYS.sourceRevision] !== 'unknown' ? meta[MODEL_METADATA_KEYS.sourceRevision] : null;
  if (!commit) problems.push('the model package records no commit (source_revision)');

  let manifest: LineageChain['manifest'] = null;
  let gateReport: LineageChain['gateReport'] = null;
  const manifestUri = meta[MODEL_METADATA_KEYS.manifestUri];
  const manifestSha = meta[MODEL_METADATA_KEYS.manifestSha256];
  if (manifestUri && manifestSha) {
    try {
      const text = await readText(c.s3, manifestUri);
      const intact = sha256Hex(text) === manifestSha.toLowerCase();
      if (!intact) problems.push(`the manifest ${manifestUri} no longer has the recorded SHA-256 ${manifestSha}`);
      const m = parseManifest(text, manifestUri);
      manifest = {
        uri: manifestUri,
        sha256: manifestSha,
        intact,
        run: m.run,
        dataUri: m.dataUri,
        objects: m.objects.length,
        rows: m.rows,
        contractSha256: m.contractSha256,
      };
      gateReport = { uri: m.gateReport.uri, verdict: m.gateReport.verdict };
    } catch (e) {
      manifest = { uri: manifestUri, sha256: manifestSha, intact: false };
      problems.push(`the manifest ${manifestUri} could not be read: ${(e as Error).message}`);
    }
  } else {
    problems.push('the model package records no dataset manifest');
  }

  let trainingJob: LineageChain['trainingJob'] = null;
  const jobArn = meta[MODEL_METADATA_KEYS.trainingJobArn];
  if (jobArn) {
    try {
      const job = await c.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobArn.slice(jobArn.lastIndexOf('/') + 1) }));
      trainingJob = {
        arn: jobArn,
        status: job.TrainingJobStatus,
        image: job.AlgorithmSpecification?.TrainingImage,
        hyperparameters: Object.fromEntries(Object.entries(job.HyperParameters ?? {}).filter(([k]) => !k.startsWith('sagemaker_'))),
        hyperparametersSha256: meta[MODEL_METADATA_KEYS.hyperparametersSha256],
        metrics: (job.FinalMetricDataList ?? []).map((m) => ({ name: m.MetricName ?? '?', value: Number(m.Value) })),
      };
    } catch (e) {
      trainingJob = { arn: jobArn, metrics: [] };
      problems.push(`the training job ${jobArn} could not be read: ${(e as Error).message}`);
    }
  } else {
    problems.push('the model package records no training job');
  }

  const signed = !!(meta[MODEL_METADATA_KEYS.signature] && meta[MODEL_METADATA_KEYS.artifactSha256] && meta[MODEL_METADATA_KEYS.signingKeyArn]);
  if (!signed) problems.push('the model package carries no artifact signature');
  const modelPackage: LineageChain['modelPackage'] = {
    arn: modelPackageArn,
    group: pkg.ModelPackageGroupName,
    version: pkg.ModelPackageVersion,
    approval: pkg.ModelApprovalStatus,
    createdAt: pkg.CreationTime?.toISOString(),
    image: container?.Image,
    imageDigest: container?.ImageDigest,
    artifact: container?.ModelDataUrl,
    artifactSha256: meta[MODEL_METADATA_KEYS.artifactSha256],
    signingKeyArn: meta[MODEL_METADATA_KEYS.signingKeyArn],
    signingAlgorithm: meta[MODEL_METADATA_KEYS.signingAlgorithm],
    signed,
    ...(meta[MODEL_METADATA_KEYS.metricName] ? { evaluation: { metric: meta[MODEL_METADATA_KEYS.metricName], value: meta[MODEL_METADATA_KEYS.metricValue] ?? '?' } } : {}),
    pipelineExecution: meta[MODEL_METADATA_KEYS.pipelineExecution],
  };

  const endpoints = await endpointsServing(c.sagemaker, modelPackageArn, endpointNameContains);
  return { commit, manifest, gateReport, trainingJob, modelPackage, endpoints, problems };
}

/** Endpoints whose current configuration serves a model made from the package. */
async function endpointsServing(sagemaker: SageMakerClient, modelPackageArn: string, nameContains?: string): Promise<LineageChain['endpoints']> {
  const out: { name: string; status?: string; variant: string }[] = [];
  let NextToken: string | undefined;
  do {
    const filter = nameContains ? { NameContains: nameContains } : {};
    const page = await sagemaker.send(new ListEndpointsCommand({ NextToken, MaxResults: 100, ...filter }));
    for (const e of page.Endpoints ?? []) {
      const endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: e.EndpointName }));
      if (!endpoint.EndpointConfigName) continue;
      const config = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }));
      for (const variant of config.ProductionVariants ?? []) {
        if (!variant.ModelName) continue;
        const model = await sagemaker.send(new DescribeModelCommand({ ModelName: variant.ModelName }));
        const packages = [model.PrimaryContainer?.ModelPackageName, ...(model.Containers ?? []).map((x) => x.ModelPackageName)];
        if (packages.includes(modelPackageArn)) out.push({ name: e.EndpointName!, status: endpoint.EndpointStatus, variant: variant.VariantName ?? '?' });
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** The chain as text, one link a line, in order. */
export function renderLineage(l: LineageChain): string {
  const p = l.modelPackage;
  const lines = [
    `commit        ${l.commit ?? '(not recorded)'}`,
    l.manifest
      ? `manifest      ${l.manifest.uri}\n              sha256 ${l.manifest.sha256} (${l.manifest.intact ? 'intact' : 'DOES NOT MATCH'})${l.manifest.run ? `, gate run ${l.manifest.run}, ${l.manifest.objects} object(s), ${l.manifest.rows} rows in ${l.manifest.dataUri}` : ''}`
      : 'manifest      (not recorded)',
    l.gateReport ? `gate report   ${l.gateReport.uri} (verdict ${l.gateReport.verdict})` : 'gate report   (unknown)',
    l.trainingJob
      ? `training job  ${l.trainingJob.arn}${l.trainingJob.status ? ` (${l.trainingJob.status})` : ''}${l.trainingJob.metrics.length ? `\n              ${l.trainingJob.metrics.map((m) => `${m.name}=${m.value}`).join(', ')}` : ''}${l.trainingJob.hyperparametersSha256 ? `\n              hyperparameters sha256 ${l.trainingJob.hyperparametersSha256}` : ''}`
      : 'training job  (not recorded)',
    `package       ${p.arn}${p.version !== undefined ? ` (version ${p.version}${p.approval ? `, ${p.approval}` : ''})` : ''}`,
    `              image ${p.image ?? '?'}${p.imageDigest ? `@${p.imageDigest}` : ''}`,
    `              artifact ${p.artifact ?? '?'}${p.artifactSha256 ? ` sha256 ${p.artifactSha256}` : ''}`,
    `              ${p.signed ? `signed with ${p.signingKeyArn} (${p.signingAlgorithm ?? '?'})` : 'NOT SIGNED'}${p.evaluation ? `; ${p.evaluation.metric} ${p.evaluation.value}` : ''}`,
    `endpoints     ${l.endpoints.length ? l.endpoints.map((e) => `${e.name} (${e.status ?? '?'}, variant ${e.variant})`).join(', ') : '(not deployed)'}`,
    ...l.problems.map((problem) => `problem       ${problem}`),
  ];
  return lines.join('\n') + '\n';
}
