import { buildSync } from 'esbuild';

/**
 * `@octokit/rest` ships only as an ES module, which jest's CommonJS runtime cannot require.
 * Tests replace the module with the same code bundled to CommonJS by esbuild (as the production
 * bundle does), so the real Octokit talks to the fake GitHub server:
 *
 *   jest.mock('@octokit/rest', () => require('./octokit-commonjs').octokitAsCommonJs());
 */
export function octokitAsCommonJs(): unknown {
  const out = buildSync({
    entryPoints: [require.resolve('@octokit/rest')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}
