/**
 * The layers of this package and what each may import, as zones of eslint-plugin-import's
 * `import/no-restricted-paths` rule: a file under `target` may not import anything that resolves
 * under `from`, unless it resolves under one of the `except` folders (relative to `from`).
 *
 * Paths are relative to the directory eslint runs in (the package root). Packages are matched on
 * the file the import resolves to, wherever their `node_modules` is (the package's own, a
 * workspace's or a symlinked one). An import the resolver cannot find is reported by
 * `import/no-unresolved` instead, so no import slips past a zone unresolved.
 *
 * `test/boundaries/import-boundaries.test.ts` lints an import that breaks each zone: a zone added
 * here needs a case there.
 */
export interface ImportBoundary {
  /** The files the zone applies to: folders, or globs. */
  readonly target: string | string[];
  /** What they may not import: folders, or globs (not both). */
  readonly from: string | string[];
  /** Folders under `from` they may import after all. */
  readonly except?: string[];
  /** Printed with each violation: the rule and the fix. */
  readonly message: string;
}

/** The CDK and projen packages, which the bundled code and the CDK-free layers never load. */
const CDK_AND_PROJEN_PACKAGES = ['aws-cdk-lib', 'constructs', 'projen', 'cdk-nag', '@aws-cdk', '@cdklabs'];

/** Globs of the files a package (or a scope's packages) resolves to. */
function packageFiles(names: string[]): string[] {
  return names.map((name) => `/**/node_modules/${name}/**`);
}

const NO_CDK = `(${CDK_AND_PROJEN_PACKAGES.map((name) => name.startsWith('@') ? `${name}/*` : name).join(', ')})`;

export const IMPORT_BOUNDARIES: ImportBoundary[] = [
  {
    target: 'src',
    from: 'pipelines',
    message: 'src/ never imports pipelines/: the chain runs pipelines/ from the bundles in lib/assets, which src/ names by path. Fix: move what both need into src/core.',
  },
  {
    target: 'src/core',
    from: packageFiles(CDK_AND_PROJEN_PACKAGES),
    message: `src/core is the CDK-free layer the CDK app, the CLI and the Lambdas share: it imports no CDK or projen package ${NO_CDK}. Fix: keep CDK code in src/constructs or src/app.`,
  },
  {
    target: 'src/core',
    from: 'src',
    except: ['./core'],
    message: 'src/core imports nothing from the rest of src/: config, project, github, constructs and app depend on it, not it on them. Fix: move what src/core needs into src/core.',
  },
  {
    target: 'src/config',
    from: packageFiles(CDK_AND_PROJEN_PACKAGES),
    message: `src/config depends only on src/core: it imports no CDK or projen package ${NO_CDK}. Fix: resolve the options to plain values; src/project and src/app turn them into files and resources.`,
  },
  {
    target: 'src/config',
    from: 'src',
    except: ['./config', './core'],
    message: 'src/config depends only on src/core: project, github and app read the config, not the other way round. Fix: move what the config needs into src/core.',
  },
  {
    target: 'src/constructs',
    from: packageFiles(['projen']),
    message: 'src/constructs know nothing of projen: they are CDK constructs any app can use. Fix: let src/project decide what a construct needs and pass it as props.',
  },
  {
    target: 'src/constructs',
    from: 'src',
    except: ['./constructs', './core'],
    message: 'src/constructs do not read the config or the layers above them (config, project, github, app): a construct takes what it needs as props. Fix: pass the value in from src/app; share names and rules through src/core.',
  },
  {
    // The resolved config's shape lives in src/core for the snapshot reader and the CLI; it is still the config.
    target: 'src/constructs',
    from: 'src/core/resolved.ts',
    message: 'src/constructs take props, not the resolved config (src/core/resolved.ts is its shape). Fix: give the construct props of its own; src/app maps the resolved config onto them.',
  },
  {
    target: 'pipelines',
    from: packageFiles(CDK_AND_PROJEN_PACKAGES),
    message: `pipelines/ is bundled by esbuild into lib/assets and runs without the CDK or projen: it imports none of their packages ${NO_CDK}. Fix: import the CDK-free code from src/core.`,
  },
  {
    target: 'pipelines',
    from: 'src',
    except: ['./core'],
    message: 'pipelines/ imports nothing from src/ but src/core: esbuild would bundle the rest with the CDK and projen code it imports. Fix: move what the chain needs into src/core.',
  },
  {
    target: ['pipelines/!(cli)/**', 'pipelines/*.ts'],
    from: 'pipelines/cli',
    message: 'Only the CLI imports pipelines/cli: the Lambdas and the code they share are bundled without it. Fix: move what both need into pipelines/shared.',
  },
  {
    target: ['pipelines/!(lambda)/**', 'pipelines/*.ts'],
    from: 'pipelines/lambda',
    message: 'Nothing outside pipelines/lambda imports a Lambda handler: each is an asset of its own. Fix: move what others need into pipelines/shared (or gate, monitor, provenance).',
  },
];
