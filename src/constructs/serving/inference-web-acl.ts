import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { InvalidValuesError } from '../../core/problem';

/**
 * Props of the inference API's web ACL.
 */
export interface InferenceWebAclProps {
  /** Name of the web ACL, its metrics and (prefixed with `aws-waf-logs-`) its log group. */
  readonly name: string;
  /** Key of the log group. */
  readonly encryptionKey: kms.IKey;
  /**
   * Requests one client IP address may send per 5 minutes before it is blocked (10 to 2,000,000,000).
   * @default 20000
   */
  readonly rateLimit?: number;
  /**
   * How long the logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** WAF log destinations must be named with this prefix. */
export const WAF_LOG_PREFIX = 'aws-waf-logs-';

/** Request headers kept out of the WAF logs: credentials. */
const REDACTED_HEADERS = ['authorization', 'x-api-key', 'x-amz-security-token'];

/**
 * An AWS WAF web ACL for a regional API: the AWS managed common and known-bad-inputs rule groups
 * and a rate-based rule per client address, each with CloudWatch metrics and sampled requests,
 * and every request logged (credentials redacted) to a KMS-encrypted log group.
 *
 * The common rule set's `SizeRestrictions_BODY` rule only counts: it blocks bodies above 8 KB,
 * which a batch of rows exceeds, while the API's request schema already bounds the batch and API
 * Gateway bounds the payload.
 */
export class InferenceWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** Its ARN. */
  public readonly webAclArn: string;
  /** Where its logs go. */
  public readonly logGroup: logs.LogGroup;
  /** Names of its rules (the `Rule` dimension of its metrics). */
  public readonly ruleNames: string[];

  constructor(scope: Construct, id: string, props: InferenceWebAclProps) {
    super(scope, id);
    const rateLimit = props.rateLimit ?? 20_000;
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new InvalidValuesError('InferenceWebAcl', [{
        path: 'rateLimit', value: rateLimit, message: 'is outside what AWS WAF takes for a rate-based rule', fix: 'give a whole number of requests per 5 minutes from 10 to 2,000,000,000',
      }]);
    }
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const managed = (priority: number, name: string, overrides: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name: `aws-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(overrides.length > 0 ? { ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(`${props.name}-${name}`),
    });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'rate-per-address',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: visibility(`${props.name}-rate-per-address`),
      },
      managed(1, 'AWSManagedRulesKnownBadInputsRuleSet'),
      managed(2, 'AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']),
    ];
    this.ruleNames = rules.map((r) => r.name);

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: `Protects the ${props.name} API: AWS managed rules and at most ${rateLimit} requests per address per 5 minutes`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(props.name),
    });
    this.webAclArn = this.webAcl.attrArn;

    const logGroupName = `${WAF_LOG_PREFIX}${props.name}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAclArn,
      // WAF takes the log group's ARN without the `:*` the log group's Arn attribute ends with.
      logDestinationConfigs: [Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
    logging.node.addDependency(this.logGroup);
  }

  /** Protects a resource (an API Gateway stage) with the web ACL. */
  public associate(id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    return new wafv2.CfnWebACLAssociation(this, id, { resourceArn, webAclArn: this.webAclArn });
  }
}
