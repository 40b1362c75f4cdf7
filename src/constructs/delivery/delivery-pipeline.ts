import { Duration, Stack } from 'aws-cdk-lib';
import { BuildEnvironmentVariableType, PipelineProject } from 'aws-cdk-lib/aws-codebuild';
import { Artifact, ExecutionMode, GlobalVariables, IStage, Pipeline, PipelineType, Variable } from 'aws-cdk-lib/aws-codepipeline';
import { CodeBuildAction, CodeStarConnectionsSourceAction, ManualApprovalAction } from 'aws-cdk-lib/aws-codepipeline-actions';
import { AccountRootPrincipal, Grant, IGrantable, IRole, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { artifactBucket } from './artifact-bucket';
import { BuildPlacement, buildStep } from './build-step';
import { deploySpec, gateSpec, privateSmokeTestSpec, recordApprovalSpec, smokeTestSpec, trainSpec } from './buildspecs';
import { assumeCdkBootstrapRoles, CDK_DEPLOY_ROLES, DEFAULT_CDK_QUALIFIER } from './cdk-bootstrap';
import { deliveryKey } from './delivery-key';
import { acknowledgeDeliveryPipeline } from './delivery-pipeline-acknowledgements';
import { cliArtifactName, scopeVpcPolicy, smokeTestPlacement } from './smoke-test-network';
import { DATASET_MANIFEST_VARIABLES, MODEL_PACKAGE_VARIABLE, PIPELINE_STAGES, PIPELINE_VARIABLES, SOURCE_ACTION_NAME } from '../../core/names/delivery-names';
import { API_CREDENTIAL_TAG, SMOKE_TEST_CREDENTIAL } from '../../core/names/inference-api-names';
import { IDataLake } from '../data/data-lake-ref';
import { IModelNetwork } from '../network/model-network-ref';

/**
 * One deployment stage of the pipeline: a stack of the app deployed on its own.
 */
export interface DeliveryStage {
  /** Stage name, e.g. `staging`; the pipeline stage is `Deploy-<name>`. */
  readonly name: string;
  /** The stack `cdk deploy` deploys for this stage, e.g. `churn-serving-staging`. */
  readonly stackName: string;
  /**
   * Whether a person approves in CodePipeline before this stage deploys.
   * @default false
   */
  readonly requireApproval?: boolean;
}

/**
 * The smoke test each deployment stage runs against its inference API once it is deployed.
 */
export interface DeliverySmokeTests {
  /**
   * Tag key and value that mark the model's API keys and user pools: the smoke test may read the
   * API key tagged as its own (and, with Cognito, its app client's secret) only where they carry it.
   */
  readonly modelTagKey: string;
  /** The value of `modelTagKey` on this model's resources. */
  readonly modelTagValue: string;
  /**
   * Whether the APIs take Cognito tokens (the smoke test then reads its app client's secret).
   * @default false
   */
  readonly cognito?: boolean;
  /**
   * Run the smoke test inside this network, for private APIs that answer only there: in its
   * private subnets, with a security group of its own (`securityGroupFor`), from the CLI bundle
   * each stage's Deploy action hands on, with no package install. The network must let it reach
   * CloudFormation, API Gateway's management API, CloudWatch Logs, `execute-api` and S3.
   * @default - outside any VPC, with the repository's packages installed by `npm ci`
   */
  readonly network?: IModelNetwork;
}

/**
 * Props of {@link DeliveryPipeline}.
 */
export interface DeliveryPipelineProps {
  /** Physical name of the pipeline (the CLI and the status reporter find it by name). */
  readonly pipelineName: string;
  /** ARN of the CodeConnections (or CodeStar Connections) connection to GitHub. */
  readonly connectionArn: string;
  /** Owner of the GitHub repository. */
  readonly repositoryOwner: string;
  /** Name of the GitHub repository. */
  readonly repositoryName: string;
  /**
   * Branch the source action reads when no revision is given.
   * @default 'main'
   */
  readonly branch?: string;
  /** The data lake: the Gate reads the raw dataset with its key; artifact access logs go to its log bucket. */
  readonly lake: IDataLake;
  /**
   * Key of the training dataset in the lake's raw bucket, or a prefix ending in `/` (every data
   * object below it): the default of the `DATASET_URI` variable.
   */
  readonly datasetKey: string;
  /**
   * Prefix of the model's validated data in the validated bucket; each Gate run writes under
   * `<prefix>runs/<execution id>/`.
   * @default - `validated/` and the dataset key's folder without its leading `raw/`
   */
  readonly validatedPrefix?: string;
  /**
   * Prefix of the model's quarantined data in the quarantine bucket.
   * @default - `quarantine/` and the dataset key's folder without its leading `raw/`
   */
  readonly quarantinePrefix?: string;
  /**
   * The model's signing key (alias or ARN): each Deploy stage verifies the model package's
   * artifact digest and signature with it before deploying, and refuses on a mismatch.
   * @default - `alias/aidlc/<modelPackageGroupName>/model-signing`
   */
  readonly signingKey?: string;
  /**
   * Key prefix, in the artifacts bucket, of the training pipeline's outputs (the model artifacts
   * the Deploy stages hash).
   * @default - `pipelines/<trainingPipelineName>/`
   */
  readonly trainingArtifactsPrefix?: string;
  /** Key, in the lake's artifacts bucket, the Gate stage writes the passing dataset's profile to (the training baseline). */
  readonly baselineProfileKey: string;
  /**
   * Path of the data contract in the repository.
   * @default 'data/contract.json'
   */
  readonly contractPath?: string;
  /** Name of the SageMaker Pipeline the Train stage runs. */
  readonly trainingPipelineName: string;
  /** Name of the SageMaker model package group the training run registers into. */
  readonly modelPackageGroupName: string;
  /** Deployment stages in rollout order. */
  readonly stages: DeliveryStage[];
  /**
   * Smoke-test each stage's inference API right after its deploy; a failure stops the rollout.
   * @default - no smoke tests
   */
  readonly smokeTests?: DeliverySmokeTests;
  /**
   * The stack the Monitor stage deploys once every stage is out.
   * @default - no Monitor stage
   */
  readonly monitoringStackName?: string;
  /**
   * Qualifier of the CDK bootstrap roles the deploy steps assume.
   * @default 'hnb659fds'
   */
  readonly cdkQualifier?: string;
  /**
   * How executions that overlap are handled.
   * @default ExecutionMode.SUPERSEDED
   */
  readonly executionMode?: ExecutionMode;
  /**
   * Longest a Train run may take (CodeBuild allows up to 36 hours).
   * @default Duration.hours(8)
   */
  readonly trainingTimeout?: Duration;
  /**
   * Major Node.js version of the CodeBuild steps.
   * @default '22'
   */
  readonly nodeVersion?: string;
  /**
   * Physical name of the Gate step's role, for policies that must name it before it exists (the
   * lake's buckets let it read the raw dataset from outside the model's network).
   * @default - a generated name
   */
  readonly gateRoleName?: string;
  /**
   * Retention of the CodeBuild logs.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The CodePipeline (V2) of the chain: Source (CodeConnections, no trigger of its own: runs start
 * from `StartPipelineExecution` with `sourceRevisions`), Gate, Train, Approve, one Deploy stage per
 * deployment stage, and Monitor. Artifacts, CodeBuild output and logs are encrypted with one
 * customer managed key; each CodeBuild step has a role with only what it needs.
 */
export class DeliveryPipeline extends Construct {
  /** The pipeline. */
  public readonly pipeline: Pipeline;
  /** Its name. */
  public readonly pipelineName: string;
  /** Its ARN. */
  public readonly pipelineArn: string;
  /** The key of artifacts, CodeBuild output and logs. */
  public readonly encryptionKey: IKey;
  /** The artifact bucket. */
  public readonly artifactBucket: IBucket;
  /** The role the source action uses the connection with. */
  public readonly sourceRole: IRole;
  /** CodeBuild project of the Gate stage. */
  public readonly gateProject: PipelineProject;
  /** CodeBuild project of the Train stage. */
  public readonly trainProject: PipelineProject;
  /** CodeBuild project that marks the model package Approved. */
  public readonly approvalProject: PipelineProject;
  /** CodeBuild project of the Deploy and Monitor stages. */
  public readonly deployProject: PipelineProject;
  /** CodeBuild project of the smoke tests after each deploy, when there are any. */
  public readonly smokeTestProject?: PipelineProject;

  private readonly props: DeliveryPipelineProps;
  /** The ARNs and prefixes the steps' policies name. */
  private readonly resources: DeliveryResources;

  constructor(scope: Construct, id: string, props: DeliveryPipelineProps) {
    super(scope, id);
    if (props.stages.length === 0) throw new Error('DeliveryPipeline needs at least one deployment stage');
    this.props = props;
    this.resources = deliveryResources(Stack.of(this), props);

    this.encryptionKey = deliveryKey(this, 'Key', `Artifacts and logs of the ${props.pipelineName} pipeline`);
    this.artifactBucket = artifactBucket(this, 'Artifacts', {
      encryptionKey: this.encryptionKey,
      accessLogsBucket: props.lake.accessLogsBucket,
      accessLogsPrefix: `${props.pipelineName}-artifacts/`,
      noncurrentVersionDays: 90,
    });
    const datasetUri = new Variable({
      variableName: PIPELINE_VARIABLES.datasetUri,
      defaultValue: `s3://${props.lake.rawBucket.bucketName}/${props.datasetKey}`,
      description: 's3://bucket/prefix/ (every data object below it) or s3://bucket/key of the dataset the Gate stage checks',
    });
    this.pipeline = new Pipeline(this, 'Pipeline', {
      pipelineName: props.pipelineName,
      pipelineType: PipelineType.V2,
      executionMode: props.executionMode ?? ExecutionMode.SUPERSEDED,
      artifactBucket: this.artifactBucket,
      variables: [datasetUri],
      restartExecutionOnUpdate: false,
    });
    this.pipelineName = this.pipeline.pipelineName;
    this.pipelineArn = this.pipeline.pipelineArn;

    const source = new Artifact('Source');
    this.sourceRole = this.createSourceRole();
    const sourceAction = this.addSourceStage(source);
    this.gateProject = this.createGateProject();
    const gateAction = this.addGateStage(source, datasetUri);
    this.trainProject = this.createTrainProject();
    const trainAction = this.addTrainStage(source, sourceAction, gateAction);
    const modelPackageArn = trainAction.variable(MODEL_PACKAGE_VARIABLE);
    this.approvalProject = this.createApprovalProject();
    this.addApproveStage(source, sourceAction, modelPackageArn);
    this.deployProject = this.createDeployProject();
    const smokePlacement = props.smokeTests?.network ? smokeTestPlacement(this, props.smokeTests.network) : undefined;
    if (props.smokeTests) this.smokeTestProject = this.createSmokeTestProject(props.smokeTests, source, smokePlacement);
    this.addDeployStages(source, modelPackageArn);
    this.acknowledgeFindings(smokePlacement !== undefined);
  }

  /** Lets the grantee start executions of the pipeline (`StartPipelineExecution`). */
  public grantStart(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['codepipeline:StartPipelineExecution'],
      resourceArns: [this.pipelineArn],
    });
  }

  /** Lets the grantee follow executions: the pipeline's structure, executions and action executions. */
  public grantRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [
        'codepipeline:GetPipeline',
        'codepipeline:GetPipelineState',
        'codepipeline:GetPipelineExecution',
        'codepipeline:ListPipelineExecutions',
        'codepipeline:ListActionExecutions',
      ],
      resourceArns: [this.pipelineArn],
    });
  }

  /** A CodeBuild step of the pipeline, encrypted with the pipeline's key, its logs kept as configured. */
  private createStep(id: string, step: PipelineStepOptions): PipelineProject {
    return buildStep(this, id, {
      roleName: step.roleName,
      description: step.description,
      buildSpec: step.buildSpec,
      encryptionKey: this.encryptionKey,
      logRetention: this.props.logRetention ?? RetentionDays.ONE_YEAR,
      timeout: step.timeout,
      environmentVariables: Object.fromEntries(Object.entries(step.env ?? {}).map(([k, value]) =>
        [k, { value, type: BuildEnvironmentVariableType.PLAINTEXT }])),
      placement: step.placement,
    });
  }

  /** The role the source action uses the GitHub connection with, and nothing else. */
  private createSourceRole(): Role {
    const sourceRole = new Role(this, 'SourceRole', {
      assumedBy: new AccountRootPrincipal(),
      description: `Uses the GitHub connection for the ${this.props.pipelineName} pipeline`,
    });
    sourceRole.addToPrincipalPolicy(new PolicyStatement({
      sid: 'UseGithubConnection',
      actions: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      resources: [this.props.connectionArn],
    }));
    return sourceRole;
  }

  /** Source: the repository at the revision an execution names (or the branch), not triggered by pushes. */
  private addSourceStage(source: Artifact): CodeStarConnectionsSourceAction {
    const props = this.props;
    const sourceAction = new CodeStarConnectionsSourceAction({
      actionName: SOURCE_ACTION_NAME,
      connectionArn: props.connectionArn,
      owner: props.repositoryOwner,
      repo: props.repositoryName,
      branch: props.branch ?? 'main',
      output: source,
      triggerOnPush: false,
      role: this.sourceRole,
      variablesNamespace: 'SourceVariables',
    });
    this.pipeline.addStage({ stageName: PIPELINE_STAGES.source, actions: [sourceAction] });
    return sourceAction;
  }

  /**
   * The Gate step: reads the raw datasets, writes the run's passed and quarantined copies and its
   * manifest, and the passing dataset's profile as the training baseline.
   */
  private createGateProject(): PipelineProject {
    const props = this.props;
    const lake = props.lake;
    const { validatedPrefix, quarantinePrefix, gateRunObjects } = this.resources;
    const project = this.createStep('Gate', {
      description: `Data gate of ${props.pipelineName}: one gate run over the dataset in S3, with its manifest`,
      buildSpec: gateSpec(nodeVersionOf(this.props)),
      timeout: Duration.hours(1),
      env: {
        CONTRACT: props.contractPath ?? 'data/contract.json',
        ARTIFACTS_BUCKET: lake.artifactsBucket.bucketName,
        BASELINE_KEY: props.baselineProfileKey,
        VALIDATED_URI: `s3://${lake.validatedBucket.bucketName}/${validatedPrefix}`,
        QUARANTINE_URI: `s3://${lake.quarantineBucket.bucketName}/${quarantinePrefix}`,
      },
      roleName: props.gateRoleName,
    });
    project.addToRolePolicy(new PolicyStatement({
      sid: 'ReadRawDatasets',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [lake.rawBucket.arnForObjects('*')],
    }));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'ListRawDatasets',
      actions: ['s3:ListBucket', 's3:ListBucketVersions'],
      resources: [lake.rawBucket.bucketArn],
    }));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'WriteGateRuns',
      actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:AbortMultipartUpload'],
      resources: gateRunObjects,
    }));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'WriteBaselineProfile',
      actions: ['s3:PutObject'],
      resources: [lake.artifactsBucket.arnForObjects(props.baselineProfileKey)],
    }));
    project.addToRolePolicy(this.decryptThroughS3('UseLakeKeyThroughS3', ['kms:Decrypt', 'kms:GenerateDataKey']));
    return project;
  }

  /** Gate: the dataset of the `DATASET_URI` variable, gated once per execution. */
  private addGateStage(source: Artifact, datasetUri: Variable): CodeBuildAction {
    const gateAction = new CodeBuildAction({
      actionName: 'DataGate',
      project: this.gateProject,
      input: source,
      variablesNamespace: 'GateVariables',
      environmentVariables: {
        DATASET_URI: { value: datasetUri.reference() },
        PIPELINE_EXECUTION_ID: { value: GlobalVariables.executionId },
      },
    });
    this.pipeline.addStage({ stageName: PIPELINE_STAGES.gate, actions: [gateAction] });
    return gateAction;
  }

  /** The Train step: starts the SageMaker Pipeline on the Gate's manifest and follows it. */
  private createTrainProject(): PipelineProject {
    const props = this.props;
    const { datasetManifests, trainingPipelineArn, trainingExecutionsArn } = this.resources;
    const project = this.createStep('Train', {
      description: `Runs the SageMaker Pipeline ${props.trainingPipelineName} and waits for it`,
      buildSpec: trainSpec(nodeVersionOf(props)),
      timeout: props.trainingTimeout ?? Duration.hours(8),
      env: { TRAINING_PIPELINE: props.trainingPipelineName },
    });
    project.addToRolePolicy(new PolicyStatement({
      sid: 'ReadDatasetManifests',
      actions: ['s3:GetObject'],
      resources: [datasetManifests],
    }));
    project.addToRolePolicy(this.decryptThroughS3('DecryptDatasetManifests', ['kms:Decrypt']));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'StartTrainingPipeline',
      actions: ['sagemaker:StartPipelineExecution'],
      resources: [trainingPipelineArn],
    }));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'FollowTrainingPipeline',
      actions: ['sagemaker:DescribePipelineExecution', 'sagemaker:ListPipelineExecutionSteps'],
      resources: [trainingExecutionsArn],
    }));
    return project;
  }

  /** Train: the training run on this commit and the Gate's manifest; it names the model package it registered. */
  private addTrainStage(source: Artifact, sourceAction: CodeStarConnectionsSourceAction, gateAction: CodeBuildAction): CodeBuildAction {
    const trainAction = new CodeBuildAction({
      actionName: 'TrainAndRegister',
      project: this.trainProject,
      input: source,
      variablesNamespace: 'TrainVariables',
      environmentVariables: {
        SOURCE_COMMIT: { value: sourceAction.variables.commitId },
        [DATASET_MANIFEST_VARIABLES.uri]: { value: gateAction.variable(DATASET_MANIFEST_VARIABLES.uri) },
        [DATASET_MANIFEST_VARIABLES.sha256]: { value: gateAction.variable(DATASET_MANIFEST_VARIABLES.sha256) },
      },
    });
    this.pipeline.addStage({ stageName: PIPELINE_STAGES.train, actions: [trainAction] });
    return trainAction;
  }

  /** The step that marks an approved model package Approved in the registry. */
  private createApprovalProject(): PipelineProject {
    const project = this.createStep('RecordApproval', {
      description: 'Marks the approved model package Approved in the registry',
      buildSpec: recordApprovalSpec(),
      timeout: Duration.minutes(10),
      env: { PIPELINE_NAME: this.props.pipelineName },
    });
    project.addToRolePolicy(new PolicyStatement({
      sid: 'ApproveModelPackage',
      actions: ['sagemaker:UpdateModelPackage'],
      resources: [this.resources.modelPackagesArn],
    }));
    return project;
  }

  /** Approve: a person reviews the model package, then the approval is recorded on it. */
  private addApproveStage(source: Artifact, sourceAction: CodeStarConnectionsSourceAction, modelPackageArn: string): void {
    this.pipeline.addStage({
      stageName: PIPELINE_STAGES.approve,
      actions: [
        new ManualApprovalAction({
          actionName: 'ApproveModel',
          runOrder: 1,
          additionalInformation: `Model package ${modelPackageArn} trained on commit ${sourceAction.variables.commitId}: review its metrics in SageMaker Model Registry, then approve to deploy.`,
        }),
        new CodeBuildAction({
          actionName: 'RecordApproval',
          runOrder: 2,
          project: this.approvalProject,
          input: source,
          environmentVariables: {
            MODEL_PACKAGE_ARN: { value: modelPackageArn },
            PIPELINE_EXECUTION_ID: { value: GlobalVariables.executionId },
          },
        }),
      ],
    });
  }

  /**
   * The Deploy step of every stage and of Monitor: verifies the model package's digest and
   * signature, then deploys one stack through the CDK bootstrap roles. A smoke test inside the
   * network cannot install packages: each Deploy action, which has installed them, hands the
   * bundled CLI on as its output artifact.
   */
  private createDeployProject(): PipelineProject {
    const props = this.props;
    const { modelPackagesArn, trainingArtifacts } = this.resources;
    const project = this.createStep('Deploy', {
      description: 'cdk deploy of one stack of the app with the approved model package, once its digest and signature verify',
      buildSpec: deploySpec(nodeVersionOf(props), { cliArtifact: props.smokeTests?.network !== undefined }),
      timeout: Duration.hours(2),
      env: { SIGNING_KEY: props.signingKey ?? `alias/aidlc/${props.modelPackageGroupName}/model-signing` },
    });
    project.addToRolePolicy(assumeCdkBootstrapRoles(this, props.cdkQualifier ?? DEFAULT_CDK_QUALIFIER, CDK_DEPLOY_ROLES));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'DescribeModelPackages',
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [modelPackagesArn],
    }));
    project.addToRolePolicy(new PolicyStatement({
      sid: 'HashModelArtifacts',
      actions: ['s3:GetObject'],
      resources: [trainingArtifacts],
    }));
    project.addToRolePolicy(this.decryptThroughS3('DecryptModelArtifacts', ['kms:Decrypt']));
    return project;
  }

  /** The smoke test after each deploy: outside any VPC, or inside the network from the CLI the Deploy action hands on. */
  private createSmokeTestProject(smokeTests: DeliverySmokeTests, source: Artifact, placement: BuildPlacement | undefined): PipelineProject {
    const nodeVersion = nodeVersionOf(this.props);
    const project = this.createStep('SmokeTest', {
      description: `Calls a stage's inference API after its deploy${placement ? ', from inside the model\'s network' : ''}: sample rows scored, bad requests rejected`,
      buildSpec: placement ? privateSmokeTestSpec(nodeVersion, source.artifactName!) : smokeTestSpec(nodeVersion),
      timeout: Duration.minutes(15),
      placement,
    });
    if (placement) scopeVpcPolicy(project, placement);
    grantSmokeTest(project, Stack.of(this), this.props.stages, smokeTests);
    return project;
  }

  /**
   * Deploy-<stage> for every stage in rollout order (a person promotes where the stage asks for
   * it; the smoke test follows the deploy), then Monitor.
   */
  private addDeployStages(source: Artifact, modelPackageArn: string): void {
    const props = this.props;
    const smokeNetwork = props.smokeTests?.network;
    // With the CLI in the Deploy buildspec's artifacts, every action of the project names an
    // output for it, the Monitor stage's too, so no build is left with artifacts and nowhere to put them.
    const deployAction = (actionName: string, stackName: string, runOrder: number, artifactName: string) => new CodeBuildAction({
      actionName,
      runOrder,
      project: this.deployProject,
      input: source,
      ...(smokeNetwork ? { outputs: [new Artifact(artifactName)] } : {}),
      environmentVariables: {
        STACK: { value: stackName },
        MODEL_PACKAGE_ARN: { value: modelPackageArn },
      },
    });
    const smokeTestAction = (stage: DeliveryStage, runOrder: number, cli?: Artifact) => new CodeBuildAction({
      actionName: 'SmokeTest',
      runOrder,
      project: this.smokeTestProject!,
      // Inside the network: the CLI is the primary input, the source the secondary one.
      ...(cli ? { input: cli, extraInputs: [source] } : { input: source }),
      environmentVariables: { STAGE: { value: stage.name }, STACK: { value: stage.stackName } },
    });
    for (const stage of props.stages) {
      const deployOrder = stage.requireApproval ? 2 : 1;
      const deploy = deployAction('Deploy', stage.stackName, deployOrder, cliArtifactName(stage.name));
      const actions = [deploy];
      // The next stage starts only when this one's actions all succeed: prod is promoted only
      // after staging's smoke test passed.
      if (this.smokeTestProject) actions.push(smokeTestAction(stage, deployOrder + 1, deploy.actionProperties.outputs?.[0]));
      this.addDeployStage(`${PIPELINE_STAGES.deployPrefix}${stage.name}`, stage, actions);
    }
    if (props.monitoringStackName) {
      this.pipeline.addStage({ stageName: PIPELINE_STAGES.monitor, actions: [deployAction('DeployMonitoring', props.monitoringStackName, 1, 'Cli_Monitor')] });
    }
  }

  /** Decrypting with the lake's key, only through S3. */
  private decryptThroughS3(sid: string, actions: string[]): PolicyStatement {
    return new PolicyStatement({
      sid,
      actions,
      resources: [this.props.lake.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
  }

  /** The checks the pipeline's steps answer differently, with what each step may touch. */
  private acknowledgeFindings(smokeTestInNetwork: boolean): void {
    const { modelPackagesArn, trainingArtifacts, gateRunObjects, trainingExecutionsArn, datasetManifests } = this.resources;
    acknowledgeDeliveryPipeline(this, {
      artifactBucket: this.artifactBucket,
      projects: [
        this.gateProject, this.trainProject, this.approvalProject, this.deployProject,
        ...(this.smokeTestProject ? [this.smokeTestProject] : []),
      ],
      gate: { project: this.gateProject, datasetBucket: this.props.lake.rawBucket, role: this.gateProject.role },
      approval: { project: this.approvalProject, modelPackagesArn },
      gateRuns: { project: this.gateProject, objectArns: gateRunObjects },
      train: { project: this.trainProject, executionsArn: trainingExecutionsArn, manifestsArn: datasetManifests },
      deploy: { project: this.deployProject, modelPackagesArn, artifactsArn: trainingArtifacts },
      ...(this.smokeTestProject ? {
        smokeTest: {
          project: this.smokeTestProject,
          resources: smokeTestResources(Stack.of(this), this.props.stages),
          inNetwork: smokeTestInNetwork,
        },
      } : {}),
    });
  }

  private addDeployStage(stageName: string, stage: DeliveryStage, deploy: CodeBuildAction[]): IStage {
    const actions = stage.requireApproval
      ? [new ManualApprovalAction({ actionName: 'Promote', runOrder: 1, additionalInformation: `Deploy to ${stage.name} (${stage.stackName})?` }), ...deploy]
      : deploy;
    return this.pipeline.addStage({ stageName, actions });
  }
}

/** One CodeBuild step of the pipeline (see `buildStep`). */
interface PipelineStepOptions {
  readonly description: string;
  readonly buildSpec: { [k: string]: unknown };
  readonly timeout: Duration;
  /** Plain-text environment variables. */
  readonly env?: { [k: string]: string };
  readonly roleName?: string;
  readonly placement?: BuildPlacement;
}

/** The prefixes and ARNs the pipeline's steps are given and allowed. */
interface DeliveryResources {
  /** Prefix of the model's validated data in the validated bucket. */
  readonly validatedPrefix: string;
  /** Prefix of the model's quarantined data in the quarantine bucket. */
  readonly quarantinePrefix: string;
  /** What a Gate run writes: its passed and quarantined copies and manifest. */
  readonly gateRunObjects: string[];
  /** Every Gate run's manifest. */
  readonly datasetManifests: string;
  readonly trainingPipelineArn: string;
  readonly trainingExecutionsArn: string;
  /** Every model package of the group. */
  readonly modelPackagesArn: string;
  /** The training pipeline's outputs in the artifacts bucket. */
  readonly trainingArtifacts: string;
}

function deliveryResources(stack: Stack, props: DeliveryPipelineProps): DeliveryResources {
  const lake = props.lake;
  const datasetFolder = props.datasetKey.slice(0, props.datasetKey.lastIndexOf('/') + 1);
  const datasetTail = datasetFolder.startsWith('raw/') ? datasetFolder.slice('raw/'.length) : datasetFolder;
  const validatedPrefix = props.validatedPrefix ?? `validated/${datasetTail}`;
  const quarantinePrefix = props.quarantinePrefix ?? `quarantine/${datasetTail}`;
  const trainingPipelineArn = stack.formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: props.trainingPipelineName.toLowerCase() });
  return {
    validatedPrefix,
    quarantinePrefix,
    gateRunObjects: [
      lake.validatedBucket.arnForObjects(`${validatedPrefix}runs/*`),
      lake.quarantineBucket.arnForObjects(`${quarantinePrefix}runs/*`),
    ],
    datasetManifests: lake.validatedBucket.arnForObjects(`${validatedPrefix}runs/*/manifest.json`),
    trainingPipelineArn,
    trainingExecutionsArn: `${trainingPipelineArn}/execution/*`,
    modelPackagesArn: stack.formatArn({
      service: 'sagemaker', resource: 'model-package', resourceName: `${props.modelPackageGroupName.toLowerCase()}/*`,
    }),
    trainingArtifacts: lake.artifactsBucket.arnForObjects(`${props.trainingArtifactsPrefix ?? `pipelines/${props.trainingPipelineName}/`}*`),
  };
}

/** Major Node.js version of the CodeBuild steps. */
function nodeVersionOf(props: DeliveryPipelineProps): string {
  return props.nodeVersion ?? '22';
}

/** What the smoke test touches of each stage: its stack's outputs, its API's invocations, its own API key and app client. */
function smokeTestResources(stack: Stack, stages: DeliveryStage[]) {
  return {
    stacks: stages.map((s) => stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${s.stackName}/*` })),
    // The APIs' ids are assigned when the serving stacks deploy, after this stack: the stage and the route narrow it.
    invocations: stages.map((s) => stack.formatArn({ service: 'execute-api', resource: '*', resourceName: `${s.name}/POST/invocations` })),
    apiKeys: `arn:${stack.partition}:apigateway:${stack.region}::/apikeys/*`,
    userPools: stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' }),
  };
}

/** Read-only access the smoke test needs; credentials only where the model's tags say they are the smoke test's. */
function grantSmokeTest(project: PipelineProject, stack: Stack, stages: DeliveryStage[], options: DeliverySmokeTests): void {
  const r = smokeTestResources(stack, stages);
  const model = { [`aws:ResourceTag/${options.modelTagKey}`]: options.modelTagValue };
  project.addToRolePolicy(new PolicyStatement({ sid: 'ReadServingStackOutputs', actions: ['cloudformation:DescribeStacks'], resources: r.stacks }));
  project.addToRolePolicy(new PolicyStatement({ sid: 'CallTheInferenceApis', actions: ['execute-api:Invoke'], resources: r.invocations }));
  project.addToRolePolicy(new PolicyStatement({
    sid: 'ReadTheSmokeTestApiKey',
    actions: ['apigateway:GET'],
    resources: [r.apiKeys],
    conditions: { StringEquals: { ...model, [`aws:ResourceTag/${API_CREDENTIAL_TAG}`]: SMOKE_TEST_CREDENTIAL } },
  }));
  if (options.cognito) {
    project.addToRolePolicy(new PolicyStatement({
      sid: 'ReadTheSmokeTestClientSecret',
      actions: ['cognito-idp:DescribeUserPoolClient'],
      resources: [r.userPools],
      conditions: { StringEquals: model },
    }));
  }
}
