import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ModelSigningKey } from './model-signing-key';
import { pipelinePrefix } from './pipeline-role';
import { assetPath } from '../assets';
import { IDataLake } from '../data/data-lake-ref';
import { IModelNetwork } from '../network/model-network-ref';
import {
  NETWORK_INTERFACE_WILDCARD, NETWORK_INTERFACE_WILDCARD_REASON, VPC_DESCRIBE_REASON,
  acknowledgeImportedSubnets, functionPlacement, vpcAccessStatements,
} from '../network/vpc-access';
import { acknowledgeWildcards, wildcardFindings } from '../serving/acknowledgements';

/**
 * Props of {@link ModelSigner}.
 */
export interface ModelSignerProps {
  /** The data lake: the manifest in its validated bucket, the model in its artifacts bucket, its key. */
  readonly lake: IDataLake;
  /** Name of the SageMaker Pipeline whose models it signs (its artifacts prefix, its jobs). */
  readonly pipelineName: string;
  /**
   * Alias of the model's signing key.
   * @default - no alias
   */
  readonly keyAlias?: string;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The network the function runs in: its private subnets, HTTPS to S3 and to the KMS and
   * SageMaker API endpoints only (added to the network when it owns its endpoints).
   * @default - outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * The SignArtifact step's function and the model's signing key: a Node.js 22 Lambda that checks
 * the dataset manifest's hash, hashes model.tar.gz, has KMS sign the digest, writes the signature
 * document, records lineage and returns the model card. Its role is the only principal the
 * signing key lets sign; it reads only the manifests of gate runs and its pipeline's artifacts.
 */
export class ModelSigner extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;
  public readonly signingKey: ModelSigningKey;
  public readonly logGroup: logs.LogGroup;
  /** The function's security group, when it runs in a network. */
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ModelSignerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { lake } = props;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { encryptionKey: lake.key, retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Signs the models of ${props.pipelineName}`,
    });
    this.signingKey = new ModelSigningKey(this, 'SigningKey', { signer: this.role, ...(props.keyAlias ? { alias: props.keyAlias } : {}) });

    const network = props.network;
    if (network) {
      this.securityGroup = network.securityGroupFor(this, 'SecurityGroup', `SignArtifact step of ${props.pipelineName}`);
      // From inside the network the function signs through KMS's endpoint and records lineage
      // through SageMaker's; S3 goes through the gateway endpoint.
      network.addInterfaceEndpoint('kms');
      network.addInterfaceEndpoint('sagemaker.api');
    }
    const vpcStatements = network && this.securityGroup ? vpcAccessStatements(this, network, [this.securityGroup]) : [];

    const artifacts = lake.artifactsBucket.arnForObjects(`${pipelinePrefix(props.pipelineName)}*`);
    const manifests = lake.validatedBucket.arnForObjects('*/runs/*/manifest.json');
    const sagemaker = (resource: string, name: string) => stack.formatArn({ service: 'sagemaker', resource, resourceName: name });
    const trainingJobs = sagemaker('training-job', 'pipelines-*');
    const lineage = [sagemaker('artifact', '*'), sagemaker('experiment-trial-component', '*')];
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'aidlc model signer: read the manifest and the model, write the signature, record lineage',
      statements: [
        new iam.PolicyStatement({ sid: 'ReadAndSignPipelineArtifacts', actions: ['s3:GetObject', 's3:PutObject'], resources: [artifacts] }),
        new iam.PolicyStatement({ sid: 'ReadDatasetManifests', actions: ['s3:GetObject'], resources: [manifests] }),
        new iam.PolicyStatement({ sid: 'UseLakeKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [lake.key.keyArn] }),
        new iam.PolicyStatement({ sid: 'DescribeTrainingJobs', actions: ['sagemaker:DescribeTrainingJob'], resources: [trainingJobs] }),
        new iam.PolicyStatement({
          sid: 'RecordLineage',
          actions: ['sagemaker:CreateArtifact', 'sagemaker:AddAssociation', 'sagemaker:AddTags', 'sagemaker:ListArtifacts', 'sagemaker:ListTrialComponents'],
          resources: lineage,
        }),
        new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
        ...vpcStatements,
      ],
      roles: [this.role],
    });

    this.function = new lambda.Function(this, 'Function', {
      description: `aidlc SignArtifact step of ${props.pipelineName}: hash, sign and record the model`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(assetPath('lambda', 'model-signer')),
      role: this.role,
      memorySize: 1024,
      timeout: Duration.minutes(15),
      logGroup: this.logGroup,
      environment: {
        SIGNING_KEY_ID: this.signingKey.key.keyArn,
        PIPELINE_NAME: props.pipelineName,
      },
      ...(network && this.securityGroup ? functionPlacement(network, this.securityGroup) : {}),
    });
    this.function.node.addDependency(this.policy);
    if (network) acknowledgeImportedSubnets(this.function, network);
    this.acknowledgeFindings([artifacts, manifests, trainingJobs, ...lineage], network !== undefined);
  }

  /** Lets the grantee (the pipeline role) run the step. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['lambda:InvokeFunction'], resourceArns: [this.function.functionArn] });
  }

  private acknowledgeFindings(wildcardResources: string[], inNetwork: boolean): void {
    const policy = this.policy;
    policy.node.addValidation({
      validate: () => {
        const stack = Stack.of(policy);
        const present = new Set(wildcardFindings(stack.resolve((policy.node.defaultChild as iam.CfnManagedPolicy).policyDocument)));
        const declared = wildcardFindings(stack.resolve({ Statement: [{ Effect: 'Allow', Resource: wildcardResources }] }));
        for (const finding of declared) {
          if (present.has(finding)) {
            Validations.of(policy).acknowledge({
              id: `AwsSolutions-IAM5[${finding}]`,
              reason: 'Objects and jobs named per run: the execution\'s artifacts, the gate run\'s manifest, pipelines-* training jobs, and the lineage artifacts and trial components created per model.',
            });
          }
        }
        return [];
      },
    });
    if (inNetwork) {
      acknowledgeWildcards(policy, [
        { match: NETWORK_INTERFACE_WILDCARD, reason: NETWORK_INTERFACE_WILDCARD_REASON },
        { match: /^Resource::\*$/, reason: VPC_DESCRIBE_REASON },
      ]);
    }
    Validations.of(this.logGroup).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: 'The log group is encrypted with the data lake\'s customer managed key, whose ARN is imported from the data stack (Fn::ImportValue); the control accepts only a literal or a reference within the same template.',
    });
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-L1', reason: 'The bundled signer targets Node.js 22, the runtime this package tests it on; move both together.' },
      ...(inNetwork ? [] : ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-LambdaInsideVPC`,
        reason: 'Placed in no network (the config opts out of one): the function talks only to S3, KMS and SageMaker through their public endpoints with IAM and TLS.',
      }))),
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-LambdaConcurrency`,
        reason: 'It runs once per training run, invoked by SageMaker Pipelines; reserving concurrency would take capacity from the account pool.',
      })),
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-LambdaDLQ`,
        reason: 'SageMaker Pipelines invokes it synchronously and fails the SignArtifact step (and the run) on an error; there is no asynchronous event to dead-letter.',
      })),
    );
  }
}
