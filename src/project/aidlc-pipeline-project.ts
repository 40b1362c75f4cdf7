import { SampleReadme, awscdk, javascript, typescript } from 'projen';
import { AidlcConfigOptions, ResolvedConfig } from '../config';
import { AidlcGithub, githubProjectOptions } from '../github';
import { resolveForProjenrc } from './config-errors';
import { AppEntrypoint } from './files/app-entrypoint';
import { ConfigSnapshot } from './files/config-snapshot';
import { GeneratedReadme } from './files/readme';
import { RequestSchemaFile } from './files/request-schema';
import { SageMakerPipelineFile } from './files/sagemaker-pipeline';
import { SampleDataFile } from './files/sample-data';
import { SampleTests } from './files/sample-tests';
import { ThreatModel } from './files/threat-model';
import { TrainingSamples } from './files/training-samples';
import { PACKAGE_NAME, devSpec, peerSpec } from './package-info';
import { LOCAL_DIR, addAidlcTasks } from './tasks';
import { atLeastVersion } from './versions';

/**
 * Options of an ML model repository: everything projen's AWS CDK TypeScript app takes, plus the
 * one typed config of the chain.
 */
export interface AidlcPipelineProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions, AidlcConfigOptions {}

/** The oldest aws-cdk-lib the app is built against: cdk-nag 3 needs its validation context (`projen new` suggests an older one). */
const MIN_CDK_VERSION = '2.276.0';

/**
 * A GitHub repository for one ML model whose push to main runs the whole chain: scans, data gate,
 * SageMaker Spot training, registration, canary rollout and drift monitoring, all generated from
 * the config in `.projenrc.ts`.
 *
 * @pjid aidlc-pipeline
 */
export class AidlcPipelineProject extends awscdk.AwsCdkTypeScriptApp {
  /** The resolved config: every default applied, every rule checked. */
  public readonly config: ResolvedConfig;

  constructor(options: AidlcPipelineProjectOptions) {
    // Resolve first: an invalid config stops here, before a single file is written (in a
    // `.projenrc.ts` run with its message alone, otherwise as a thrown ConfigValidationError).
    const config = resolveForProjenrc(options);
    const usesSampleContract = options.data?.contract === undefined;
    // `projen new --from` records this package as a devDependency, but src/main.ts imports it at
    // synth: it belongs with the app's dependencies.
    const isSelf = (spec: string) => spec === PACKAGE_NAME || spec.startsWith(`${PACKAGE_NAME}@`);
    const self = [...(options.deps ?? []), ...(options.devDeps ?? [])].filter(isSelf);

    super({
      ...githubProjectOptions(config),
      sampleCode: false,
      projenrcTs: true,
      ...options,
      cdkVersion: atLeastVersion(options.cdkVersion, MIN_CDK_VERSION),
      // swc transpiles .projenrc.ts, the app and the tests; `tsc --noEmit` checks types once.
      projenrcTsOptions: {
        runner: typescript.TypeScriptRunner.tsNode({ swc: true }),
        ...options.projenrcTsOptions,
      },
      app: options.app ?? 'npx ts-node --swc --prefer-ts-exts src/main.ts',
      // The alpha SageMaker module lags aws-cdk-lib's interfaces; check our code, not theirs.
      tsconfig: { ...options.tsconfig, compilerOptions: { skipLibCheck: true, ...options.tsconfig?.compilerOptions } },
      tsconfigDev: { ...options.tsconfigDev, compilerOptions: { skipLibCheck: true, ...options.tsconfigDev?.compilerOptions } },
      deps: [
        ...(self.length > 0 ? self : [PACKAGE_NAME]),
        peerSpec('@aws-cdk/aws-sagemaker-alpha'),
        peerSpec('@cdklabs/cdk-validator-cfnguard'),
        peerSpec('cdk-nag'),
        ...(options.deps ?? []).filter((d) => !isSelf(d)),
      ],
      devDeps: [devSpec('@swc/core'), devSpec('@swc/jest'), ...(options.devDeps ?? []).filter((d) => !isSelf(d))],
      gitignore: [`/${LOCAL_DIR}/`, '__pycache__/', ...(options.gitignore ?? [])],
    });
    this.config = config;

    this.useSwcForJest();
    this.replaceSampleReadme();

    new ConfigSnapshot(this, config);
    new SageMakerPipelineFile(this, config);
    new AppEntrypoint(this, `${this.srcdir}/${this.appEntrypoint}`);
    new SampleDataFile(this, config, usesSampleContract);
    new RequestSchemaFile(this, config);
    new TrainingSamples(this);
    new SampleTests(this, config);
    new GeneratedReadme(this, config);
    new ThreatModel(this, config);
    new AidlcGithub(this, config);
    addAidlcTasks(this, config);
  }

  public preSynthesize(): void {
    super.preSynthesize();
    // cdk.json runs `npx projen bundle` before every synth; with no Lambda of the project's own to
    // bundle that task is empty, and starting npx and projen for it costs a second each synth.
    if (this.bundler.bundleTask.steps.length === 0) this.cdkConfig.json.addDeletionOverride('build');
  }

  private useSwcForJest(): void {
    if (!this.jest) return;
    this.deps.removeDependency('ts-jest');
    this.jest.config.transform = { '^.+\\.tsx?$': new javascript.Transform('@swc/jest') };
  }

  /** projen writes a one-line sample README; this project manages its own from the config. */
  private replaceSampleReadme(): void {
    for (const c of this.components) {
      if (c instanceof SampleReadme) this.node.tryRemoveChild(c.node.id);
    }
  }
}
