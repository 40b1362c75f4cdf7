import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IModelRegistry } from './model-registry';
import { PipelineWildcard } from './training-pipeline-acknowledgements';

/** An object the pipeline's jobs read their code from. */
export interface CodeLocation {
  readonly bucketName: string;
  readonly objectKey: string;
}

/** What the pipeline role may touch, and nothing else. */
export interface PipelineRoleScope {
  readonly pipelineName: string;
  readonly key: kms.IKey;
  readonly validatedBucket: s3.IBucket;
  readonly artifactsBucket: s3.IBucket;
  /** Key of the baseline profile the Evaluate step copies. */
  readonly baselineProfileKey: string;
  readonly registry: IModelRegistry;
  readonly code: CodeLocation[];
  /** ECR repository ARN of a custom image, if the pipeline runs one. */
  readonly customImageRepositoryArn?: string;
}

/** Key prefix of everything one pipeline writes in the artifacts bucket. */
export function pipelinePrefix(pipelineName: string): string {
  return `pipelines/${pipelineName}/`;
}

function folderOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? key : key.slice(0, slash + 1);
}

/** The pipeline role's statements, and the wildcards among their resources with the reason for each. */
export interface PipelinePermissions {
  readonly statements: iam.PolicyStatement[];
  readonly wildcards: PipelineWildcard[];
}

/**
 * The permissions of the pipeline role: run its own jobs, read the validated data and its code,
 * write under its prefix of the artifacts bucket, use the data lake key, register into its model
 * package group, write its job logs and metrics, and pass itself to SageMaker.
 */
export function pipelinePermissions(stack: Stack, role: iam.IRole, scope: PipelineRoleScope): PipelinePermissions {
  const sagemakerArn = (resource: string, resourceName: string) => stack.formatArn({ service: 'sagemaker', resource, resourceName });
  const prefix = pipelinePrefix(scope.pipelineName);
  const baselineFolder = folderOf(scope.baselineProfileKey);
  const jobs = [sagemakerArn('training-job', 'pipelines-*'), sagemakerArn('processing-job', 'pipelines-*')];
  const codeBuckets = [...new Set(scope.code.map((c) => c.bucketName))];
  const validatedObjects = scope.validatedBucket.arnForObjects('*');
  const baselineObjects = scope.artifactsBucket.arnForObjects(`${baselineFolder}*`);
  const pipelineObjects = scope.artifactsBucket.arnForObjects(`${prefix}*`);
  const logGroups = ['TrainingJobs', 'ProcessingJobs'].map((kind) => stack.formatArn({
    service: 'logs', resource: 'log-group', resourceName: `/aws/sagemaker/${kind}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  }));
  const statements = [
    new iam.PolicyStatement({
      sid: 'PassOwnRoleToSageMaker',
      actions: ['iam:PassRole'],
      resources: [role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'RunPipelineJobs',
      actions: [
        'sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob',
        'sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob',
        'sagemaker:AddTags',
      ],
      resources: jobs,
    }),
    new iam.PolicyStatement({
      sid: 'RegisterModelVersions',
      actions: ['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:AddTags'],
      resources: [scope.registry.modelPackageGroupArn, scope.registry.modelPackagesArn],
    }),
    new iam.PolicyStatement({
      sid: 'ReadValidatedData',
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [scope.validatedBucket.bucketArn, validatedObjects],
    }),
    new iam.PolicyStatement({
      sid: 'ReadBaselineProfile',
      actions: ['s3:GetObject'],
      resources: [baselineObjects],
    }),
    new iam.PolicyStatement({
      sid: 'WritePipelineArtifacts',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [pipelineObjects],
    }),
    new iam.PolicyStatement({
      sid: 'ListPipelineArtifacts',
      actions: ['s3:ListBucket'],
      resources: [scope.artifactsBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`, `${baselineFolder}*`] } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadPipelineCode',
      actions: ['s3:GetObject'],
      resources: scope.code.map((c) => `arn:${stack.partition}:s3:::${c.bucketName}/${c.objectKey}`),
    }),
    new iam.PolicyStatement({
      sid: 'ListPipelineCode',
      actions: ['s3:ListBucket'],
      resources: codeBuckets.map((b) => `arn:${stack.partition}:s3:::${b}`),
      conditions: { StringLike: { 's3:prefix': scope.code.map((c) => c.objectKey) } },
    }),
    new iam.PolicyStatement({
      sid: 'UseDataLakeKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [scope.key.keyArn],
    }),
    new iam.PolicyStatement({
      sid: 'GrantVolumeEncryption',
      actions: ['kms:CreateGrant'],
      resources: [scope.key.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'WriteJobLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: logGroups,
    }),
    new iam.PolicyStatement({
      sid: 'PublishJobMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': ['/aws/sagemaker/TrainingJobs', '/aws/sagemaker/ProcessingJobs'] } },
    }),
  ];
  if (scope.customImageRepositoryArn) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'PullCustomImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [scope.customImageRepositoryArn],
      }),
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
  }
  const wildcards: PipelineWildcard[] = [
    { resources: jobs, reason: 'SageMaker Pipelines names each job it starts pipelines-<execution id>-<step>-<suffix> at run time; the role manages only jobs of that form.' },
    { resources: [scope.registry.modelPackagesArn], reason: 'Model package versions are numbered when registered; the wildcard stays inside this model package group.' },
    { resources: [validatedObjects], reason: 'Training datasets are whatever the data gate validated, keyed by upload; the validated bucket of this model\'s data lake holds nothing else. Read only.' },
    { resources: [baselineObjects], reason: 'The Evaluate step reads the baseline profile the execution names (BaselineProfileUri), within this model\'s baseline prefix. Read only.' },
    { resources: [pipelineObjects], reason: 'Each execution writes its split, checkpoints, model and evaluation under new keys, all below this pipeline\'s own prefix of the artifacts bucket.' },
    { resources: logGroups, reason: 'SageMaker writes one log stream per job instance, named at run time, in the fixed training and processing log groups.' },
    { resources: ['*'], reason: 'Only actions that take no resource-level permissions: cloudwatch:PutMetricData (limited to the SageMaker job namespaces by condition), ecr:GetAuthorizationToken, and the EC2 Describe* calls of jobs that run in the model\'s network.' },
  ];
  return { statements, wildcards };
}

/**
 * The role SageMaker Pipelines runs the pipeline as, and its jobs run as: trusted by SageMaker
 * only, with one customer managed policy (no inline or AWS managed policies).
 */
export function createPipelineRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    description,
  });
}

/** Attaches the pipeline statements to the role as a customer managed policy. */
export function attachPipelinePolicy(scope: Construct, id: string, role: iam.Role, statements: iam.PolicyStatement[]): iam.ManagedPolicy {
  return new iam.ManagedPolicy(scope, id, {
    description: 'SageMaker training pipeline: its jobs, data, artifacts, key, model package group and logs',
    statements,
    roles: [role],
  });
}
