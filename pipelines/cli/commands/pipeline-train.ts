// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Flags } from '../flags';
import { reportAwsFailure, retryLogger } from './pipeline-follow';
import { ResourceNames } from '../../../src/core/names/resource-names';
import { DatasetManifest, parseManifest } from '../../gate/manifest';
import { readText } from '../../provenance/s3-objects';
import { AwsClientFactory, awsClientSettings } from '../../shared/clients';
import { DEFAULT_CONFIG_FILE, missingConfig, readConfig } from '../aws/target';
import { sageMakerRetryPolicy, TrainingPipelineApi, TrainingTimeout, waitForTraining, whyNoModel } from '../aws/training-run';
import { CliCommand, EXIT, UsageError } from '../command';
import { CliIo, PROCESS_IO } from '../io';

/** Name of the training pipeline's parameter that records the commit (see TrainingPipeline). */
export const SOURCE_REVISION_PARAMETER = 'SourceRevision';

/** The training pipeline's dataset parameters (see PIPELINE_PARAMETER_NAMES). */
export const DATASET_PARAMETERS = {
  inputData: 'InputDataUri',
  manifest: 'DatasetManifestUri',
  manifestSha256: 'DatasetManifestSha256',
  baselineProfile: 'BaselineProfileUri',
} as const;

const USAGE = `Usage: aidlc pipeline train --manifest s3://.../manifest.json --manifest-sha256 HEX [--commit SHA] [options]

Runs the SageMaker Pipeline that trains, evaluates and registers the model, waits for it, and
prints the model package it registered (the Train stage of the delivery pipeline runs this).
The run trains on exactly the dataset a gate run passed ("aidlc gate run" wrote its manifest):
the manifest is read and checked against its SHA-256 and verdict, then its data prefix, the
manifest and the hash become the run's InputDataUri, DatasetManifestUri and
DatasetManifestSha256, and its training baseline the BaselineProfileUri.

  --manifest URI            the gate run's dataset manifest
  --manifest-sha256 HEX     its SHA-256, as the gate recorded it
  --training-pipeline NAME  SageMaker Pipeline (default <model>-training from the config)
  --commit SHA              the commit being trained, recorded on the run
  --parameter NAME=VALUE    pipeline parameter, repeatable
  --arn-file FILE           write the registered model package ARN to FILE
  --poll-seconds N          interval between polls (default 30)
  --timeout-minutes N       give up after N minutes, exit 1 (default 0: no limit)
  --config FILE             resolved config (default pipelines/aidlc.json)
  --region REGION           AWS region (default the config's)

Each call to SageMaker has 5 s to connect and 30 s to answer, and is tried up to 6 times; a retry is
reported on stderr with the call's name. --timeout-minutes also ends a call under way.

Exit codes: 0 a model package was registered; 1 the run failed or stopped, or registered nothing
(the model missed its metric bar); 2 bad usage, or AWS refused or stayed unreachable.`;

/** `aidlc pipeline train`. */
export function createPipelineTrainCommand(io: CliIo = PROCESS_IO, clientSettings: AwsClientFactory = awsClientSettings): CliCommand {
  return {
    name: 'pipeline train',
    summary: 'Run the SageMaker training pipeline, wait, and print the registered model package',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, {
        'training-pipeline': 'string',
        'manifest': 'string',
        'manifest-sha256': 'string',
        'commit': 'string',
        'parameter': 'list',
        'arn-file': 'string',
        'poll-seconds': 'string',
        'timeout-minutes': 'string',
        'config': 'string',
        'region': 'string',
      });
      const commit = flags.string('commit');
      const parameters = flags.pairs('parameter');
      // The commit goes on the model package through the pipeline's SourceRevision parameter
      // (TrainingPipeline.SOURCE_REVISION_PARAMETER), unless a --parameter sets it already.
      if (commit && !parameters.some((p) => p.name === SOURCE_REVISION_PARAMETER)) {
        parameters.push({ name: SOURCE_REVISION_PARAMETER, value: commit });
      }
      const pollMs = flags.number('poll-seconds', 30, 1) * 1000;
      const timeoutMs = flags.number('timeout-minutes', 0, 0) * 60_000;
      const needsConfig = !flags.string('training-pipeline') || !flags.string('region');
      const configFile = flags.string('config') ?? DEFAULT_CONFIG_FILE;
      const config = needsConfig ? readConfig(configFile, io.readText) : undefined;
      const pipelineName = flags.string('training-pipeline') ?? (config && new ResourceNames(config).trainingPipeline);
      const region = flags.string('region') ?? config?.aws.region;
      if (!pipelineName || !region) throw new UsageError(missingConfig(configFile, 'or pass --training-pipeline NAME and --region REGION'));

      const manifestUri = flags.string('manifest');
      const manifestSha256 = flags.string('manifest-sha256');
      if (!!manifestUri !== !!manifestSha256) {
        const missing = manifestUri ? '--manifest-sha256' : '--manifest';
        throw new UsageError({ path: missing, message: 'is missing: the manifest is only trusted with the hash the gate recorded', fix: 'pass --manifest and --manifest-sha256 together' });
      }
      if (manifestUri && manifestSha256) {
        let manifest: DatasetManifest;
        try {
          manifest = parseManifest(await readText(new S3Client(clientSettings(region)), manifestUri), manifestUri, manifestSha256);
        } catch (e) {
          io.err(`pipeline train: ${(e as Error).message}`);
          return EXIT.USAGE;
        }
        if (manifest.gateReport.verdict !== 'pass') {
          io.err(`pipeline train: gate run ${manifest.run} did not pass (verdict ${manifest.gateReport.verdict}, ${manifest.gateReport.uri}); nothing is trained on it`);
          return EXIT.VERDICT;
        }
        const given = new Set(parameters.map((p) => p.name));
        const fromManifest = [
          { name: DATASET_PARAMETERS.inputData, value: manifest.dataUri },
          { name: DATASET_PARAMETERS.manifest, value: manifestUri },
          { name: DATASET_PARAMETERS.manifestSha256, value: manifestSha256.toLowerCase() },
          ...(manifest.trainingBaseline ? [{ name: DATASET_PARAMETERS.baselineProfile, value: manifest.trainingBaseline.uri }] : []),
        ];
        const clash = fromManifest.filter((p) => given.has(p.name)).map((p) => p.name);
        if (clash.length) {
          throw new UsageError({ path: '--parameter', value: clash.join(', '), message: 'would override what the manifest names', fix: 'drop it: the manifest sets it' });
        }
        parameters.push(...fromManifest);
        io.out(`Dataset: gate run ${manifest.run}, ${manifest.objects.length} object(s), ${manifest.rows} rows (${manifestUri})`);
      } else if (!parameters.some((p) => p.name === DATASET_PARAMETERS.manifest)) {
        throw new UsageError({
          path: '--manifest', message: 'is required: a training run names the gate run whose data it trains on', fix: 'pass the manifest and --manifest-sha256 that "aidlc gate run" wrote',
        });
      }

      const retry = sageMakerRetryPolicy(io.sleep);
      const client = new SageMakerClient(clientSettings(region));
      const api = new TrainingPipelineApi(client, pipelineName, { ...retry, onRetry: retryLogger(io, retry.attempts) });
      try {
        const arn = await api.start({
          displayName: commit ? `commit-${commit.slice(0, 12)}` : `aidlc-${io.now().getTime()}`,
          description: commit ? `aidlc delivery pipeline, commit ${commit}` : 'aidlc delivery pipeline',
          parameters,
          clientRequestToken: io.uuid(),
        });
        io.out(`Started ${pipelineName}: ${arn}`);
        const outcome = await waitForTraining(api, arn, {
          sleep: io.sleep,
          deadline: io.deadline,
          now: () => io.now().getTime(),
          pollMs,
          timeoutMs,
          onSteps: (steps) => io.out(steps.map((s) => `${s.StepName} ${s.StepStatus}`).join(' | ') || 'no step started yet'),
        });
        if (!outcome.modelPackageArn) {
          io.err(`${pipelineName}: ${whyNoModel(outcome)}`);
          return EXIT.VERDICT;
        }
        const arnFile = flags.string('arn-file');
        if (arnFile) io.writeText(arnFile, outcome.modelPackageArn);
        io.out(`Registered ${outcome.modelPackageArn}`);
        return EXIT.OK;
      } catch (e) {
        if (e instanceof TrainingTimeout) {
          io.err(`${pipelineName}: ${e.message}`);
          return EXIT.VERDICT;
        }
        return reportAwsFailure(io, 'pipeline train', e);
      }
    },
  };
}

export const pipelineTrainCommand = createPipelineTrainCommand();
