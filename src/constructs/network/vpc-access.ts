import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { IModelNetwork } from './model-network-ref';

/** The EC2 reads a function or job in a VPC needs; EC2 Describe* actions take no resource ARN. */
export const VPC_DESCRIBE_ACTIONS = [
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions',
];

/** Why an execution role may manage network interfaces by wildcard (cdk-nag AwsSolutions-IAM5). */
export const NETWORK_INTERFACE_WILDCARD_REASON = 'Lambda and SageMaker create and delete the network interfaces of the function or job in '
  + 'the model\'s private subnets and give them generated ids; creation is limited to the network\'s subnets and the workload\'s own security group.';

/** Why a role in the network holds EC2 Describe* actions on `*`. */
export const VPC_DESCRIBE_REASON = 'EC2 Describe* actions (the VPC, subnets, security groups and network interfaces the workload runs with) support no resource-level permissions';

/** Matches the network interface wildcard in a cdk-nag finding. */
export const NETWORK_INTERFACE_WILDCARD = /:network-interface\/\*$/;

/**
 * What a Lambda function's or a SageMaker job's role needs to run in the network: read the VPC,
 * create interfaces only in its subnets and with the given security groups, and manage the
 * interfaces it created. The statements the AWS managed policies (AWSLambdaVPCAccessExecutionRole,
 * the VPC part of AmazonSageMakerFullAccess) would grant, scoped.
 */
export function vpcAccessStatements(scope: IConstruct, network: IModelNetwork, securityGroups: ec2.ISecurityGroup[]): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const interfaces = arn('network-interface', '*');
  return [
    new iam.PolicyStatement({ sid: 'DescribeVpc', actions: VPC_DESCRIBE_ACTIONS, resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'CreateInterfacesInPrivateSubnets',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [interfaces, ...network.subnetIds.map((id) => arn('subnet', id)), ...securityGroups.map((sg) => arn('security-group', sg.securityGroupId))],
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnInterfaces',
      actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterfacePermission'],
      resources: [interfaces],
    }),
  ];
}

/** The props of `lambda.Function` that put it in a network. */
export interface FunctionPlacement {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroups: ec2.ISecurityGroup[];
}

/**
 * The Lambda function props that place a function in the network: its private subnets and the
 * given security group (from `IModelNetwork.securityGroupFor`). Give the function's role
 * `vpcAccessStatements` too.
 */
export function functionPlacement(network: IModelNetwork, securityGroup: ec2.ISecurityGroup): FunctionPlacement {
  return { vpc: network.vpc, vpcSubnets: { subnets: network.subnets }, securityGroups: [securityGroup] };
}

/** SageMaker's `VpcConfig` for a job or model in the network. */
export function sageMakerVpcConfig(network: IModelNetwork, securityGroup: ec2.ISecurityGroup): { securityGroupIds: string[]; subnets: string[] } {
  return { securityGroupIds: [securityGroup.securityGroupId], subnets: network.subnetIds };
}

/**
 * A function placed in a network that lives in another stack gets its subnet ids through
 * `Fn::ImportValue`; Control Tower's CT.LAMBDA.PR.3 accepts only literal ids or references
 * within the same template, so it is acknowledged there, on that function alone. The network
 * audit (NETWORK_FUNCTION_OUTSIDE_VPC) still checks that the function has its VpcConfig.
 */
export function acknowledgeImportedSubnets(fn: IConstruct, network: IModelNetwork): void {
  const imported = network.subnetIds.some((id) => Token.isUnresolved(id)) && Stack.of(fn) !== Stack.of(network.vpc);
  if (!imported) return;
  Validations.of(fn).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason: 'The function runs in the private subnets of the model\'s network stack, whose ids it imports (Fn::ImportValue); the control accepts only literal subnet ids or references within one template. The network audit checks its VpcConfig instead.',
  });
}

/** Security group descriptions take letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only. */
export function securityGroupText(text: string): string {
  return text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '').slice(0, 255);
}
