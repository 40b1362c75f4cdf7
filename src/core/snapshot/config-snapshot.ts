import * as fs from 'fs';
import { InvalidValuesError, Problem } from '../problem';
import type { ResolvedConfig } from '../resolved';

/**
 * The one reader of the config snapshot: the resolved config a generated repository keeps in
 * `pipelines/aidlc.json`, which the CDK app, the `aidlc` CLI and the pipeline's CodeBuild steps
 * read. Every reader checks it the same way.
 */

/** Where a generated repository keeps its resolved config. */
export const CONFIG_SNAPSHOT_FILE = 'pipelines/aidlc.json';

/** The snapshot format this package writes and reads. */
export const CONFIG_SNAPSHOT_VERSION = 1;

/** The sections every reader relies on. */
const SECTIONS = ['aws', 'github', 'data', 'training', 'deployment', 'serving', 'monitoring', 'security', 'network'] as const;

const REGENERATE = 'run "npx projen" in the repository to regenerate it';

/** The file is not a config snapshot this package can read; names each problem. */
export class ConfigSnapshotError extends InvalidValuesError {
  constructor(file: string, problems: Problem[]) {
    super(file, problems);
    this.name = 'ConfigSnapshotError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a parsed snapshot: nothing for one this package wrote. */
function snapshotProblems(parsed: unknown): Problem[] {
  if (!isObject(parsed)) {
    return [{ path: 'contents', value: parsed, message: 'is not a JSON object', fix: REGENERATE }];
  }
  if (parsed.schemaVersion !== CONFIG_SNAPSHOT_VERSION) {
    return [{
      path: 'schemaVersion',
      value: parsed.schemaVersion,
      message: `is not the resolved config format this aidlc-pipeline reads (schemaVersion ${CONFIG_SNAPSHOT_VERSION})`,
      fix: REGENERATE,
    }];
  }
  const problems: Problem[] = [];
  if (typeof parsed.modelName !== 'string' || parsed.modelName === '') {
    problems.push({ path: 'modelName', value: parsed.modelName, message: 'must name the model', fix: REGENERATE });
  }
  for (const section of SECTIONS) {
    if (isObject(parsed[section])) continue;
    problems.push({
      path: section,
      value: parsed[section],
      message: parsed[section] === undefined ? 'is missing: the file was written by an older aidlc-pipeline' : 'must be an object',
      fix: REGENERATE,
    });
  }
  return problems;
}

/** Parses the text of a snapshot read from `file`; throws `ConfigSnapshotError` naming each problem. */
export function parseConfigSnapshot(text: string, file: string): ResolvedConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigSnapshotError(file, [{ path: 'contents', value: text, message: `is not JSON (${(e as Error).message})`, fix: REGENERATE }]);
  }
  const problems = snapshotProblems(parsed);
  if (problems.length > 0) throw new ConfigSnapshotError(file, problems);
  return parsed as ResolvedConfig;
}

/**
 * Reads the snapshot at `file`: undefined when there is no such file, `ConfigSnapshotError` when
 * it cannot be read or is not a snapshot.
 */
export function readConfigSnapshot(file: string, read: (path: string) => string = (p) => fs.readFileSync(p, 'utf8')): ResolvedConfig | undefined {
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new ConfigSnapshotError(file, [{ path: 'contents', message: `cannot be read (${(e as Error).message})`, fix: 'check the path and its permissions' }]);
  }
  return parseConfigSnapshot(text, file);
}
