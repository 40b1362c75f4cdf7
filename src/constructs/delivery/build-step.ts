import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BuildEnvironmentVariable, BuildSpec, ComputeType, LinuxBuildImage, PipelineProject } from 'aws-cdk-lib/aws-codebuild';
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
}

/**
 * A CodeBuild project on the standard Ubuntu image, not privileged, with artifacts and logs
 * encrypted by the pipeline key, and its own role (the pipeline adds only what each step needs).
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
  });
}
