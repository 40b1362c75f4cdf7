import * as fs from 'fs';
import { AidlcConfigOptions } from './options';
import { resolveConfig } from './resolve';
import { ResolvedConfig } from './resolved';

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
   * Loads a resolved config written by the project (`pipelines/aidlc.json`).
   */
  public static load(file: string): ResolvedConfig {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf-8'));
    } catch (e) {
      throw new Error(`Cannot read the resolved config ${file}: ${(e as Error).message}. Run "npx projen" to regenerate it.`);
    }
    const config = parsed as ResolvedConfig;
    if (typeof config !== 'object' || config === null || config.schemaVersion !== 1) {
      throw new Error(`${file} is not a resolved aidlc-pipeline config (schemaVersion 1). Run "npx projen" to regenerate it.`);
    }
    if (typeof config.network !== 'object' || config.network === null) {
      throw new Error(`${file} has no network section: it was written by an older aidlc-pipeline. Run "npx projen" to regenerate it.`);
    }
    return config;
  }

  private constructor() {}
}
