import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { trainingPipelineSettings } from '../../../src/app/stacks/training-pipeline-settings';
import { TrainingFramework } from '../../../src/config';
import { ResolvedConfig } from '../../../src/config/resolved';
import { ModelRegistry } from '../../../src/constructs/training/model-registry';
import { TrainingPipeline, TrainingPipelineProps } from '../../../src/constructs/training/training-pipeline';
import { testApp } from '../../support/cdk-app';
import { testConfig } from '../../support/configs';
import { IMPORTED, importedLake } from '../../support/data-lake-stand-in';
import { ENV } from '../../support/environments';
import { TRAINING_DIR } from '../../support/repo-paths';
import { only, PIPELINE_OWN } from '../../support/template-queries';

interface Built {
  app: App;
  stack: Stack;
  pipeline: TrainingPipeline;
  template: Template;
}

function build(config: ResolvedConfig = testConfig(), props: Partial<TrainingPipelineProps> = {}): Built {
  const app = testApp();
  const stack = new Stack(app, 'Training', { env: ENV });
  const registry = new ModelRegistry(stack, 'Registry', { modelPackageGroupName: 'churn' });
  const pipeline = new TrainingPipeline(stack, 'Training', {
    lake: importedLake(stack),
    registry,
    ...trainingPipelineSettings(config),
    pipelineName: 'churn-training',
    sourceDirectory: TRAINING_DIR,
    ...props,
  });
  return { app, stack, pipeline, template: Template.fromJSON(app.synth().getStackByName(stack.stackName).template) };
}

/** The definition body with the few deployment values (role ARN) rendered as text. */
function definitionText(template: Template): string {
  const body = only(template, 'AWS::SageMaker::Pipeline').properties.PipelineDefinition.PipelineDefinitionBody;
  if (typeof body === 'string') return body;
  const [separator, parts] = body['Fn::Join'];
  return parts.map((part: any) => {
    if (typeof part === 'string') return part;
    if (part['Fn::GetAtt']?.[1] === 'Arn' && String(part['Fn::GetAtt'][0]).startsWith('TrainingRole')) return '<PipelineRoleArn>';
    if (part['Fn::GetAtt']?.[1] === 'Arn' && String(part['Fn::GetAtt'][0]).startsWith('TrainingSignerFunction')) return '<ModelSignerFunctionArn>';
    throw new Error(`unexpected token in the definition: ${JSON.stringify(part)}`);
  }).join(separator);
}

function stepOf(definition: any, name: string): any {
  const all = [...definition.Steps, ...definition.Steps.flatMap((s: any) => [...(s.Arguments?.IfSteps ?? []), ...(s.Arguments?.ElseSteps ?? [])])];
  return all.find((s: any) => s.Name === name);
}

const defaults = build();
const definition = JSON.parse(definitionText(defaults.template));
const policy = only(defaults.template, 'AWS::IAM::ManagedPolicy', PIPELINE_OWN).properties.PolicyDocument;

function statement(sid: string): any {
  const found = policy.Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

function resolvedAsset(asset: { s3ObjectKey: string }): { key: string; uri: string } {
  return { key: asset.s3ObjectKey, uri: `s3://cdk-hnb659fds-assets-${ENV.account}-${ENV.region}/${asset.s3ObjectKey}` };
}

describe('TrainingPipeline', () => {
  test('creates one AWS::SageMaker::Pipeline with its role, after its policy', () => {
    const resource = only(defaults.template, 'AWS::SageMaker::Pipeline');
    expect(resource.properties.PipelineName).toBe('churn-training');
    expect(resource.properties.RoleArn).toEqual({ 'Fn::GetAtt': [only(defaults.template, 'AWS::IAM::Role', PIPELINE_OWN).id, 'Arn'] });
    expect(resource.properties.PipelineDescription).toMatch(/registers it in churn/);
    expect(resource.dependsOn).toContain(only(defaults.template, 'AWS::IAM::ManagedPolicy', PIPELINE_OWN).id);
    expect(defaults.pipeline.pipelineArn).toContain(':pipeline/churn-training');
  });

  test('the deployed definition uses the lake key and buckets, and the uploaded code by file name', () => {
    const archive = resolvedAsset(defaults.pipeline.sourceArchive);
    const split = resolvedAsset(defaults.pipeline.splitScript);
    const evaluate = resolvedAsset(defaults.pipeline.evaluateScript);
    const train = stepOf(definition, 'Train').Arguments;
    expect(train.OutputDataConfig.KmsKeyId).toBe(IMPORTED.keyArn);
    expect(train.ResourceConfig.VolumeKmsKeyId).toBe(IMPORTED.keyArn);
    expect(train.OutputDataConfig.S3OutputPath).toBe(`s3://${IMPORTED.artifacts}/pipelines/churn-training/models`);
    expect(train.RoleArn).toBe('<PipelineRoleArn>');
    expect(train.InputDataConfig[2].DataSource.S3DataSource.S3Uri).toBe(archive.uri);
    expect(JSON.parse(train.HyperParameters.sagemaker_submit_directory)).toBe(`/opt/ml/input/data/code/${archive.key}`);
    expect(stepOf(definition, 'Split').Arguments.AppSpecification.ContainerEntrypoint).toEqual(['python3', `/opt/ml/processing/input/code/${split.key}`]);
    expect(stepOf(definition, 'Evaluate').Arguments.ProcessingInputs[3].S3Input.S3Uri).toBe(evaluate.uri);
    expect(definition.Parameters.slice(0, 3)).toEqual([
      { Name: 'InputDataUri', Type: 'String' }, { Name: 'DatasetManifestUri', Type: 'String' }, { Name: 'DatasetManifestSha256', Type: 'String' },
    ]);
    expect(definition.Parameters[3].DefaultValue).toBe(`s3://${IMPORTED.artifacts}/baselines/churn/profile.json`);
    expect(stepOf(definition, 'SignArtifact').FunctionArn).toBe('<ModelSignerFunctionArn>');
    expect(stepOf(definition, 'Register').Arguments.ModelPackageGroupName).toBe('churn');
  });

  test('Spot fields in the template: wait present with Spot, absent without', () => {
    expect(stepOf(definition, 'Train').Arguments).toMatchObject({
      EnableManagedSpotTraining: true,
      StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
      CheckpointConfig: { LocalPath: '/opt/ml/checkpoints' },
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
    });
    const onDemand = build(testConfig({ training: { useSpot: false } }));
    const text = definitionText(onDemand.template);
    const train = stepOf(JSON.parse(text), 'Train').Arguments;
    expect(train.EnableManagedSpotTraining).toBe(false);
    expect(train.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(text).not.toContain('MaxWaitTimeInSeconds');
  });

  test('given only what has no default, it deploys what a config left at its defaults does', () => {
    const bare = build(testConfig(), { training: undefined, evaluation: undefined, cacheSteps: undefined, sourceDirectory: undefined });
    expect(definitionText(bare.template)).toBe(definitionText(defaults.template));
  });

  test('the source archive holds exactly the entry point, byte for byte, and is reproducible', () => {
    const staged = path.join(defaults.app.outdir, defaults.pipeline.sourceArchive.assetPath);
    const tar = zlib.gunzipSync(fs.readFileSync(staged));
    const name = tar.subarray(0, 100).toString('ascii').replace(/\0.*$/s, '');
    const size = parseInt(tar.subarray(124, 135).toString('ascii'), 8);
    const content = tar.subarray(512, 512 + size);
    expect(name).toBe('train.py');
    expect(content.equals(fs.readFileSync(path.join(TRAINING_DIR, 'train.py')))).toBe(true);
    expect(tar.length).toBe(512 + Math.ceil(size / 512) * 512 + 1024);
    expect(build().pipeline.sourceArchive.assetHash).toBe(defaults.pipeline.sourceArchive.assetHash);
  });

  test('the role is assumed by SageMaker only and holds no inline or AWS managed policy', () => {
    defaults.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    defaults.template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(only(defaults.template, 'AWS::IAM::ManagedPolicy', PIPELINE_OWN).properties.Roles).toEqual([{ Ref: only(defaults.template, 'AWS::IAM::Role', PIPELINE_OWN).id }]);
  });

  describe('least privilege', () => {
    const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

    test('has exactly these statements', () => {
      expect(policy.Statement.map((s: any) => s.Sid)).toEqual([
        'PassOwnRoleToSageMaker', 'RunPipelineJobs', 'RegisterModelVersions', 'ReadValidatedData', 'ReadBaselineProfile',
        'WritePipelineArtifacts', 'ListPipelineArtifacts', 'ReadPipelineCode', 'ListPipelineCode', 'UseDataLakeKey',
        'GrantVolumeEncryption', 'WriteJobLogs', 'PublishJobMetrics', 'RunSignArtifactStep',
      ]);
      expect(statement('RunSignArtifactStep')).toEqual({
        Sid: 'RunSignArtifactStep', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TrainingSignerFunction/), 'Arn'] },
      });
      expect(policy.Statement.every((s: any) => s.Effect === 'Allow' && !s.NotAction && !s.NotResource)).toBe(true);
      expect(policy.Statement.flatMap((s: any) => [s.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
    });

    test('passes only itself, only to SageMaker', () => {
      expect(statement('PassOwnRoleToSageMaker')).toEqual({
        Sid: 'PassOwnRoleToSageMaker',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [only(defaults.template, 'AWS::IAM::Role', PIPELINE_OWN).id, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
    });

    test('runs only the jobs its executions start, and registers only into its group', () => {
      expect(statement('RunPipelineJobs').Resource).toEqual([
        arn(':sagemaker:us-east-1:111111111111:training-job/pipelines-*'),
        arn(':sagemaker:us-east-1:111111111111:processing-job/pipelines-*'),
      ]);
      expect(statement('RegisterModelVersions').Action).toEqual(['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:AddTags']);
      expect(statement('RegisterModelVersions').Resource).toEqual([
        { 'Fn::GetAtt': [only(defaults.template, 'AWS::SageMaker::ModelPackageGroup').id, 'ModelPackageGroupArn'] },
        arn(':sagemaker:us-east-1:111111111111:model-package/churn/*'),
      ]);
    });

    test('reads the validated bucket, writes only below its own prefix of the artifacts bucket', () => {
      expect(statement('ReadValidatedData')).toMatchObject({
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [arn(`:s3:::${IMPORTED.validated}`), arn(`:s3:::${IMPORTED.validated}/*`)],
      });
      expect(statement('ReadBaselineProfile')).toMatchObject({ Action: 's3:GetObject', Resource: arn(`:s3:::${IMPORTED.artifacts}/baselines/churn/*`) });
      expect(statement('WritePipelineArtifacts')).toMatchObject({
        Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        Resource: arn(`:s3:::${IMPORTED.artifacts}/pipelines/churn-training/*`),
      });
      expect(statement('ListPipelineArtifacts')).toMatchObject({
        Action: 's3:ListBucket',
        Resource: arn(`:s3:::${IMPORTED.artifacts}`),
        Condition: { StringLike: { 's3:prefix': ['pipelines/churn-training/*', 'baselines/churn/*'] } },
      });
      const writes = policy.Statement.filter((s: any) => [s.Action].flat().some((a: string) => /^s3:(Put|Delete)/.test(a)));
      expect(writes.map((s: any) => s.Sid)).toEqual(['WritePipelineArtifacts']);
    });

    test('reads its three code objects, no other object of the assets bucket', () => {
      const keys = [defaults.pipeline.sourceArchive, defaults.pipeline.splitScript, defaults.pipeline.evaluateScript].map((a) => a.s3ObjectKey);
      expect(statement('ReadPipelineCode').Resource).toEqual(keys.map((key) => arn(`:s3:::cdk-hnb659fds-assets-111111111111-us-east-1/${key}`)));
      expect(statement('ListPipelineCode').Condition).toEqual({ StringLike: { 's3:prefix': keys } });
    });

    test('uses the lake key, and grants on it only for AWS resources (volume encryption)', () => {
      expect(statement('UseDataLakeKey')).toMatchObject({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: IMPORTED.keyArn });
      expect(statement('GrantVolumeEncryption')).toMatchObject({ Action: 'kms:CreateGrant', Resource: IMPORTED.keyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    });

    test('writes only the SageMaker job logs and metrics', () => {
      expect(statement('WriteJobLogs').Resource).toEqual([
        arn(':logs:us-east-1:111111111111:log-group:/aws/sagemaker/TrainingJobs:*'),
        arn(':logs:us-east-1:111111111111:log-group:/aws/sagemaker/ProcessingJobs:*'),
      ]);
      expect(statement('PublishJobMetrics')).toMatchObject({
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': ['/aws/sagemaker/TrainingJobs', '/aws/sagemaker/ProcessingJobs'] } },
      });
    });

    test('a custom image adds a pull from its repository alone', () => {
      const image = '222222222222.dkr.ecr.us-east-1.amazonaws.com/team/churn-train:2.0';
      const custom = build(testConfig({ training: { framework: TrainingFramework.CUSTOM, customImageUri: image } }));
      const statements = only(custom.template, 'AWS::IAM::ManagedPolicy', PIPELINE_OWN).properties.PolicyDocument.Statement;
      expect(statements.find((s: any) => s.Sid === 'PullCustomImage')).toMatchObject({
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: 'arn:aws:ecr:us-east-1:222222222222:repository/team/churn-train',
      });
      expect(statements.find((s: any) => s.Sid === 'EcrLogin')).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
      expect(policy.Statement.find((s: any) => s.Sid === 'PullCustomImage')).toBeUndefined();
    });
  });

  test('registers into a model package group with the given name', () => {
    defaults.template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'churn',
      ModelPackageGroupDescription: 'Versions of the churn model, registered by its training pipeline',
    });
  });

  test('refuses what it cannot deploy, with the reason', () => {
    const config = testConfig();
    const attempt = (stackProps: object, props: Partial<TrainingPipelineProps>, groupName = 'churn') => () => {
      const stack = new Stack(testApp(), 'S', stackProps);
      new TrainingPipeline(stack, 'T', {
        lake: importedLake(stack),
        registry: new ModelRegistry(stack, 'R', { modelPackageGroupName: groupName }),
        ...trainingPipelineSettings(config),
        pipelineName: 'churn-training',
        sourceDirectory: TRAINING_DIR,
        ...props,
      });
    };
    expect(attempt({}, {})).toThrow(/explicit region/);
    expect(attempt({ env: ENV }, { pipelineName: 'churn_training' })).toThrow(/^TrainingPipeline S\/T: pipelineName = "churn_training": is not a valid pipeline name/);
    expect(attempt({ env: ENV }, { training: { useSpot: false, maxWaitSeconds: 7200, instanceType: 'm5.xlarge' } }))
      .toThrow(/^TrainingPipeline S\/T: 2 problems:\n  - training.instanceType = "m5.xlarge": .*\n  - training.maxWaitSeconds = 7200: only applies to Spot training/);
    expect(attempt({ env: ENV }, { sourceDirectory: path.join(TRAINING_DIR, 'tests') })).toThrow(/train.py does not exist/);
    expect(attempt({ env: ENV }, {}, 'churn_v2')).toThrow(/not a valid model package group name/);
    expect(attempt({ env: { account: ENV.account, region: 'mars-north-1' } }, {})).toThrow(/no xgboost 1.7-1 image is known in region "mars-north-1"/);
  });
});
