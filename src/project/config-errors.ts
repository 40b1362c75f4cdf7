import * as path from 'path';
import { AidlcConfigOptions, ResolvedConfig } from '../config';
import { resolveConfig } from '../config/resolve';
import { ConfigValidationError } from '../core/problem';

/** What `resolveForProjenrc` touches outside itself; tests pass stand-ins. */
export interface ProjenrcProcess {
  /** The main module of the process (`require.main`). */
  readonly main?: { readonly filename?: string };
  readonly writeError: (text: string) => void;
  readonly exit: (code: number) => never;
}

const NODE_PROCESS: ProjenrcProcess = {
  main: require.main,
  writeError: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/** Whether the process runs `.projenrc.ts` (or `.js`) as its main script, as `npx projen` does. */
export function runsProjenrc(main: ProjenrcProcess['main']): boolean {
  return main?.filename !== undefined && /^\.projenrc\.[cm]?[jt]s$/.test(path.basename(main.filename));
}

/**
 * The resolved config of a project. When the process is a `.projenrc` run, an invalid config
 * prints its message (every problem: field, value, fix) and nothing else, and exits 1: thrown
 * from there, Node would report it as a crash, with the source line, a stack trace and the
 * `problems` array printed a second time. Anywhere else the `ConfigValidationError` is thrown.
 */
export function resolveForProjenrc(options: AidlcConfigOptions, proc: ProjenrcProcess = NODE_PROCESS): ResolvedConfig {
  try {
    return resolveConfig(options);
  } catch (e) {
    if (e instanceof ConfigValidationError && runsProjenrc(proc.main)) {
      proc.writeError(`${e.message}\n`);
      return proc.exit(1);
    }
    throw e;
  }
}
