import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { IPipeline } from 'aws-cdk-lib/aws-codepipeline';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFn, IFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { assetPath } from '../assets';
import { deliveryKey } from './delivery-key';
import { acknowledgeGithubStatusReporter } from './github-status-reporter-acknowledgements';

/** CodePipeline event types the reporter listens to. */
export const CODEPIPELINE_STATE_CHANGES = [
  'CodePipeline Pipeline Execution State Change',
  'CodePipeline Stage Execution State Change',
  'CodePipeline Action Execution State Change',
];

/**
 * Props of {@link GithubStatusReporter}.
 */
export interface GithubStatusReporterProps {
  /** The pipeline whose executions are reported. */
  readonly pipeline: IPipeline;
  /** Owner of the GitHub repository the commits belong to. */
  readonly repositoryOwner: string;
  /** Name of the GitHub repository. */
  readonly repositoryName: string;
  /**
   * Prefix of the status contexts: `<prefix>/pipeline` and `<prefix>/<stage>`.
   * @default 'aidlc'
   */
  readonly contextPrefix?: string;
  /**
   * Base URL of the GitHub REST API (GitHub Enterprise Server: `https://HOST/api/v3`).
   * @default 'https://api.github.com'
   */
  readonly githubApiUrl?: string;
  /**
   * Retention of the function's logs.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Reserved concurrency of the function.
   * @default - none (unreserved: reserving fails in accounts whose concurrency quota is 10)
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Commit statuses on GitHub for every execution of a pipeline: an EventBridge rule on the
 * pipeline's pipeline, stage and action state changes invokes a function that sets
 * `<prefix>/pipeline` and `<prefix>/<stage>` on the execution's source commit.
 *
 * The GitHub token lives in `tokenSecret`, a KMS-encrypted secret this construct creates empty.
 * Put a fine-grained token with "Commit statuses: read and write" on the repository into it:
 * `aws secretsmanager put-secret-value --secret-id <tokenSecret ARN> --secret-string <token>`.
 * Until then the function logs that the token is missing and reports nothing.
 */
export class GithubStatusReporter extends Construct {
  /** The function that sets the statuses. */
  public readonly handler: IFunction;
  /** The secret holding the GitHub token (value set by you). */
  public readonly tokenSecret: ISecret;
  /** The rule on the pipeline's state changes. */
  public readonly rule: Rule;
  /** Events the function could not process, after retries. */
  public readonly deadLetterQueue: IQueue;
  /** The key of the secret, the queue and the logs. */
  public readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: GithubStatusReporterProps) {
    super(scope, id);
    this.encryptionKey = this.createKey(props.pipeline.pipelineName);
    this.tokenSecret = new Secret(this, 'Token', {
      description: `GitHub token that sets commit statuses on ${props.repositoryOwner}/${props.repositoryName} (value set by you)`,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const handler = this.createHandler(props);
    this.handler = handler;
    this.rule = this.routeStateChanges(props.pipeline, handler);
    acknowledgeGithubStatusReporter(this, { deadLetterQueue: this.deadLetterQueue, handler });
  }

  /**
   * Events that could not be reported after every retry (messages waiting in the dead-letter
   * queue); alarm on it to learn that statuses on GitHub are stale. The maximum over 5 minutes
   * unless `props` say otherwise.
   */
  public metricDeadLetters(props?: MetricOptions): Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  /** Invocations of the function that failed (each is retried by EventBridge). */
  public metricErrors(props?: MetricOptions): Metric {
    return this.handler.metricErrors(props);
  }

  /** The key of the secret, the dead letters and the logs; EventBridge may put dead letters with it. */
  private createKey(pipelineName: string): IKey {
    const key = deliveryKey(this, 'Key', `GitHub status reporter of ${pipelineName}`);
    key.addToResourcePolicy(new PolicyStatement({
      sid: 'EventBridgeDeadLetters',
      principals: [new ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    return key;
  }

  /**
   * The function that sets the statuses, with its log group and a role that may write its logs,
   * send dead letters, read the token and read the pipeline's executions.
   */
  private createHandler(props: GithubStatusReporterProps): LambdaFn {
    const key = this.encryptionKey;
    const logGroup = new LogGroup(this, 'Logs', {
      encryptionKey: key,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(this, 'HandlerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Sets GitHub commit statuses for ${props.pipeline.pipelineName}`,
    });
    role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'SendDeadLetters',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
    }));
    const fn = new LambdaFn(this, 'Handler', {
      role,
      description: `Sets GitHub commit statuses for ${props.pipeline.pipelineName}`,
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromAsset(assetPath('lambda', 'github-status')),
      memorySize: 256,
      timeout: Duration.seconds(30),
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        TOKEN_SECRET_ARN: this.tokenSecret.secretArn,
        GITHUB_REPOSITORY: `${props.repositoryOwner}/${props.repositoryName}`,
        STATUS_CONTEXT_PREFIX: props.contextPrefix ?? 'aidlc',
        GITHUB_API_URL: props.githubApiUrl ?? 'https://api.github.com',
      },
    });
    this.tokenSecret.grantRead(fn);
    fn.addToRolePolicy(new PolicyStatement({
      sid: 'ReadPipelineExecutions',
      actions: ['codepipeline:GetPipelineExecution', 'codepipeline:ListActionExecutions'],
      resources: [props.pipeline.pipelineArn],
    }));
    return fn;
  }

  /** The rule that sends the pipeline's state changes to the function, retried, then dead-lettered. */
  private routeStateChanges(pipeline: IPipeline, handler: LambdaFn): Rule {
    return new Rule(this, 'StateChanges', {
      description: `State changes of ${pipeline.pipelineName} to GitHub commit statuses`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: CODEPIPELINE_STATE_CHANGES,
        detail: { pipeline: [pipeline.pipelineName] },
      },
      targets: [new LambdaFunction(handler, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      })],
    });
  }
}
