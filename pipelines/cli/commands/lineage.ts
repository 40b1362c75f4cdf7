// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { S3Client } from '@aws-sdk/client-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled by esbuild, not a runtime dependency
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ResourceNames } from '../../../src/core/names/resource-names';
import { LineageClients, renderLineage, resolveModelPackage, traceLineage } from '../../provenance/lineage';
import { sdkRetryingClientSettings } from '../../shared/clients';
import { describeError } from '../../shared/retry';
import { DEFAULT_CONFIG_FILE, missingConfig, readConfig } from '../aws/target';
import { CliCommand, EXIT, UsageError } from '../command';
import { Flags } from '../flags';
import { CliIo, PROCESS_IO } from '../io';

const USAGE = `Usage: aidlc lineage <model-package-arn | version> [--json] [options]

Prints where a model version came from and where it runs: the commit, the dataset manifest (and
whether it still has the recorded SHA-256), the gate report and its verdict, the training job
(status, metrics), the model package (image and digest, artifact SHA-256, signing key) and the
endpoints serving it.

  --json            print the chain as JSON
  --group NAME      model package group of a version number (default: the config's model)
  --config FILE     resolved config (default pipelines/aidlc.json)
  --region REGION   AWS region (default the config's)

Exit codes: 0 the chain is complete; 1 a link is missing or does not match (listed as problems);
2 bad usage, or AWS refused or was unreachable.`;

/** `aidlc lineage`. */
export function createLineageCommand(io: CliIo = PROCESS_IO, clientsFor: (region: string) => LineageClients = (region) => ({
  sagemaker: new SageMakerClient(sdkRetryingClientSettings(region)), s3: new S3Client(sdkRetryingClientSettings(region)),
})): CliCommand {
  return {
    name: 'lineage',
    summary: 'Print a model version\'s chain: commit, manifest, gate report, training job, package, endpoints',
    usage: USAGE,
    run: async (argv) => {
      const flags = Flags.parse(argv, { json: 'boolean', group: 'string', config: 'string', region: 'string' }, { positionals: 1 });
      const target = flags.positionals[0];
      if (target === undefined) {
        throw new UsageError({ path: 'model package', message: 'is required', fix: 'name one model package: its ARN or its version number, e.g. aidlc lineage 7' });
      }
      const arnRegion = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):/.exec(target)?.[1];
      const configFile = flags.string('config') ?? DEFAULT_CONFIG_FILE;
      const needsConfig = !(flags.string('region') ?? arnRegion) || (!arnRegion && !flags.string('group'));
      const config = needsConfig ? readConfig(configFile, io.readText) : undefined;
      const region = flags.string('region') ?? arnRegion ?? config?.aws.region;
      if (!region) throw new UsageError(missingConfig(configFile, 'or pass --region REGION'));
      const group = flags.string('group') ?? (config && new ResourceNames(config).modelPackageGroup);
      const clients = clientsFor(region);
      try {
        const arn = await resolveModelPackage(clients.sagemaker, target, group);
        const chain = await traceLineage(clients, arn, config?.modelName ?? group);
        io.out(flags.boolean('json') ? JSON.stringify(chain, null, 2) : renderLineage(chain).trimEnd());
        return chain.problems.length === 0 ? EXIT.OK : EXIT.VERDICT;
      } catch (e) {
        io.err(`aidlc lineage: ${describeError(e)}`);
        return EXIT.USAGE;
      }
    },
  };
}

export const lineageCommand = createLineageCommand();
