import { DATASET_MANIFEST_VARIABLES, MODEL_PACKAGE_CONTEXT_KEY, MODEL_PACKAGE_VARIABLE } from '../../core/names/delivery-names';

type Spec = { [key: string]: unknown };

function withNode(nodeVersion: string, build: string[], extra: Spec = {}): Spec {
  return {
    version: '0.2',
    env: { shell: 'bash', ...(extra.env as Spec | undefined) },
    phases: {
      install: {
        'runtime-versions': { nodejs: nodeVersion },
        'commands': ['npm ci --no-audit --no-fund'],
      },
      build: { commands: build },
    },
  };
}

/**
 * Gate: one gate run over the dataset in S3 (`aidlc gate run`): every object checked and copied,
 * as the version checked, into this execution's prefix of the validated bucket (or of the
 * quarantine bucket); the passed objects checked together; the dataset manifest written. A
 * quarantined object or a dataset-wide violation fails the build. The manifest's location and
 * SHA-256 are exported to Train, and the profile of the passed data becomes the training baseline.
 */
export function gateSpec(nodeVersion: string): Spec {
  return withNode(nodeVersion, [
    'npx aidlc gate run --contract "$CONTRACT" --dataset "$DATASET_URI" --validated "$VALIDATED_URI" --quarantine "$QUARANTINE_URI"'
      + ' --run "$PIPELINE_EXECUTION_ID" --baseline-out "s3://$ARTIFACTS_BUCKET/$BASELINE_KEY" --env-file gate.env',
    'set -a; . ./gate.env; set +a',
  ], { env: { 'exported-variables': [DATASET_MANIFEST_VARIABLES.uri, DATASET_MANIFEST_VARIABLES.sha256] } });
}

/**
 * Train: runs the SageMaker Pipeline for this commit on exactly the Gate's dataset manifest,
 * waits, exports the registered model package.
 */
export function trainSpec(nodeVersion: string): Spec {
  return withNode(nodeVersion, [
    'npx aidlc pipeline train --training-pipeline "$TRAINING_PIPELINE" --commit "$SOURCE_COMMIT"'
      + ` --manifest "$${DATASET_MANIFEST_VARIABLES.uri}" --manifest-sha256 "$${DATASET_MANIFEST_VARIABLES.sha256}" --arn-file model-package.arn`,
    `${MODEL_PACKAGE_VARIABLE}="$(cat model-package.arn)"`,
  ], { env: { 'exported-variables': [MODEL_PACKAGE_VARIABLE] } });
}

/** Approve: after a person approved in CodePipeline, the model package becomes Approved. */
export function recordApprovalSpec(): Spec {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      build: {
        commands: [
          `aws sagemaker update-model-package --model-package-arn "$${MODEL_PACKAGE_VARIABLE}" --model-approval-status Approved`
            + ' --approval-description "Approved in CodePipeline $PIPELINE_NAME, execution $PIPELINE_EXECUTION_ID"',
        ],
      },
    },
  };
}

/**
 * Where the repository's packages keep the `aidlc` CLI: esbuild bundles that run with Node.js
 * alone (the dispatcher `aidlc.js` and one file per command beside it, AWS SDK included).
 */
export const BUNDLED_CLI_DIRECTORY = 'node_modules/aidlc-pipeline/lib/assets/cli';

/** Options of the Deploy step's buildspec. */
export interface DeploySpecOptions {
  /**
   * Also hand on the bundled CLI as the step's output artifact, for a smoke test that runs where
   * `npm ci` cannot (inside the model's VPC, which has no route to the npm registry).
   * @default false
   */
  readonly cliArtifact?: boolean;
}

/**
 * Deploy: the approved model package's artifact digest and signature are verified (a mismatch
 * fails the build before anything is deployed), then one stack of the app is deployed, alone,
 * with the package as context.
 */
export function deploySpec(nodeVersion: string, options: DeploySpecOptions = {}): Spec {
  const spec = withNode(nodeVersion, [
    `npx aidlc model verify --model-package-arn "$${MODEL_PACKAGE_VARIABLE}" --signing-key "$SIGNING_KEY"`,
    `npx cdk deploy "$STACK" --exclusively --require-approval never --context "${MODEL_PACKAGE_CONTEXT_KEY}=$${MODEL_PACKAGE_VARIABLE}"`,
  ]);
  if (!options.cliArtifact) return spec;
  return { ...spec, artifacts: { 'base-directory': BUNDLED_CLI_DIRECTORY, 'files': ['**/*'] } };
}

/**
 * Smoke test: the stage's inference API, just deployed, must score rows of the sample and reject
 * requests that break the request schema with 400; otherwise the stage fails and the rollout
 * stops there. The results table goes to the build log.
 */
export function smokeTestSpec(nodeVersion: string): Spec {
  return withNode(nodeVersion, [
    'npx aidlc smoke-test --stage "$STAGE" --stack "$STACK" --summary smoke-test.md',
  ]);
}

/**
 * The smoke test of a private API, on CodeBuild inside the model's VPC: no package install (there
 * is no route to the npm registry there). The primary input is the CLI the stage's Deploy step
 * handed on; the source (`pipelines/aidlc.json`, the sample rows) is the secondary input named
 * `Source`. The runtime is one of the image's pre-installed Node.js versions.
 */
export function privateSmokeTestSpec(nodeVersion: string, sourceArtifact: string): Spec {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: nodeVersion } },
      build: {
        commands: [
          `cd "$CODEBUILD_SRC_DIR_${sourceArtifact}"`,
          'node "$CODEBUILD_SRC_DIR/aidlc.js" smoke-test --stage "$STAGE" --stack "$STACK" --summary smoke-test.md',
        ],
      },
    },
  };
}
