import * as fs from 'fs';
import { ResolvedConfig } from '../../../src/config/resolved';
import { ResourceNames } from '../../../src/core/names/resource-names';
import { UsageError } from '../command';

/** Where the generated repository keeps its resolved config. */
export const DEFAULT_CONFIG_FILE = 'pipelines/aidlc.json';

/** The delivery pipeline a command works on. */
export interface PipelineTarget {
  readonly pipelineName: string;
  readonly region: string;
  /** The resolved config, when it could be read. */
  readonly config?: ResolvedConfig;
}

/** Reads the resolved config; undefined when the file does not exist. */
export function readConfig(file: string, read: (path: string) => string = (p) => fs.readFileSync(p, 'utf-8')): ResolvedConfig | undefined {
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON (${(e as Error).message}); run "npx projen" to regenerate it`);
  }
  const config = parsed as ResolvedConfig;
  if (typeof config !== 'object' || config === null || config.schemaVersion !== 1 || typeof config.modelName !== 'string') {
    throw new UsageError(`${file} is not a resolved aidlc-pipeline config; run "npx projen" to regenerate it`);
  }
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
  if (!pipelineName || !region) {
    throw new UsageError(`${file} not found: run in the repository root, or pass --pipeline NAME and --region REGION`);
  }
  return { pipelineName, region, config };
}
