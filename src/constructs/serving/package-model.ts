import * as sagemaker from '@aws-cdk/aws-sagemaker-alpha';
import { ArnFormat, Aws, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './acknowledgements';
import { InvalidValuesError } from '../../core/problem';
import { IModelNetwork } from '../network/model-network-ref';
import { NETWORK_INTERFACE_WILDCARD, NETWORK_INTERFACE_WILDCARD_REASON, VPC_DESCRIBE_REASON, sageMakerVpcConfig, vpcAccessStatements } from '../network/vpc-access';

/**
 * Props of a model created from a model package.
 */
export interface PackageModelProps {
  /** ARN of the (approved) model package version to serve. */
  readonly modelPackageArn: string;
  /** The bucket holding the package's model artifacts; the model reads from it. */
  readonly artifactsBucket: s3.IBucket;
  /**
   * The key the artifacts are encrypted with.
   * @default - the artifacts bucket's key, if it has one
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the container without network access. Built-in framework containers serving a model
   * whose code travels in its artifacts work isolated; containers that install packages at
   * start-up do not.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * The network the endpoint's instances run in (the model's VpcConfig): SageMaker reaches the
   * model artifacts and writes captured data through it.
   * @default - no VpcConfig
   */
  readonly network?: IModelNetwork;
}

const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[a-zA-Z0-9-]{1,63}\/\d+$/;

/**
 * A SageMaker model served from a registered model package: the package names the image and the
 * artifacts, so the container has only `ModelPackageName`. Comes with a least-privilege execution
 * role (the alpha `Model` would otherwise create one with `AmazonSageMakerFullAccess`).
 */
export class PackageModel extends Construct {
  /** The SageMaker model. */
  public readonly model: sagemaker.Model;
  /** The execution role the endpoint's instances run as. */
  public readonly role: iam.Role;
  /** The execution role's permissions. */
  public readonly policy: iam.ManagedPolicy;
  /** The instances' security group, when the model runs in a network. */
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PackageModelProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.modelPackageArn) && !MODEL_PACKAGE_ARN.test(props.modelPackageArn)) {
      throw new InvalidValuesError('PackageModel', [{
        path: 'modelPackageArn', value: props.modelPackageArn, message: 'is not a model package version ARN', fix: 'give arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>',
      }]);
    }
    const key = props.encryptionKey ?? props.artifactsBucket.encryptionKey;
    const stack = Stack.of(this);

    if (props.network) this.securityGroup = props.network.securityGroupFor(this, 'SecurityGroup', 'Endpoint instances serving a registered model');
    this.policy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: 'Serving a registered model: read its artifacts, pull its image, write endpoint logs',
      statements: [
        new iam.PolicyStatement({ sid: 'ReadModelArtifacts', actions: ['s3:GetObject'], resources: [props.artifactsBucket.arnForObjects('*')] }),
        ...(key ? [new iam.PolicyStatement({ sid: 'DecryptModelArtifacts', actions: ['kms:Decrypt'], resources: [key.keyArn] })] : []),
        new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PullImage',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [`arn:${Aws.PARTITION}:ecr:${stack.region}:*:repository/*`],
        }),
        new iam.PolicyStatement({
          sid: 'EndpointLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/Endpoints/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
        ...(props.network && this.securityGroup ? vpcAccessStatements(this, props.network, [this.securityGroup]) : []),
      ],
    });
    this.role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Execution role of the endpoint instances serving a registered model',
      managedPolicies: [this.policy],
    });

    this.model = new sagemaker.Model(this, 'Model', {
      role: this.role,
      networkIsolation: props.networkIsolation ?? true,
      containers: [{ image: new ModelPackageImage() }],
    });
    const cfn = this.model.node.findChild('Model') as CfnModel;
    cfn.addPropertyDeletionOverride('PrimaryContainer.Image');
    cfn.addPropertyOverride('PrimaryContainer.ModelPackageName', props.modelPackageArn);
    if (props.network && this.securityGroup) cfn.vpcConfig = sageMakerVpcConfig(props.network, this.securityGroup);
    cfn.node.addDependency(this.policy);

    this.acknowledgeFindings(!!props.network);
  }

  private acknowledgeFindings(inNetwork: boolean): void {
    acknowledgeWildcards(this.policy, [
      { match: /^Resource::.*\/\*$/, reason: 'objects of the artifacts bucket: the model package decides under which key its model.tar.gz lies; reads only' },
      { match: /^Resource::\*$/, reason: `ecr:GetAuthorizationToken has no resource-level permissions${inNetwork ? `; ${VPC_DESCRIBE_REASON}` : ''}` },
      { match: /:ecr:.*:\*:repository\/\*$/, reason: 'the model package names the image; SageMaker framework images live in AWS-owned registries that differ per region' },
      { match: /:log-group:\/aws\/sagemaker\/Endpoints\/\*/, reason: 'SageMaker names the endpoint log group after the endpoint, which this model does not know; limited to the SageMaker endpoint log groups' },
      ...(inNetwork ? [{ match: NETWORK_INTERFACE_WILDCARD, reason: NETWORK_INTERFACE_WILDCARD_REASON }] : []),
    ]);
  }
}

/**
 * The container image of a model package: SageMaker takes it from the package, so the rendered
 * `Image` is removed again and replaced by `ModelPackageName`.
 */
class ModelPackageImage extends sagemaker.ContainerImage {
  public bind(): sagemaker.ContainerImageConfig {
    return { imageName: 'from-model-package' };
  }
}
