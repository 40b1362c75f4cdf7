import { MODEL_PACKAGE_CONTEXT_KEY, MODEL_PACKAGE_VARIABLE } from './delivery-names';

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
 * Gate: the data contract checked on the dataset in S3; a violation fails the build. The profile of
 * the dataset that passed becomes the training baseline (registered with the model, scored against
 * by the drift monitor).
 */
export function gateSpec(nodeVersion: string): Spec {
  return withNode(nodeVersion, [
    'npx aidlc gate --contract "$CONTRACT" --data "$DATASET_URI"',
    'npx aidlc profile --contract "$CONTRACT" --data "$DATASET_URI" --out baseline-profile.json',
    'aws s3 cp baseline-profile.json "s3://$ARTIFACTS_BUCKET/$BASELINE_KEY" --sse aws:kms --sse-kms-key-id "$LAKE_KEY_ARN"',
  ]);
}

/** Train: runs the SageMaker Pipeline for this commit, waits, exports the registered model package. */
export function trainSpec(nodeVersion: string): Spec {
  return withNode(nodeVersion, [
    'npx aidlc pipeline train --training-pipeline "$TRAINING_PIPELINE" --commit "$SOURCE_COMMIT" --arn-file model-package.arn',
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

/** Deploy: one stack of the app, alone, with the approved model package as context. */
export function deploySpec(nodeVersion: string): Spec {
  return withNode(nodeVersion, [
    `npx cdk deploy "$STACK" --exclusively --require-approval never --context "${MODEL_PACKAGE_CONTEXT_KEY}=$${MODEL_PACKAGE_VARIABLE}"`,
  ]);
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
