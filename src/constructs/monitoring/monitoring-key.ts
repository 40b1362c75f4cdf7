import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowLogGroupEncryption, restrictGrantsToAwsResources } from '../key-policies';

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
    allowLogGroupEncryption(this.key);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AlarmsAndEventsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    restrictGrantsToAwsResources(this.key);
  }
}
