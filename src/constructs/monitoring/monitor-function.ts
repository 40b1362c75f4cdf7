import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { assetPath } from '../assets';
import { IModelNetwork } from '../network/model-network-ref';
import { NETWORK_INTERFACE_WILDCARD, NETWORK_INTERFACE_WILDCARD_REASON, VPC_DESCRIBE_REASON, vpcAccessStatements, acknowledgeImportedSubnets, functionPlacement } from '../network/vpc-access';
import { acknowledgeWildcards, IntendedWildcard } from '../serving/acknowledgements';

/**
 * Props of a monitoring function.
 */
export interface MonitorFunctionProps {
  /** What the function does, for its description and its role's. */
  readonly description: string;
  /** Encrypts the function's logs, environment and dead-letter queue; its policy must admit CloudWatch Logs. */
  readonly encryptionKey: kms.IKey;
  /** Environment of the handler. */
  readonly environment: { [name: string]: string };
  /** What the handler may do besides logging and dead-lettering. */
  readonly statements: iam.PolicyStatement[];
  /**
   * Wildcards among those statements that are meant, with the reason.
   * @default - none
   */
  readonly wildcards?: IntendedWildcard[];
  /**
   * Longest run.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the function in MB.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * The network the function runs in (its private subnets, HTTPS to S3 and the interface endpoints only).
   * @default - outside any VPC (the compliance packs then report it)
   */
  readonly network?: IModelNetwork;
}

/**
 * A Lambda function running the bundled `drift-monitor` asset: one at a time (reserved
 * concurrency 1), KMS-encrypted logs kept a year, a KMS-encrypted dead-letter queue for failed
 * asynchronous invocations, and a role whose only permissions are one managed policy.
 */
export class MonitorFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** Failed invocations land here. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function's role. */
  public readonly role: iam.Role;
  /** Everything the role may do. */
  public readonly policy: iam.ManagedPolicy;
  /** The function's security group, when it runs in a network. */
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    if (props.network) this.securityGroup = props.network.securityGroupFor(this, 'SecurityGroup', props.description);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: props.description,
      statements: [
        new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}`] }),
        new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
        new iam.PolicyStatement({ sid: 'EncryptDeadLetters', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.encryptionKey.keyArn] }),
        ...props.statements,
        ...(props.network && this.securityGroup ? vpcAccessStatements(this, props.network, [this.securityGroup]) : []),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: props.description,
      managedPolicies: [this.policy],
    });

    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(assetPath('lambda', 'drift-monitor')),
      handler: 'index.handler',
      timeout: props.timeout ?? Duration.minutes(10),
      memorySize: props.memorySize ?? 1024,
      reservedConcurrentExecutions: 1,
      // The policy above is the whole of the role: grants that CDK adds on its own are dropped.
      role: this.role.withoutPolicyUpdates(),
      environment: props.environment,
      environmentEncryption: props.encryptionKey,
      deadLetterQueue: this.deadLetterQueue,
      logGroup,
      ...(props.network && this.securityGroup ? functionPlacement(props.network, this.securityGroup) : {}),
    });
    this.function.node.addDependency(this.policy);
    if (props.network) acknowledgeImportedSubnets(this.function, props.network);
    this.acknowledgeFindings([
      ...(props.wildcards ?? []),
      ...(props.network ? [
        { match: NETWORK_INTERFACE_WILDCARD, reason: NETWORK_INTERFACE_WILDCARD_REASON },
        { match: /^Resource::\*$/, reason: VPC_DESCRIBE_REASON },
      ] : []),
    ]);
  }

  private acknowledgeFindings(wildcards: IntendedWildcard[]): void {
    const dlq = 'this queue is itself the dead-letter queue of the function\'s failed invocations; a queue behind it would only move the same messages';
    Validations.of(this.deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: dlq },
      { id: 'cdk-validator-cfnguard::sqs_dlq_check', reason: dlq },
    );
    acknowledgeWildcards(this.policy, [
      { match: /^Resource::.*:log-group:.*:\*$/, reason: 'log streams of the function\'s own log group; Lambda names them per instance' },
      ...wildcards,
    ]);
  }
}
