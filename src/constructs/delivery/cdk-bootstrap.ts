import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The qualifier `cdk bootstrap` uses unless told otherwise. */
export const DEFAULT_CDK_QUALIFIER = 'hnb659fds';

/** Bootstrap roles a `cdk deploy` assumes: CloudFormation calls, asset uploads, context lookups. */
export const CDK_DEPLOY_ROLES = ['deploy', 'file-publishing', 'lookup'];

/** Bootstrap roles a `cdk synth` with context lookups assumes. */
export const CDK_LOOKUP_ROLES = ['lookup'];

/** ARNs of the bootstrap roles of the scope's account and region, e.g. `cdk-hnb659fds-deploy-role-<account>-<region>`. */
export function cdkBootstrapRoleArns(scope: IConstruct, qualifier: string, kinds: string[]): string[] {
  const stack = Stack.of(scope);
  return kinds.map((kind) => stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `cdk-${qualifier}-${kind}-role-${stack.account}-${stack.region}`,
  }));
}

/**
 * Lets a principal assume the named bootstrap roles (the CDK CLI tags its sessions, hence
 * `sts:TagSession`). What the CLI may then do is decided by those roles, not by the caller.
 */
export function assumeCdkBootstrapRoles(scope: IConstruct, qualifier: string, kinds: string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'AssumeCdkBootstrapRoles',
    actions: ['sts:AssumeRole', 'sts:TagSession'],
    resources: cdkBootstrapRoleArns(scope, qualifier, kinds),
  });
}
