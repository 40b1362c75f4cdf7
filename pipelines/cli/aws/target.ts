import { ResourceNames } from '../../../src/core/names/resource-names';
import { Problem } from '../../../src/core/problem';
import type { ResolvedConfig } from '../../../src/core/resolved';
import { CONFIG_SNAPSHOT_FILE, readConfigSnapshot } from '../../../src/core/snapshot/config-snapshot';
import { UsageError } from '../command';

/** Where the generated repository keeps its resolved config. */
export const DEFAULT_CONFIG_FILE = CONFIG_SNAPSHOT_FILE;

/** The delivery pipeline a command works on. */
export interface PipelineTarget {
  readonly pipelineName: string;
  readonly region: string;
  /** The resolved config, when it could be read. */
  readonly config?: ResolvedConfig;
}

/**
 * Reads the resolved config (`readConfigSnapshot`): undefined when the file does not exist; a
 * file that is not one is an error naming each problem.
 */
export function readConfig(file: string, read?: (path: string) => string): ResolvedConfig | undefined {
  return readConfigSnapshot(file, read);
}

/** The problem of a resolved config that is not there, with what else the command accepts. */
export function missingConfig(file: string, alternative: string): Problem {
  return { path: '--config', value: file, message: 'does not exist', fix: `run in the repository root, ${alternative}` };
}

/** The resolved config, which the command cannot do without. */
export function requireConfig(file: string | undefined, read?: (path: string) => string): ResolvedConfig {
  const path = file ?? DEFAULT_CONFIG_FILE;
  const config = readConfig(path, read);
  if (!config) throw new UsageError(missingConfig(path, 'or pass --config FILE'));
  return config;
}

/**
 * The pipeline from `--pipeline`/`--region`, else from the resolved config (`<model>-delivery`
 * in the config's region).
 */
export function pipelineTarget(
  options: { configFile?: string; pipeline?: string; region?: string },
  read?: (path: string) => string,
): PipelineTarget {
  const file = options.configFile ?? DEFAULT_CONFIG_FILE;
  const config = options.pipeline && options.region && !options.configFile ? undefined : readConfig(file, read);
  const pipelineName = options.pipeline ?? (config && new ResourceNames(config).deliveryPipeline);
  const region = options.region ?? config?.aws.region;
  if (!pipelineName || !region) throw new UsageError(missingConfig(file, 'or pass --pipeline NAME and --region REGION'));
  return { pipelineName, region, config };
}
