import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Props of the monitoring key.
 */
export interface MonitoringKeyProps {
  /**
   * Alias of the key.
   * @default - no alias
   */
  readonly alias?: string;
}

/**
 * The customer managed key of the monitoring resources (alert topic, function logs and
 * environments, dead-letter queues), rotated yearly. Its policy lets the AWS services that write
 * to those resources use it: CloudWatch Logs for the log groups of this account, CloudWatch for
 * alarm notifications to the topic, EventBridge for dead-lettered events. Grants on it can only be
 * created for AWS resources (the services that encrypt with it), never handed to a principal.
 */
export class MonitoringKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: MonitoringKeyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts drift monitoring alerts, logs and dead letters',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.alias ? { alias: props.alias } : {}),
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:*` } },
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AlarmsAndEventsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
  }
}
