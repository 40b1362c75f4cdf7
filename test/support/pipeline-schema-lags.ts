/**
 * Where AWS's published pipeline definition schema (vendored in
 * `test/judges/vendor/sagemaker-pipeline-definition-schema`, April 2025) lags what SageMaker
 * Pipelines accept. Each lag is a correction applied to a copy of the schema, with its reason.
 * Where the lag is in a step's Arguments, the schema is told to accept the member and botocore's
 * request shape decides its value (`botocore` names the member the test checks exists); where it
 * is in the definition format itself (expressions, property files, retry policies), the reason
 * names what the SageMaker Python SDK writes there. The test fails on a lag the judged
 * definitions no longer need.
 */
export interface SchemaLag {
  /** JSON pointer of the object in the schema that the correction changes. */
  readonly at: string;
  /** Keys set on that object (added, or replacing the schema's own). */
  readonly set: { readonly [key: string]: unknown };
  readonly reason: string;
  /** `Shape.Member` of botocore's SageMaker model that shows the API takes the member. */
  readonly botocore?: string;
}

/** The schema of a value botocore's shape check decides. */
const DECIDED_BY_BOTOCORE = true;

const EXCEPTION_TYPES = ['Step.SERVICE_FAULT', 'Step.THROTTLING', 'SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.CAPACITY_ERROR', 'SageMaker.RESOURCE_LIMIT', 'Emr.RESOURCE_LIMIT'];

/** The step types the schema allows in a condition branch. */
const BRANCH_STEPS = ['TrainingStep', 'FailStep', 'ProcessingStep', 'TransformStep', 'RegisterModelStep'].map((step) => ({ $ref: `#/definitions/${step}` }));

export const SCHEMA_LAGS: ReadonlyArray<SchemaLag> = [
  {
    at: '/definitions/ProcessingArgs/properties/ProcessingInputs/items/properties',
    set: { AppManaged: DECIDED_BY_BOTOCORE },
    botocore: 'ProcessingInput.AppManaged',
    reason: 'CreateProcessingJob takes AppManaged on each processing input; the schema lists the members of 2020 only.',
  },
  {
    at: '/definitions/ProcessingArgs/properties/ProcessingOutputConfig/properties/Outputs/items/properties',
    set: { AppManaged: DECIDED_BY_BOTOCORE },
    botocore: 'ProcessingOutput.AppManaged',
    reason: 'CreateProcessingJob takes AppManaged on each processing output.',
  },
  {
    at: '/definitions/RegisterModelStep/properties/Arguments/properties',
    set: { ModelApprovalStatus: DECIDED_BY_BOTOCORE },
    botocore: 'CreateModelPackageInput.ModelApprovalStatus',
    reason: 'CreateModelPackage takes ModelApprovalStatus: the RegisterModel step registers the model as PendingManualApproval.',
  },
  {
    at: '/definitions/RegisterModelStep/properties/Arguments/properties',
    set: { CustomerMetadataProperties: DECIDED_BY_BOTOCORE },
    botocore: 'CreateModelPackageInput.CustomerMetadataProperties',
    reason: 'CreateModelPackage takes CustomerMetadataProperties (the commit and the execution are recorded there).',
  },
  {
    at: '/definitions/RegisterModelStep/properties/Arguments/properties/InferenceSpecification/properties/Containers/items/properties',
    set: { Environment: DECIDED_BY_BOTOCORE },
    botocore: 'ModelPackageContainerDefinition.Environment',
    reason: 'A model package container takes Environment (the serving hooks: SAGEMAKER_PROGRAM and the rest).',
  },
  {
    at: '/definitions/RegisterModelStep/properties/Arguments/properties',
    set: { ModelCard: DECIDED_BY_BOTOCORE },
    botocore: 'CreateModelPackageInput.ModelCard',
    reason: 'CreateModelPackage takes ModelCard: the Register step sends the model card the signing step wrote (provenance of data, code and image).',
  },
  {
    at: '/definitions/ConditionStep/properties/Arguments/properties/IfSteps/items',
    set: { oneOf: [...BRANCH_STEPS, { $ref: '#/definitions/LambdaStep' }] },
    reason: 'A condition branch may hold any step type; the schema lists five. The SignArtifact Lambda step runs in the branch where the metric clears its bar, before Register.',
  },
  {
    at: '/definitions/ProcessingStep/properties',
    set: {
      PropertyFiles: {
        type: 'array',
        items: {
          type: 'object',
          properties: { PropertyFileName: { type: 'string' }, OutputName: { type: 'string' }, FilePath: { type: 'string' } },
          required: ['PropertyFileName', 'OutputName', 'FilePath'],
          additionalProperties: false,
        },
      },
    },
    reason: 'A Processing step declares the JSON files of its outputs that Std:JsonGet reads (the SageMaker Python SDK writes PropertyFiles on the step); the schema has no PropertyFiles.',
  },
  {
    at: '/definitions/RetryPolicy/properties',
    set: { ExceptionType: { type: 'array', minItems: 1, items: { type: 'string', enum: EXCEPTION_TYPES } } },
    reason: 'A retry policy lists the exception types it covers: the SageMaker Python SDK writes ExceptionType as an array; the schema has a single string.',
  },
  {
    at: '/definitions/JoinFunction',
    set: {
      properties: {
        'Std:Join': {
          type: 'object',
          properties: { On: { type: 'string' }, Values: { type: 'array' } },
          required: ['On', 'Values'],
          additionalProperties: false,
        },
      },
    },
    reason: 'The schema\'s Std:Join lacks "type" and "properties", so it rejects every join, On included; the SageMaker Python SDK writes {"Std:Join": {"On": ..., "Values": [...]}}.',
  },
  {
    at: '/definitions',
    set: {
      JsonGetFunction: {
        type: 'object',
        properties: {
          'Std:JsonGet': {
            type: 'object',
            properties: { PropertyFile: { oneOf: [{ type: 'string' }, { $ref: '#/definitions/GetFunction' }] }, S3Uri: true, Path: { type: 'string' } },
            required: ['Path'],
            additionalProperties: false,
          },
        },
        required: ['Std:JsonGet'],
        additionalProperties: false,
      },
      StringArgumentValue: { oneOf: [{ type: 'string' }, { $ref: '#/definitions/GetFunction' }, { $ref: '#/definitions/JoinFunction' }, { $ref: '#/definitions/JsonGetFunction' }] },
    },
    reason: 'A string argument (and a condition\'s left value) may be Std:Join or Std:JsonGet, resolved at run time; the schema allows a plain string or Get only, '
      + 'and has no Std:JsonGet at all (a value read from a step\'s property file, as the SageMaker Python SDK writes it).',
  },
];
