import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ExecutionMode } from 'aws-cdk-lib/aws-codepipeline';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { DeliveryPipeline, DeliveryPipelineProps } from '../../../src/constructs/delivery/delivery-pipeline';
import { testApp } from '../../support/cdk-app';
import { CONNECTION, deliveryPipelineProps } from '../../support/delivery-pipelines';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../../support/key-policy-statements';

type Extend = (stack: Stack, pipeline: DeliveryPipeline) => void;

function build(props: Partial<DeliveryPipelineProps> = {}, extend?: Extend): { stack: Stack; pipeline: DeliveryPipeline; template: Template } {
  const stack = new Stack(testApp(), 'Delivery', { env: { account: '123456789012', region: 'eu-west-1' } });
  const pipeline = new DeliveryPipeline(stack, 'Pipeline', deliveryPipelineProps(stack, props));
  extend?.(stack, pipeline);
  return { stack, pipeline, template: Template.fromStack(stack) };
}

const { template } = build();
const pipelineProps = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
const stage = (name: string) => pipelineProps.Stages.find((s: any) => s.Name === name);
const envVars = (action: any) => JSON.parse(action.Configuration.EnvironmentVariables);

function projectId(description: RegExp): string {
  const projects = template.findResources('AWS::CodeBuild::Project');
  return Object.keys(projects).find((k) => description.test(projects[k].Properties.Description))!;
}

function roleStatements(project: string): any[] {
  const projects = template.findResources('AWS::CodeBuild::Project');
  const roleId = projects[project].Properties.ServiceRole['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

const GATE = projectId(/^Data gate/);
const TRAIN = projectId(/^Runs the SageMaker Pipeline/);
const APPROVAL = projectId(/^Marks the approved model package/);
const DEPLOY = projectId(/^cdk deploy of one stack/);

describe('pipeline', () => {
  test('is a V2 pipeline with a name, superseding executions and no trigger of its own', () => {
    expect(pipelineProps).toMatchObject({ Name: 'churn-delivery', PipelineType: 'V2', ExecutionMode: 'SUPERSEDED', RestartExecutionOnUpdate: false });
    expect(pipelineProps.Triggers).toBeUndefined();
  });

  test('has the stages in order: Source, Gate, Train, Approve, one Deploy per stage, Monitor', () => {
    expect(pipelineProps.Stages.map((s: any) => [s.Name, s.Actions.map((a: any) => `${a.Name}:${a.ActionTypeId.Provider}:${a.RunOrder}`)])).toEqual([
      ['Source', ['GitHub:CodeStarSourceConnection:1']],
      ['Gate', ['DataGate:CodeBuild:1']],
      ['Train', ['TrainAndRegister:CodeBuild:1']],
      ['Approve', ['ApproveModel:Manual:1', 'RecordApproval:CodeBuild:2']],
      ['Deploy-staging', ['Deploy:CodeBuild:1']],
      ['Deploy-prod', ['Promote:Manual:1', 'Deploy:CodeBuild:2']],
      ['Monitor', ['DeployMonitoring:CodeBuild:1']],
    ]);
  });

  test('the source reads the repository through the connection and never starts a run on a push', () => {
    const source = stage('Source').Actions[0];
    expect(source.Configuration).toEqual({
      ConnectionArn: CONNECTION,
      FullRepositoryId: 'acme/churn',
      BranchName: 'main',
      DetectChanges: false,
    });
    expect(source.Namespace).toBe('SourceVariables');
    expect(source.OutputArtifacts).toEqual([{ Name: 'Source' }]);
  });

  test('the Gate checks the dataset named by the DATASET_URI variable (default the model\'s raw prefix), as a run of this execution', () => {
    expect(pipelineProps.Variables).toEqual([{
      Name: 'DATASET_URI',
      DefaultValue: { 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^LakeRaw/) }, '/raw/churn/']] },
      Description: expect.any(String),
    }]);
    const gate = stage('Gate').Actions[0];
    expect(gate.Configuration.ProjectName).toEqual({ Ref: GATE });
    expect(gate.Namespace).toBe('GateVariables');
    expect(envVars(gate)).toEqual([
      { name: 'DATASET_URI', type: 'PLAINTEXT', value: '#{variables.DATASET_URI}' },
      { name: 'PIPELINE_EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
    ]);
    expect(gate.InputArtifacts).toEqual([{ Name: 'Source' }]);
  });

  test('Train runs the SageMaker Pipeline on the source commit and the Gate\'s manifest, and exports the model package', () => {
    const train = stage('Train').Actions[0];
    expect(train.Namespace).toBe('TrainVariables');
    expect(envVars(train)).toEqual([
      { name: 'SOURCE_COMMIT', type: 'PLAINTEXT', value: '#{SourceVariables.CommitId}' },
      { name: 'DATASET_MANIFEST_URI', type: 'PLAINTEXT', value: '#{GateVariables.DATASET_MANIFEST_URI}' },
      { name: 'DATASET_MANIFEST_SHA256', type: 'PLAINTEXT', value: '#{GateVariables.DATASET_MANIFEST_SHA256}' },
    ]);
  });

  test('Approve waits for a person, then records the approval on the model package', () => {
    const [manual, record] = stage('Approve').Actions;
    expect(manual.Configuration.CustomData).toContain('#{TrainVariables.MODEL_PACKAGE_ARN}');
    expect(manual.Configuration.CustomData).toContain('#{SourceVariables.CommitId}');
    expect(envVars(record)).toEqual([
      { name: 'MODEL_PACKAGE_ARN', type: 'PLAINTEXT', value: '#{TrainVariables.MODEL_PACKAGE_ARN}' },
      { name: 'PIPELINE_EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
    ]);
  });

  test('each stage deploys its own stack with the approved model package; only prod asks first', () => {
    const deployOf = (name: string) => stage(name).Actions.find((a: any) => a.ActionTypeId.Provider === 'CodeBuild');
    for (const [name, stack] of [['Deploy-staging', 'churn-serving-staging'], ['Deploy-prod', 'churn-serving-prod'], ['Monitor', 'churn-monitoring']]) {
      expect(deployOf(name).Configuration.ProjectName).toEqual({ Ref: DEPLOY });
      expect(envVars(deployOf(name))).toEqual([
        { name: 'STACK', type: 'PLAINTEXT', value: stack },
        { name: 'MODEL_PACKAGE_ARN', type: 'PLAINTEXT', value: '#{TrainVariables.MODEL_PACKAGE_ARN}' },
      ]);
    }
    expect(stage('Deploy-staging').Actions.some((a: any) => a.ActionTypeId.Category === 'Approval')).toBe(false);
    expect(stage('Deploy-prod').Actions[0]).toMatchObject({ ActionTypeId: { Category: 'Approval', Provider: 'Manual' } });
  });
});

describe('build steps', () => {
  const projects = template.findResources('AWS::CodeBuild::Project');
  const spec = (id: string) => JSON.parse(projects[id].Properties.Source.BuildSpec);

  test('every project: standard image, not privileged, artifacts with the pipeline key, logs to its KMS-encrypted group', () => {
    expect(Object.keys(projects)).toHaveLength(4);
    for (const project of Object.values(projects)) {
      expect(project.Properties).toMatchObject({
        Environment: { Image: 'aws/codebuild/standard:7.0', PrivilegedMode: false, ComputeType: 'BUILD_GENERAL1_SMALL' },
        EncryptionKey: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineKey/), 'Arn'] },
        Source: { Type: 'CODEPIPELINE' },
        LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: expect.stringMatching(/Logs/) } } },
      });
    }
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(groups)).toHaveLength(4);
    for (const group of Object.values(groups)) {
      expect(group.Properties).toEqual({ KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineKey/), 'Arn'] }, RetentionInDays: 365 });
    }
  });

  test('Gate runs one gate run over the dataset with the repository\'s contract, writes its manifest and exports where it is', () => {
    expect(spec(GATE).phases.install).toEqual({ 'runtime-versions': { nodejs: '22' }, 'commands': ['npm ci --no-audit --no-fund'] });
    expect(spec(GATE).phases.build.commands).toEqual([
      'npx aidlc gate run --contract "$CONTRACT" --dataset "$DATASET_URI" --validated "$VALIDATED_URI" --quarantine "$QUARANTINE_URI"'
        + ' --run "$PIPELINE_EXECUTION_ID" --baseline-out "s3://$ARTIFACTS_BUCKET/$BASELINE_KEY" --env-file gate.env',
      'set -a; . ./gate.env; set +a',
    ]);
    expect(spec(GATE).env['exported-variables']).toEqual(['DATASET_MANIFEST_URI', 'DATASET_MANIFEST_SHA256']);
    expect(projects[GATE].Properties.Environment.EnvironmentVariables).toEqual([
      { Name: 'CONTRACT', Type: 'PLAINTEXT', Value: 'data/contract.json' },
      { Name: 'ARTIFACTS_BUCKET', Type: 'PLAINTEXT', Value: { Ref: expect.stringMatching(/^LakeArtifacts/) } },
      { Name: 'BASELINE_KEY', Type: 'PLAINTEXT', Value: 'baselines/churn/profile.json' },
      { Name: 'VALIDATED_URI', Type: 'PLAINTEXT', Value: { 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^LakeValidated/) }, '/validated/churn/']] } },
      { Name: 'QUARANTINE_URI', Type: 'PLAINTEXT', Value: { 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^LakeQuarantine/) }, '/quarantine/churn/']] } },
    ]);
  });

  test('Train starts and waits for the training pipeline and exports MODEL_PACKAGE_ARN', () => {
    expect(spec(TRAIN).env['exported-variables']).toEqual(['MODEL_PACKAGE_ARN']);
    expect(spec(TRAIN).phases.build.commands).toEqual([
      'npx aidlc pipeline train --training-pipeline "$TRAINING_PIPELINE" --commit "$SOURCE_COMMIT"'
        + ' --manifest "$DATASET_MANIFEST_URI" --manifest-sha256 "$DATASET_MANIFEST_SHA256" --arn-file model-package.arn',
      'MODEL_PACKAGE_ARN="$(cat model-package.arn)"',
    ]);
    expect(projects[TRAIN].Properties.TimeoutInMinutes).toBe(480);
    const longer = build({ trainingTimeout: Duration.hours(20) }).template.findResources('AWS::CodeBuild::Project');
    expect(Object.values(longer).map((p: any) => p.Properties.TimeoutInMinutes).sort((a, b) => a - b)).toEqual([10, 60, 120, 1200]);
  });

  test('RecordApproval marks the package Approved with the execution in the description', () => {
    expect(spec(APPROVAL).phases.build.commands).toEqual([
      'aws sagemaker update-model-package --model-package-arn "$MODEL_PACKAGE_ARN" --model-approval-status Approved'
      + ' --approval-description "Approved in CodePipeline $PIPELINE_NAME, execution $PIPELINE_EXECUTION_ID"',
    ]);
  });

  test('Deploy verifies the package\'s digest and signature, then runs cdk deploy of exactly one stack with it as context', () => {
    expect(spec(DEPLOY).phases.build.commands).toEqual([
      'npx aidlc model verify --model-package-arn "$MODEL_PACKAGE_ARN" --signing-key "$SIGNING_KEY"',
      'npx cdk deploy "$STACK" --exclusively --require-approval never --context "aidlc:modelPackageArn=$MODEL_PACKAGE_ARN"',
    ]);
    expect(projects[DEPLOY].Properties.Environment.EnvironmentVariables).toEqual([
      { Name: 'SIGNING_KEY', Type: 'PLAINTEXT', Value: 'alias/aidlc/churn/model-signing' },
    ]);
  });
});

describe('least privilege', () => {
  const own = (statements: any[]) => statements.filter((s) => s.Sid);

  test('the source role uses the connection under both service prefixes', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const sourceRole = Object.keys(roles).find((k) => k.startsWith('PipelineSourceRole'))!;
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => p.Properties.Roles[0].Ref === sourceRole)!;
    expect(policy.Properties.PolicyDocument.Statement[0]).toEqual({
      Sid: 'UseGithubConnection',
      Effect: 'Allow',
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: CONNECTION,
    });
    expect(stage('Source').Actions[0].RoleArn).toEqual({ 'Fn::GetAtt': [sourceRole, 'Arn'] });
  });

  test('Gate may only read raw datasets, write its own run prefixes and the one baseline key, with the lake key through S3', () => {
    const objects = (bucket: RegExp, path: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(bucket), 'Arn'] }, path]] });
    expect(own(roleStatements(GATE))).toEqual([
      { Sid: 'ReadRawDatasets', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects(/^LakeRaw/, '/*') },
      { Sid: 'ListRawDatasets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketVersions'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LakeRaw/), 'Arn'] } },
      {
        Sid: 'WriteGateRuns',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:AbortMultipartUpload'],
        Resource: [objects(/^LakeValidated/, '/validated/churn/runs/*'), objects(/^LakeQuarantine/, '/quarantine/churn/runs/*')],
      },
      { Sid: 'WriteBaselineProfile', Effect: 'Allow', Action: 's3:PutObject', Resource: objects(/^LakeArtifacts/, '/baselines/churn/profile.json') },
      {
        Sid: 'UseLakeKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
    ]);
    // Nothing may delete: quarantined data is kept.
    expect(JSON.stringify(roleStatements(GATE))).not.toMatch(/s3:Delete/);
  });

  test('Train may read gate run manifests, start the one training pipeline and follow its executions', () => {
    expect(own(roleStatements(TRAIN))).toEqual([
      { Sid: 'ReadDatasetManifests', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LakeValidated/), 'Arn'] }, '/validated/churn/runs/*/manifest.json']] } },
      {
        Sid: 'DecryptDatasetManifests',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
      { Sid: 'StartTrainingPipeline', Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:pipeline/churn-training']] } },
      {
        Sid: 'FollowTrainingPipeline',
        Effect: 'Allow',
        Action: ['sagemaker:DescribePipelineExecution', 'sagemaker:ListPipelineExecutionSteps'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:pipeline/churn-training/execution/*']] },
      },
    ]);
  });

  test('RecordApproval may only update packages of the model\'s group', () => {
    expect(own(roleStatements(APPROVAL))).toEqual([
      { Sid: 'ApproveModelPackage', Effect: 'Allow', Action: 'sagemaker:UpdateModelPackage', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:model-package/churn/*']] } },
    ]);
  });

  test('Deploy may only assume the CDK bootstrap roles, and describe and hash the model it verifies', () => {
    expect(own(roleStatements(DEPLOY))).toEqual([
      { Sid: 'AssumeCdkBootstrapRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: expect.any(Array) },
      { Sid: 'DescribeModelPackages', Effect: 'Allow', Action: 'sagemaker:DescribeModelPackage', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:model-package/churn/*']] } },
      { Sid: 'HashModelArtifacts', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LakeArtifacts/), 'Arn'] }, '/pipelines/churn-training/*']] } },
      {
        Sid: 'DecryptModelArtifacts',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
    ]);
    expect(JSON.stringify(own(roleStatements(DEPLOY)))).toMatch(/cdk-hnb659fds-deploy-role.*cdk-hnb659fds-file-publishing-role.*cdk-hnb659fds-lookup-role/);
  });

  test('no step reaches the lake beyond what it needs, and no policy grants "*" or a whole service', () => {
    for (const project of [APPROVAL]) expect(JSON.stringify(roleStatements(project))).not.toMatch(/LakeRaw|LakeValidated|LakeKey/);
    for (const project of [TRAIN, DEPLOY]) expect(JSON.stringify(roleStatements(project))).not.toMatch(/LakeRaw|LakeQuarantine/);
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of (policy as any).Properties.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/^\*$|^[a-z0-9-]+:\*$/);
      }
    }
  });
});

describe('encryption', () => {
  test('artifacts: customer managed key with rotation, SSE-KMS bucket, TLS only, no public access, versioned, access-logged', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(pipelineProps.ArtifactStore).toEqual({
      Type: 'S3',
      Location: { Ref: expect.stringMatching(/^PipelineArtifacts/) },
      EncryptionKey: { Type: 'KMS', Id: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineKey/), 'Arn'] } },
    });
    const bucket = Object.entries(template.findResources('AWS::S3::Bucket')).find(([k]) => k.startsWith('PipelineArtifacts'))![1];
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineKey/), 'Arn'] } } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^LakeAccessLogs/) }, LogFilePrefix: 'churn-delivery-artifacts/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^PipelineArtifacts') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('grants on the key can only be created for AWS resources', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([GRANTS_ONLY_FOR_AWS_RESOURCES]),
      },
    });
  });

  test('CloudWatch Logs may use the key for this account\'s log groups only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudWatchLogsEncryption',
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:*']] } } },
        })]),
      },
    });
  });
});

describe('options', () => {
  test('without a monitoring stack there is no Monitor stage; the branch and the execution mode are props', () => {
    const { template: t } = build({ monitoringStackName: undefined, branch: 'release', executionMode: ExecutionMode.QUEUED });
    const props = Object.values(t.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
    expect(props.Stages.map((s: any) => s.Name)).not.toContain('Monitor');
    expect(props.ExecutionMode).toBe('QUEUED');
    expect(props.Stages[0].Actions[0].Configuration.BranchName).toBe('release');
  });

  test('a pipeline needs at least one deployment stage', () => {
    expect(() => build({ stages: [] })).toThrow('DeliveryPipeline needs at least one deployment stage');
  });

  test('grantStart and grantRead give exactly the pipeline\'s start and read actions', () => {
    const { template: t } = build({}, (stack, pipeline) => {
      const role = new Role(stack, 'Release', { assumedBy: new ServicePrincipal('codebuild.amazonaws.com') });
      pipeline.grantStart(role);
      pipeline.grantRead(role);
    });
    const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codepipeline:eu-west-1:123456789012:', { Ref: expect.stringMatching(/^Pipeline/) }]] };
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p: any) => p.Properties.Roles[0].Ref.startsWith('Release'))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: arn },
      {
        Effect: 'Allow',
        Action: ['codepipeline:GetPipeline', 'codepipeline:GetPipelineState', 'codepipeline:GetPipelineExecution', 'codepipeline:ListPipelineExecutions', 'codepipeline:ListActionExecutions'],
        Resource: arn,
      },
    ]);
  });
});
