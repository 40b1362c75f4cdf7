import { AidlcConfigOptions } from './options';
import { resolveConfig } from './resolve';
import { ResolvedConfig } from './resolved';
import { InvalidValuesError } from '../core/problem';
import { CONFIG_SNAPSHOT_FILE, readConfigSnapshot } from '../core/snapshot/config-snapshot';

/**
 * Reads and resolves the typed config.
 */
export class AidlcConfig {
  /**
   * Applies every default and checks every rule. Throws one error listing each problem with its
   * field path, the bad value and the fix.
   */
  public static resolve(options: AidlcConfigOptions): ResolvedConfig {
    return resolveConfig(options);
  }

  /**
   * Loads a resolved config written by the project (`pipelines/aidlc.json`). Throws when the
   * file is missing or is not one, naming each problem and the fix.
   */
  public static load(file: string): ResolvedConfig {
    const config = readConfigSnapshot(file);
    if (!config) {
      throw new InvalidValuesError('AidlcConfig.load', [{
        path: 'file', value: file, message: 'does not exist', fix: `run "npx projen" in the repository to write it, or give the path of its ${CONFIG_SNAPSHOT_FILE}`,
      }]);
    }
    return config;
  }

  private constructor() {}
}
