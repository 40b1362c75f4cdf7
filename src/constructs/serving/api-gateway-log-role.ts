import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './acknowledgements';

/**
 * The account's API Gateway CloudWatch Logs role (`AWS::ApiGateway::Account`): API Gateway writes
 * the execution and access logs of every REST API in the account and region with it, and refuses
 * a stage with logging until it is set.
 *
 * It is one setting per account and region, so one stack owns it; the role and the setting are
 * kept when that stack is deleted, or every other API's logging would break with it. The role may
 * write only to this account's log groups in this region (the AWS managed policy for it,
 * `AmazonAPIGatewayPushToCloudWatchLogs`, is not used: the synth-time audit refuses AWS managed
 * policies).
 */
export class ApiGatewayLogRole extends Construct {
  /** The role API Gateway writes logs with. */
  public readonly role: iam.Role;
  /** The account setting that names it. */
  public readonly account: apigw.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroups = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'API Gateway writes the execution and access logs of this account\'s REST APIs',
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteApiLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
          resources: [logGroups],
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway\'s CloudWatch Logs role for this account and region',
      managedPolicies: [policy],
    });
    this.account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.node.addDependency(policy);
    for (const resource of [this.role, policy]) resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);

    acknowledgeWildcards(policy, [{
      match: /:log-group:\*$/,
      reason: 'API Gateway writes every REST API\'s logs in the account and region with this one role, to log groups it names after each API (API-Gateway-Execution-Logs_<api-id>/<stage>) or their owners choose; limited to this account and region',
    }]);
  }
}
