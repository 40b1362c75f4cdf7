import { createHash } from 'crypto';
import { TrainingSpec, VALIDATION_FRACTION } from './training-spec';
import { MODEL_METADATA_KEYS } from '../../core/model-package-metadata';

/** Names of the pipeline's steps. */
export const STEP_NAMES = {
  split: 'Split',
  train: 'Train',
  evaluate: 'Evaluate',
  check: 'CheckMetric',
  sign: 'SignArtifact',
  register: 'Register',
  fail: 'MetricBelowThreshold',
} as const;

/** Names of the pipeline's parameters, which `StartPipelineExecution` may set. */
export const PIPELINE_PARAMETER_NAMES = {
  /**
   * S3 URI of the training dataset: the data prefix of a gate run (`.../runs/<run>/data/`), which
   * holds exactly the objects its manifest lists. No default: a run names its data.
   */
  inputData: 'InputDataUri',
  /** S3 URI of the gate run's dataset manifest (`.../runs/<run>/manifest.json`). No default. */
  datasetManifest: 'DatasetManifestUri',
  /** SHA-256 of that manifest, as the gate recorded it. No default. */
  datasetManifestSha256: 'DatasetManifestSha256',
  /** S3 URI of the data baseline profile of that dataset (`aidlc profile`). */
  baselineProfile: 'BaselineProfileUri',
  /** The commit the run trains, recorded on the model package. */
  sourceRevision: 'SourceRevision',
} as const;

/** The Evaluate step's property file, read by the condition step. */
export const EVALUATION_PROPERTY_FILE = 'EvaluationReport';

/** Where the training script saves checkpoints inside the container. */
export const CHECKPOINT_LOCAL_PATH = '/opt/ml/checkpoints';

/** Version of the pipeline definition format. */
export const PIPELINE_DEFINITION_VERSION = '2020-12-01';

/** A code file in S3: its URI, and its file name once SageMaker has downloaded it. */
export interface CodeObject {
  readonly s3Uri: string;
  readonly fileName: string;
}

/**
 * The values known only at deployment (tokens in the construct, placeholders in the review file).
 */
export interface PipelineRefs {
  readonly roleArn: string;
  readonly keyArn: string;
  readonly artifactsBucket: string;
  readonly validatedBucket: string;
  /** tar.gz holding the training entry point (the Train step's `code` channel). */
  readonly sourceArchive: CodeObject;
  readonly splitScript: CodeObject;
  readonly evaluateScript: CodeObject;
  /** ARN of the Lambda function that hashes, signs and records the model (the SignArtifact step). */
  readonly signerFunctionArn: string;
  /**
   * The private subnets and security group every job runs in (alongside network isolation);
   * absent when the app has no network.
   */
  readonly vpc?: JobVpc;
}

/** Where a job's network interfaces go: SageMaker's `VpcConfig`. */
export interface JobVpc {
  readonly securityGroupIds: string[];
  readonly subnets: string[];
}

function vpcConfig(refs: PipelineRefs): Json {
  return refs.vpc ? { VpcConfig: { SecurityGroupIds: refs.vpc.securityGroupIds, Subnets: refs.vpc.subnets } } : {};
}

/** Names of the signing step's outputs (the signer Lambda returns them). */
export const SIGNER_OUTPUTS = ['artifact_sha256', 'signature', 'signing_key_arn', 'signing_algorithm', 'training_job_arn', 'model_card'] as const;

type Json = { [key: string]: unknown };

const PROCESSING = '/opt/ml/processing';
/** Longest hyperparameter value CreateTrainingJob accepts. */
const MAX_HYPERPARAMETER_LENGTH = 2500;
const DATA_SETS = ['train', 'validation', 'holdout'] as const;

/** Path of a metric in the evaluation report (as `training/evaluate.py` writes it). */
export function metricJsonPath(metric: string): string {
  const group = ['rmse', 'mae'].includes(metric) ? 'regression_metrics' : 'binary_classification_metrics';
  return `${group}.${metric}.value`;
}

function get(path: string): Json {
  return { Get: path };
}

function join(on: string, values: unknown[]): Json {
  return { 'Std:Join': { On: on, Values: values } };
}

function executionPrefix(spec: TrainingSpec, refs: PipelineRefs, ...parts: string[]): Json {
  return join('/', [`s3://${refs.artifactsBucket}/pipelines/${spec.pipelineName}`, get('Execution.PipelineExecutionId'), ...parts]);
}

function splitOutput(name: string): Json {
  return get(`Steps.${STEP_NAMES.split}.ProcessingOutputConfig.Outputs['${name}'].S3Output.S3Uri`);
}

const MODEL_ARTIFACTS = get(`Steps.${STEP_NAMES.train}.ModelArtifacts.S3ModelArtifacts`);
const EVALUATION_OUTPUT = get(`Steps.${STEP_NAMES.evaluate}.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri`);

function cacheConfig(spec: TrainingSpec): Json {
  return spec.cacheSteps ? { CacheConfig: { Enabled: true, ExpireAfter: 'P30D' } } : {};
}

function processingInput(name: string, s3Uri: unknown, localPath: string): Json {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: s3Uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
      S3CompressionType: 'None',
    },
  };
}

function processingOutput(name: string, s3Uri: unknown, localPath: string): Json {
  return { OutputName: name, AppManaged: false, S3Output: { S3Uri: s3Uri, LocalPath: localPath, S3UploadMode: 'EndOfJob' } };
}

/** A processing job of the pipeline: the framework image, isolated, encrypted. */
function processingArguments(spec: TrainingSpec, refs: PipelineRefs, script: CodeObject, args: unknown[], inputs: Json[], outputs: Json[]): Json {
  return {
    ProcessingResources: {
      ClusterConfig: {
        InstanceType: spec.processingInstanceType,
        InstanceCount: 1,
        VolumeSizeInGB: spec.volumeSizeGb,
        ...(spec.encryptProcessingVolume ? { VolumeKmsKeyId: refs.keyArn } : {}),
      },
    },
    AppSpecification: {
      ImageUri: spec.image,
      ContainerEntrypoint: ['python3', `${PROCESSING}/input/code/${script.fileName}`],
      ContainerArguments: args,
    },
    RoleArn: refs.roleArn,
    ProcessingInputs: [...inputs, processingInput('code', script.s3Uri, `${PROCESSING}/input/code`)],
    ProcessingOutputConfig: { KmsKeyId: refs.keyArn, Outputs: outputs },
    // Processing jobs take network isolation and a VPC together, in NetworkConfig.
    NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, ...vpcConfig(refs) },
    StoppingCondition: { MaxRuntimeInSeconds: spec.maxRuntimeSeconds },
  };
}

function splitStep(spec: TrainingSpec, refs: PipelineRefs): Json {
  const args = [
    '--input', `${PROCESSING}/input/data`,
    '--output', `${PROCESSING}/output`,
    '--holdout-fraction', String(spec.holdoutFraction),
    '--validation-fraction', String(VALIDATION_FRACTION),
    '--key-columns', spec.keyColumns.join(','),
    // The dataset must be exactly what the gate's manifest lists: Split checks every file.
    '--manifest', `${PROCESSING}/input/manifest`,
    '--manifest-sha256', get(`Parameters.${PIPELINE_PARAMETER_NAMES.datasetManifestSha256}`),
  ];
  return {
    Name: STEP_NAMES.split,
    Type: 'Processing',
    Arguments: processingArguments(spec, refs, refs.splitScript, args,
      [
        processingInput('data', get(`Parameters.${PIPELINE_PARAMETER_NAMES.inputData}`), `${PROCESSING}/input/data`),
        processingInput('manifest', get(`Parameters.${PIPELINE_PARAMETER_NAMES.datasetManifest}`), `${PROCESSING}/input/manifest`),
      ],
      DATA_SETS.map((name) => processingOutput(name, executionPrefix(spec, refs, name), `${PROCESSING}/output/${name}`))),
    ...cacheConfig(spec),
  };
}

function channel(name: string, s3Uri: unknown, contentType?: string): Json {
  return {
    ChannelName: name,
    ...(contentType ? { ContentType: contentType } : {}),
    InputMode: 'File',
    CompressionType: 'None',
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: s3Uri, S3DataDistributionType: 'FullyReplicated' } },
  };
}

/**
 * Hyperparameters as the SageMaker SDK sends them to framework containers: each value JSON-encoded,
 * so the container decodes every one (older containers decode all or none).
 */
function encodedHyperparameters(spec: TrainingSpec, refs: PipelineRefs): Json {
  const values: { [name: string]: string } = {
    ...spec.hyperparameters,
    sagemaker_program: spec.entryPointFile,
    sagemaker_submit_directory: `/opt/ml/input/data/code/${refs.sourceArchive.fileName}`,
    sagemaker_container_log_level: '20',
    sagemaker_region: spec.region,
  };
  const out: Json = {};
  for (const name of Object.keys(values).sort()) {
    const encoded = JSON.stringify(values[name]);
    if (encoded.length > MAX_HYPERPARAMETER_LENGTH) {
      throw new Error(`hyperparameter ${name} is ${encoded.length} characters once encoded; SageMaker takes at most ${MAX_HYPERPARAMETER_LENGTH}`);
    }
    out[name] = encoded;
  }
  return out;
}

function trainStep(spec: TrainingSpec, refs: PipelineRefs): Json {
  const metric = spec.roundMetric;
  return {
    Name: STEP_NAMES.train,
    Type: 'Training',
    Arguments: {
      AlgorithmSpecification: {
        TrainingImage: spec.image,
        TrainingInputMode: 'File',
        MetricDefinitions: ['train', 'validation'].map((set) => ({ Name: `${set}:${metric}`, Regex: `${set}-${metric}:\\s*([-+0-9.eE]+)` })),
      },
      HyperParameters: encodedHyperparameters(spec, refs),
      InputDataConfig: [
        channel('train', splitOutput('train'), 'text/csv'),
        channel('validation', splitOutput('validation'), 'text/csv'),
        channel('code', refs.sourceArchive.s3Uri),
      ],
      OutputDataConfig: { S3OutputPath: `s3://${refs.artifactsBucket}/pipelines/${spec.pipelineName}/models`, KmsKeyId: refs.keyArn },
      ResourceConfig: {
        InstanceType: spec.instanceType,
        InstanceCount: spec.instanceCount,
        VolumeSizeInGB: spec.volumeSizeGb,
        ...(spec.encryptTrainingVolume ? { VolumeKmsKeyId: refs.keyArn } : {}),
      },
      StoppingCondition: {
        MaxRuntimeInSeconds: spec.maxRuntimeSeconds,
        ...(spec.useSpot ? { MaxWaitTimeInSeconds: spec.maxWaitSeconds } : {}),
      },
      EnableManagedSpotTraining: spec.useSpot,
      // Tied to this run's training data (not the execution), so a cached Split lets Train be cached too;
      // the script ignores checkpoints of another configuration.
      CheckpointConfig: { S3Uri: join('', [splitOutput('train'), '-checkpoints']), LocalPath: CHECKPOINT_LOCAL_PATH },
      RoleArn: refs.roleArn,
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
      // Training jobs take a VPC beside network isolation: the container has no network, and
      // SageMaker moves the data, checkpoints and model through the private subnets.
      ...vpcConfig(refs),
    },
    RetryPolicies: [
      { ExceptionType: ['SageMaker.CAPACITY_ERROR', 'SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.RESOURCE_LIMIT'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 3 },
    ],
    ...cacheConfig(spec),
  };
}

function evaluateStep(spec: TrainingSpec, refs: PipelineRefs): Json {
  const args = [
    '--model', `${PROCESSING}/model`,
    '--holdout', `${PROCESSING}/holdout`,
    '--output', `${PROCESSING}/evaluation`,
    '--metric', spec.evaluationMetric,
    '--threshold', String(spec.metricThreshold),
    '--baseline', `${PROCESSING}/baseline`,
    ...(spec.metricHigherIsBetter ? [] : ['--lower-is-better']),
  ];
  return {
    Name: STEP_NAMES.evaluate,
    Type: 'Processing',
    Arguments: processingArguments(spec, refs, refs.evaluateScript, args, [
      processingInput('model', MODEL_ARTIFACTS, `${PROCESSING}/model`),
      processingInput('holdout', splitOutput('holdout'), `${PROCESSING}/holdout`),
      processingInput('baseline', get(`Parameters.${PIPELINE_PARAMETER_NAMES.baselineProfile}`), `${PROCESSING}/baseline`),
    ], [processingOutput('evaluation', executionPrefix(spec, refs, 'evaluation'), `${PROCESSING}/evaluation`)]),
    PropertyFiles: [{ PropertyFileName: EVALUATION_PROPERTY_FILE, OutputName: 'evaluation', FilePath: 'evaluation.json' }],
    ...cacheConfig(spec),
  };
}

function signerOutput(name: typeof SIGNER_OUTPUTS[number]): Json {
  return get(`Steps.${STEP_NAMES.sign}.OutputParameters['${name}']`);
}

/**
 * SignArtifact (Lambda): checks the dataset manifest against its recorded SHA-256, hashes
 * model.tar.gz, signs that digest with the model's KMS signing key (ECDSA P-256, message type
 * DIGEST), writes the signature document beside the evaluation, records the data and code as
 * lineage artifacts of the training job, and returns the model card for Register.
 */
function signStep(spec: TrainingSpec, refs: PipelineRefs): Json {
  return {
    Name: STEP_NAMES.sign,
    Type: 'Lambda',
    FunctionArn: refs.signerFunctionArn,
    Arguments: {
      model_artifacts: MODEL_ARTIFACTS,
      training_job_name: get(`Steps.${STEP_NAMES.train}.TrainingJobName`),
      manifest_uri: get(`Parameters.${PIPELINE_PARAMETER_NAMES.datasetManifest}`),
      manifest_sha256: get(`Parameters.${PIPELINE_PARAMETER_NAMES.datasetManifestSha256}`),
      evaluation_uri: join('/', [EVALUATION_OUTPUT, 'evaluation.json']),
      signature_uri: executionPrefix(spec, refs, 'signature.json'),
      source_revision: get(`Parameters.${PIPELINE_PARAMETER_NAMES.sourceRevision}`),
      pipeline_execution: get('Execution.PipelineExecutionId'),
      evaluation_metric: spec.evaluationMetric,
      training_image: spec.image,
    },
    OutputParameters: SIGNER_OUTPUTS.map((name) => ({ OutputName: name, OutputType: 'String' })),
  };
}

/** SHA-256 of the Train step's hyperparameters (canonical JSON of name -> value, names sorted). */
export function hyperparametersSha256(spec: TrainingSpec): string {
  const sorted: { [name: string]: string } = {};
  for (const name of Object.keys(spec.hyperparameters).sort()) sorted[name] = spec.hyperparameters[name];
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

function registerStep(spec: TrainingSpec): Json {
  const statistics = (file: string) => ({ ContentType: 'application/json', S3Uri: join('/', [EVALUATION_OUTPUT, file]) });
  const k = MODEL_METADATA_KEYS;
  return {
    Name: STEP_NAMES.register,
    Type: 'RegisterModel',
    Arguments: {
      ModelPackageGroupName: spec.modelPackageGroupName,
      ModelPackageDescription: `Trained by the SageMaker Pipeline ${spec.pipelineName}; ${spec.evaluationMetric} on the holdout cleared ${spec.metricHigherIsBetter ? '>=' : '<='} ${spec.metricThreshold}`,
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [{
          Image: spec.image,
          ModelDataUrl: MODEL_ARTIFACTS,
          // train.py copies itself into the model under code/: the serving hooks come with the artifacts.
          Environment: {
            SAGEMAKER_PROGRAM: spec.entryPointFile,
            SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
            SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
            SAGEMAKER_REGION: spec.region,
          },
        }],
        SupportedContentTypes: ['text/csv', 'application/json'],
        SupportedResponseMIMETypes: ['text/csv', 'application/json'],
      },
      ModelMetrics: {
        ModelQuality: { Statistics: statistics('evaluation.json') },
        ModelDataQuality: { Statistics: statistics('baseline-profile.json') },
      },
      // Where the model came from: commit, data, job, image, hyperparameters, metric, and the
      // signed digest of its artifact (the deploy stage verifies both before serving it).
      CustomerMetadataProperties: {
        [k.sourceRevision]: get(`Parameters.${PIPELINE_PARAMETER_NAMES.sourceRevision}`),
        [k.pipelineExecution]: get('Execution.PipelineExecutionId'),
        [k.manifestUri]: get(`Parameters.${PIPELINE_PARAMETER_NAMES.datasetManifest}`),
        [k.manifestSha256]: get(`Parameters.${PIPELINE_PARAMETER_NAMES.datasetManifestSha256}`),
        [k.trainingJobArn]: signerOutput('training_job_arn'),
        [k.trainingImage]: spec.image,
        [k.hyperparametersSha256]: hyperparametersSha256(spec),
        [k.metricName]: spec.evaluationMetric,
        [k.metricValue]: join('', [{
          'Std:JsonGet': {
            PropertyFile: get(`Steps.${STEP_NAMES.evaluate}.PropertyFiles.${EVALUATION_PROPERTY_FILE}`),
            Path: metricJsonPath(spec.evaluationMetric),
          },
        }]),
        [k.artifactSha256]: signerOutput('artifact_sha256'),
        [k.signature]: signerOutput('signature'),
        [k.signingKeyArn]: signerOutput('signing_key_arn'),
        [k.signingAlgorithm]: signerOutput('signing_algorithm'),
      },
      ModelCard: { ModelCardContent: signerOutput('model_card'), ModelCardStatus: 'Draft' },
    },
  };
}

function conditionStep(spec: TrainingSpec, refs: PipelineRefs): Json {
  const relation = spec.metricHigherIsBetter ? '>=' : '<=';
  return {
    Name: STEP_NAMES.check,
    Type: 'Condition',
    Arguments: {
      Conditions: [{
        Type: spec.metricHigherIsBetter ? 'GreaterThanOrEqualTo' : 'LessThanOrEqualTo',
        LeftValue: {
          'Std:JsonGet': {
            PropertyFile: get(`Steps.${STEP_NAMES.evaluate}.PropertyFiles.${EVALUATION_PROPERTY_FILE}`),
            Path: metricJsonPath(spec.evaluationMetric),
          },
        },
        RightValue: spec.metricThreshold,
      }],
      IfSteps: [signStep(spec, refs), registerStep(spec)],
      ElseSteps: [{
        Name: STEP_NAMES.fail,
        Type: 'Fail',
        Arguments: {
          ErrorMessage: `${spec.evaluationMetric} on the holdout did not clear the bar (${relation} ${spec.metricThreshold}); no model was registered. See evaluation.json of the ${STEP_NAMES.evaluate} step.`,
        },
      }],
    },
  };
}

/**
 * The SageMaker Pipeline definition (format 2020-12-01): Split (checks the data against the gate's
 * manifest) -> Train (Spot, checkpoints) -> Evaluate -> CheckMetric -> SignArtifact -> Register
 * (PendingManualApproval, with its provenance) or MetricBelowThreshold. The one
 * builder of both the deployed pipeline and `pipelines/sagemaker-pipeline.json`.
 */
export function buildPipelineDefinition(spec: TrainingSpec, refs: PipelineRefs): Json {
  return {
    Version: PIPELINE_DEFINITION_VERSION,
    Metadata: {},
    Parameters: [
      // No defaults: every run names the gate run it trains on (SageMaker refuses a start without them).
      { Name: PIPELINE_PARAMETER_NAMES.inputData, Type: 'String' },
      { Name: PIPELINE_PARAMETER_NAMES.datasetManifest, Type: 'String' },
      { Name: PIPELINE_PARAMETER_NAMES.datasetManifestSha256, Type: 'String' },
      { Name: PIPELINE_PARAMETER_NAMES.baselineProfile, Type: 'String', DefaultValue: `s3://${refs.artifactsBucket}/${spec.baselineProfileKey}` },
      { Name: PIPELINE_PARAMETER_NAMES.sourceRevision, Type: 'String', DefaultValue: 'unknown' },
    ],
    Steps: [splitStep(spec, refs), trainStep(spec, refs), evaluateStep(spec, refs), conditionStep(spec, refs)],
  };
}
