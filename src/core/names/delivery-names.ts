/**
 * Names the delivery stack, the pipeline and the `aidlc` CLI agree on. Plain strings only, so
 * the bundled CLI can import them without pulling in the CDK.
 */

/**
 * Name of the API key (and Cognito client) the delivery pipeline's smoke test calls the inference
 * API with; no consumer of the config may take it.
 */
export const SMOKE_TEST_CONSUMER = 'smoke-test';

/** CloudFormation output keys of the delivery stack (`aidlc github setup` reads them). */
export const DELIVERY_OUTPUTS = {
  /** ARN of the role the scan and gate jobs assume through OIDC. */
  readRoleArn: 'GithubReadRoleArn',
  /** ARN of the role the deploy and release jobs assume through OIDC. */
  deployRoleArn: 'GithubDeployRoleArn',
  /** Name of the CodePipeline. */
  pipelineName: 'DeliveryPipelineName',
  /** ARN of the Secrets Manager secret that holds the GitHub token for commit statuses. */
  statusTokenSecretArn: 'GithubStatusTokenSecretArn',
} as const;

/** CDK context key through which the pipeline hands the approved model package to `cdk deploy`. */
export const MODEL_PACKAGE_CONTEXT_KEY = 'aidlc:modelPackageArn';

/** Pipeline-level variables (override with `aidlc pipeline start --variable NAME=VALUE`). */
export const PIPELINE_VARIABLES = {
  /** `s3://bucket/prefix/` (every object below it) or `s3://bucket/key` of the dataset the Gate stage checks. */
  datasetUri: 'DATASET_URI',
} as const;

/** CodeBuild variables the Gate stage exports to Train: the gate run's dataset manifest and its SHA-256. */
export const DATASET_MANIFEST_VARIABLES = {
  uri: 'DATASET_MANIFEST_URI',
  sha256: 'DATASET_MANIFEST_SHA256',
} as const;

/** CodeBuild variable the Train stage exports: the model package the training run registered. */
export const MODEL_PACKAGE_VARIABLE = 'MODEL_PACKAGE_ARN';

/** Stage names of the pipeline, in order (deploy stages are `Deploy-<stage>`). */
export const PIPELINE_STAGES = {
  source: 'Source',
  gate: 'Gate',
  train: 'Train',
  approve: 'Approve',
  deployPrefix: 'Deploy-',
  monitor: 'Monitor',
} as const;

/** Name of the source action (`StartPipelineExecution` names it in `sourceRevisions`). */
export const SOURCE_ACTION_NAME = 'GitHub';
