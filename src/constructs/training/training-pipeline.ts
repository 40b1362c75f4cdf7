import * as fs from 'fs';
import * as path from 'path';
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { IModelRegistry } from './model-registry';
import { ModelSigner } from './model-signer';
import { CodeObject, PIPELINE_PARAMETER_NAMES, buildPipelineDefinition } from './pipeline-definition';
import { attachPipelinePolicy, createPipelineRole, pipelinePermissions } from './pipeline-role';
import { writeSourceArchive } from './source-archive';
import { ModelEvaluationOptions, TrainingDataset, TrainingJobOptions } from './training-options';
import { acknowledgeTrainingPipeline } from './training-pipeline-acknowledgements';
import { TrainingSpec, trainingSpec } from './training-spec';
import { TRAINING_DEFAULTS } from '../../core/training-defaults';
import { IDataLake } from '../data/data-lake-ref';
import { IModelNetwork } from '../network/model-network-ref';
import { NETWORK_INTERFACE_WILDCARD_REASON, sageMakerVpcConfig, vpcAccessStatements } from '../network/vpc-access';

/**
 * Props of {@link TrainingPipeline}.
 */
export interface TrainingPipelineProps {
  /** The data lake: training data comes from its validated bucket, everything written goes to its artifacts bucket, encrypted with its key. */
  readonly lake: IDataLake;
  /** Where models that clear the evaluation bar are registered. */
  readonly registry: IModelRegistry;
  /** Name of the SageMaker Pipeline (1-256 letters, digits and hyphens). */
  readonly pipelineName: string;
  /** The training data: the target, the key columns (split on and dropped) and the column types (encoding). */
  readonly dataset: TrainingDataset;
  /**
   * The Train step's job: image, instances, Spot capacity, stopping condition, hyperparameters.
   * @default - XGBoost 1.7-1 on one ml.m5.xlarge, on Spot, 1 h max runtime, 2 h max wait
   */
  readonly training?: TrainingJobOptions;
  /**
   * The metric a model must clear on the holdout to be registered.
   * @default - AUC at least 0.75 on a 20% holdout
   */
  readonly evaluation?: ModelEvaluationOptions;
  /**
   * Reuse the results of unchanged steps of earlier runs (SageMaker step caching).
   * @default false
   */
  readonly cacheSteps?: boolean;
  /**
   * Folder holding the training entry point, `split.py` and `evaluate.py`, relative to the
   * working directory of the synth.
   * @default - the folder of `training.entryPoint`
   */
  readonly sourceDirectory?: string;
  /**
   * Instance type of the Split and Evaluate processing jobs.
   * @default "ml.m5.large"
   */
  readonly processingInstanceType?: string;
  /**
   * Key prefix, in the validated bucket, of the datasets a run trains on unless
   * `InputDataUri` is passed at the start of the execution.
   * @default "validated/"
   */
  readonly inputDataPrefix?: string;
  /**
   * Key, in the artifacts bucket, of the data baseline profile a run attaches to the model
   * package unless `BaselineProfileUri` is passed.
   * @default "baselines/<model package group name>/profile.json"
   */
  readonly baselineProfileKey?: string;
  /**
   * Description of the pipeline.
   * @default - names the model package group it registers into
   */
  readonly description?: string;
  /**
   * Alias of the model's signing key (the deploy step finds the key by it).
   * @default - no alias
   */
  readonly signingKeyAlias?: string;
  /**
   * The network the jobs run in: every training and processing job gets its private subnets and
   * a security group of its own, beside network isolation.
   * @default - network isolation alone
   */
  readonly network?: IModelNetwork;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

function objectName(asset: Asset): string {
  if (Token.isUnresolved(asset.s3ObjectKey)) {
    throw new Error('TrainingPipeline needs asset object keys known at synth (the default stack synthesizer); the jobs address their code by file name');
  }
  return path.posix.basename(asset.s3ObjectKey);
}

function codeObject(asset: Asset): CodeObject {
  return { s3Uri: asset.s3ObjectUrl, fileName: objectName(asset) };
}

/**
 * A SageMaker Pipeline that trains one model on Spot capacity and registers it:
 *
 * 1. Split (processing): the dataset (`InputDataUri`) into train, validation and holdout sets by a
 *    hash of the key columns (`split.py`);
 * 2. Train (training, script mode): the entry point in the framework image (or a custom image),
 *    managed Spot with `MaxWaitTimeInSeconds` (Spot only), checkpoints to the artifacts bucket,
 *    KMS-encrypted output and volumes, network isolation and inter-container encryption, retried
 *    on capacity errors;
 * 3. Evaluate (processing): `evaluate.py` scores the model on the holdout and writes the report
 *    the condition reads (a property file), beside a copy of the data baseline profile;
 * 4. CheckMetric: the configured metric against its bar, in the configured direction;
 * 5. SignArtifact (Lambda): the dataset manifest's hash checked, model.tar.gz hashed and its
 *    digest signed with the model's KMS signing key, lineage recorded, the model card made;
 * 6. Register: a model package version, `PendingManualApproval`, with the report as model quality,
 *    the baseline profile as data quality, and its provenance (commit, manifest and its hash,
 *    training job, image, hyperparameters hash, metric, artifact digest and signature) as
 *    metadata; or MetricBelowThreshold fails the run.
 *
 * The Split step trains only on what a gate run passed: `InputDataUri`, `DatasetManifestUri` and
 * `DatasetManifestSha256` have no defaults, and Split checks every file against the manifest.
 *
 * The definition comes from the same builder as the review file `pipelines/sagemaker-pipeline.json`
 * (`renderReviewDefinition`).
 */
export class TrainingPipeline extends Construct {
  /** Pipeline parameter: S3 URI of the training dataset (a CSV object, or a prefix of CSV objects). */
  public static readonly INPUT_DATA_PARAMETER: string = PIPELINE_PARAMETER_NAMES.inputData;
  /** Pipeline parameter: S3 URI of the data baseline profile of that dataset (`aidlc profile` output). */
  public static readonly BASELINE_PROFILE_PARAMETER: string = PIPELINE_PARAMETER_NAMES.baselineProfile;
  /** Pipeline parameter: the commit the run trains, recorded on the model package as `source_revision`. */
  public static readonly SOURCE_REVISION_PARAMETER: string = PIPELINE_PARAMETER_NAMES.sourceRevision;

  /** The pipeline resource. */
  public readonly pipeline: CfnPipeline;
  /** Name of the pipeline. */
  public readonly pipelineName: string;
  /** ARN of the pipeline. */
  public readonly pipelineArn: string;
  /** The role the pipeline and its jobs run as. */
  public readonly role: iam.IRole;
  /** The role's one policy. */
  public readonly policy: iam.ManagedPolicy;
  /** The training entry point, packed as the Train step's `code` channel. */
  public readonly sourceArchive: Asset;
  /** `split.py`, run by the Split step. */
  public readonly splitScript: Asset;
  /** `evaluate.py`, run by the Evaluate step. */
  public readonly evaluateScript: Asset;
  /** The SignArtifact step's function and the model's signing key. */
  public readonly signer: ModelSigner;
  /** The jobs' security group, when they run in a network. */
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: TrainingPipelineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region)) {
      throw new Error(`TrainingPipeline ${this.node.path} needs a stack with an explicit region (env.region): the framework image depends on it`);
    }
    const spec = trainingSpec({
      pipelineName: props.pipelineName,
      modelPackageGroupName: props.registry.modelPackageGroupName,
      region: stack.region,
      dataset: props.dataset,
      training: props.training,
      evaluation: props.evaluation,
      cacheSteps: props.cacheSteps,
      processingInstanceType: props.processingInstanceType,
      inputDataPrefix: props.inputDataPrefix,
      baselineProfileKey: props.baselineProfileKey,
    }, `TrainingPipeline ${this.node.path}`);

    const sourceDirectory = props.sourceDirectory ?? path.dirname(props.training?.entryPoint ?? TRAINING_DEFAULTS.entryPoint);
    this.sourceArchive = new Asset(this, 'SourceArchive', {
      path: writeSourceArchive({ [spec.entryPointFile]: this.sourceFile(sourceDirectory, spec.entryPointFile) }),
    });
    this.splitScript = new Asset(this, 'SplitScript', { path: this.sourceFile(sourceDirectory, 'split.py') });
    this.evaluateScript = new Asset(this, 'EvaluateScript', { path: this.sourceFile(sourceDirectory, 'evaluate.py') });

    if (props.network) {
      this.securityGroup = props.network.securityGroupFor(this, 'JobsSecurityGroup', `Training and processing jobs of ${props.pipelineName}`);
      // Instances of one distributed training job talk to each other (encrypted, see EnableInterContainerTrafficEncryption).
      if (spec.instanceCount > 1) {
        this.securityGroup.connections.allowInternally(ec2.Port.allTraffic(), 'Between the instances of one training job');
        acknowledgeSelfReferencingIngress(this.securityGroup);
      }
    }
    const role = createPipelineRole(this, 'Role', `Runs the SageMaker Pipeline ${props.pipelineName} and its training and processing jobs`);
    this.role = role;
    const permissions = pipelinePermissions(stack, role, {
      pipelineName: props.pipelineName,
      key: props.lake.key,
      validatedBucket: props.lake.validatedBucket,
      artifactsBucket: props.lake.artifactsBucket,
      baselineProfileKey: spec.baselineProfileKey,
      registry: props.registry,
      code: [this.sourceArchive, this.splitScript, this.evaluateScript].map((a) => ({ bucketName: a.s3BucketName, objectKey: a.s3ObjectKey })),
      customImageRepositoryArn: spec.customImage ? this.repositoryArn(spec) : undefined,
    });
    this.signer = new ModelSigner(this, 'Signer', {
      lake: props.lake,
      pipelineName: props.pipelineName,
      ...(props.signingKeyAlias ? { keyAlias: props.signingKeyAlias } : {}),
      ...(props.network ? { network: props.network } : {}),
    });
    const vpcStatements = props.network && this.securityGroup ? vpcAccessStatements(this, props.network, [this.securityGroup]) : [];
    this.policy = attachPipelinePolicy(this, 'Policy', role, [
      ...permissions.statements,
      ...vpcStatements,
      new iam.PolicyStatement({ sid: 'RunSignArtifactStep', actions: ['lambda:InvokeFunction'], resources: [this.signer.function.functionArn] }),
    ]);

    const definition = buildPipelineDefinition(spec, {
      roleArn: role.roleArn,
      keyArn: props.lake.key.keyArn,
      artifactsBucket: props.lake.artifactsBucket.bucketName,
      validatedBucket: props.lake.validatedBucket.bucketName,
      sourceArchive: codeObject(this.sourceArchive),
      splitScript: codeObject(this.splitScript),
      evaluateScript: codeObject(this.evaluateScript),
      signerFunctionArn: this.signer.function.functionArn,
      ...(props.network && this.securityGroup ? { vpc: sageMakerVpcConfig(props.network, this.securityGroup) } : {}),
    });
    this.pipeline = new CfnPipeline(this, 'Pipeline', {
      pipelineName: props.pipelineName,
      pipelineDescription: props.description ?? `Trains the model on Spot capacity, evaluates it on a holdout and registers it in ${props.registry.modelPackageGroupName}`,
      roleArn: role.roleArn,
      pipelineDefinition: { PipelineDefinitionBody: stack.toJsonString(definition) },
    });
    this.pipeline.node.addDependency(this.policy);
    this.pipelineName = props.pipelineName;
    this.pipelineArn = stack.formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: props.pipelineName.toLowerCase() });

    acknowledgeTrainingPipeline(this.policy, [
      ...permissions.wildcards,
      ...(vpcStatements.length > 0 ? [{ resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })], reason: NETWORK_INTERFACE_WILDCARD_REASON }] : []),
    ]);
  }

  private sourceFile(directory: string, file: string): string {
    const full = path.resolve(directory, file);
    if (!fs.existsSync(full)) {
      throw new Error(`TrainingPipeline: ${full} does not exist; the pipeline runs ${file} from ${directory}`);
    }
    return full;
  }

  private repositoryArn(spec: TrainingSpec): string {
    const m = ECR_IMAGE.exec(spec.image);
    if (!m) throw new Error(`${spec.image} is not an ECR image URI`);
    const [, account, region, repository] = m;
    const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
  }
}

/**
 * The packs' common-ports rule reads any all-traffic ingress as unrestricted, whatever its source;
 * this one admits only the group's own members (the instances of one distributed training job,
 * which SageMaker requires to reach each other on any port).
 */
function acknowledgeSelfReferencingIngress(group: ec2.SecurityGroup): void {
  for (const ingress of group.node.children.filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress)) {
    Validations.of(ingress).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
      id: `${pack}-EC2RestrictedCommonPorts`,
      reason: 'The rule\'s source is this security group itself, not an address range: only the instances of one distributed training job '
        + '(which SageMaker requires to reach each other on any port, with inter-container traffic encrypted) may connect; nothing outside the group can.',
    })));
  }
}
