import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BuildEnvironmentVariable, BuildSpec, ComputeType, LinuxBuildImage, PipelineProject } from 'aws-cdk-lib/aws-codebuild';
import { ISecurityGroup, ISubnet, IVpc } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** What one CodeBuild project of the delivery pipeline runs, and with what. */
export interface BuildStepOptions {
  readonly description: string;
  readonly buildSpec: { [key: string]: unknown };
  readonly encryptionKey: IKey;
  readonly logRetention: RetentionDays;
  readonly timeout: Duration;
  readonly environmentVariables?: { [name: string]: BuildEnvironmentVariable };
  /** A fixed name for the step's role, when a policy elsewhere must name it. */
  readonly roleName?: string;
  /** Run the step in these subnets with these security groups (by default it runs outside any VPC). */
  readonly placement?: BuildPlacement;
}

/** Where a step runs inside a VPC. */
export interface BuildPlacement {
  readonly vpc: IVpc;
  readonly subnets: ISubnet[];
  readonly securityGroups: ISecurityGroup[];
}

/**
 * A CodeBuild project on the standard Ubuntu image, not privileged, with artifacts and logs
 * encrypted by the pipeline key, and its own role (the pipeline adds only what each step needs).
 *
 * The steps run outside the model's VPC, which has no route to the internet: the Gate, Train and
 * Deploy steps install the repository's packages from the npm registry (`npm ci`) and Deploy runs
 * `cdk deploy`, which CloudFormation and the CDK bootstrap roles serve. None of them reads captured
 * traffic; the Gate, which reads the raw dataset, has a fixed role name that the lake's buckets
 * name as a reader from outside the network. A private package mirror (CodeArtifact with its
 * endpoints) is what would let them move in. The one step placed inside (`placement`) is the
 * smoke test of a private API, which installs nothing.
 */
export function buildStep(scope: Construct, id: string, options: BuildStepOptions): PipelineProject {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    encryptionKey: options.encryptionKey,
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = options.roleName
    ? new Role(scope, `${id}Role`, { roleName: options.roleName, assumedBy: new ServicePrincipal('codebuild.amazonaws.com'), description: options.description.slice(0, 1000) })
    : undefined;
  return new PipelineProject(scope, id, {
    ...(role ? { role } : {}),
    description: options.description,
    buildSpec: BuildSpec.fromObject(options.buildSpec),
    environment: {
      buildImage: LinuxBuildImage.STANDARD_7_0,
      computeType: ComputeType.SMALL,
      privileged: false,
    },
    environmentVariables: options.environmentVariables,
    encryptionKey: options.encryptionKey,
    logging: { cloudWatch: { logGroup } },
    timeout: options.timeout,
    ...(options.placement ? {
      vpc: options.placement.vpc,
      subnetSelection: { subnets: options.placement.subnets },
      securityGroups: options.placement.securityGroups,
    } : {}),
  });
}
