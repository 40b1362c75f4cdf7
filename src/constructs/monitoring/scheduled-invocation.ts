import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InvalidValuesError } from '../../core/problem';

/**
 * Props of a scheduled invocation.
 */
export interface ScheduledInvocationProps {
  /** The function to run. */
  readonly function: lambda.IFunction;
  /** An EventBridge Scheduler `rate(...)` or `cron(...)` expression (UTC). */
  readonly expression: string;
  /** Where invocations that keep failing to be delivered go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The dead-letter queue's key. */
  readonly encryptionKey: kms.IKey;
  /** What the schedule is for. */
  readonly description: string;
  /**
   * The event the function receives.
   * @default - an empty object
   */
  readonly input?: { [key: string]: any };
}

/**
 * An EventBridge Scheduler schedule that invokes a function, with its own role (invoke that
 * function, dead-letter to that queue, nothing else), two retries and a dead-letter queue.
 */
export class ScheduledInvocation extends Construct {
  /** The schedule. */
  public readonly schedule: CfnSchedule;
  /** The role the scheduler assumes to invoke the function. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ScheduledInvocationProps) {
    super(scope, id);
    if (!/^(rate|cron)\(.+\)$/.test(props.expression)) {
      throw new InvalidValuesError('ScheduledInvocation', [{
        path: 'expression', value: props.expression, message: 'is not an EventBridge Scheduler expression', fix: 'write rate(...) or cron(...), e.g. rate(1 hour)',
      }]);
    }
    const stack = Stack.of(this);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: props.description,
      statements: [
        new iam.PolicyStatement({ sid: 'Invoke', actions: ['lambda:InvokeFunction'], resources: [props.function.functionArn] }),
        new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
        new iam.PolicyStatement({ sid: 'EncryptDeadLetters', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.encryptionKey.keyArn] }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: props.description,
      managedPolicies: [policy],
    });
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: props.description,
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.function.functionArn,
        roleArn: this.role.roleArn,
        input: JSON.stringify(props.input ?? {}),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
    this.schedule.node.addDependency(policy);
  }
}
