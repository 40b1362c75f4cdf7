import { Aws, Stack } from 'aws-cdk-lib';
import { PipelineProject } from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BuildPlacement } from './build-step';
import { IModelNetwork } from '../network/model-network-ref';
import { VPC_DESCRIBE_ACTIONS } from '../network/vpc-access';

/** The id aws-cdk-lib gives the policy it attaches to a CodeBuild project's role for running in a VPC. */
const CDK_VPC_POLICY_ID = 'PolicyDocument';

/** Why the smoke test's role manages network interfaces by wildcard (cdk-nag AwsSolutions-IAM5). */
export const SMOKE_TEST_INTERFACES_REASON = 'CodeBuild creates and deletes the network interface of each smoke test build in the model\'s private subnets and gives it a generated id; '
  + 'creation is limited to those subnets and the smoke test\'s own security group, and the interface permission to CodeBuild in those subnets.';

/**
 * The name of the pipeline artifact that carries the bundled CLI from a stage's Deploy action to
 * its smoke test: letters, digits and underscores, as CodeBuild names input directories after it.
 */
export function cliArtifactName(stage: string): string {
  return `Cli_${stage.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/**
 * Where the smoke test of a private API runs: the network's private subnets, with a security
 * group of its own that sends HTTPS only to the interface endpoints and S3 (and admits nothing).
 */
export function smokeTestPlacement(scope: Construct, network: IModelNetwork): BuildPlacement {
  const securityGroup = network.securityGroupFor(scope, 'SmokeTestSecurityGroup', 'the smoke test of the private inference APIs');
  return { vpc: network.vpc, subnets: network.subnets, securityGroups: [securityGroup] };
}

/**
 * aws-cdk-lib gives a CodeBuild project in a VPC a policy that creates and deletes network
 * interfaces on `*`. Through its L1, the same calls are scoped: interfaces are created only in the
 * placement's subnets with its security groups, and only network interfaces are deleted. The EC2
 * Describe* calls keep `*`, as they take no resource. (aws-cdk-lib's statement that lets CodeBuild
 * attach the interface, conditioned on the subnets, stays on the role as it is.)
 */
export function scopeVpcPolicy(project: PipelineProject, placement: BuildPlacement): void {
  const policy = project.node.tryFindChild(CDK_VPC_POLICY_ID) as iam.Policy | undefined;
  if (!policy) throw new Error(`scopeVpcPolicy: ${project.node.path} has no VPC policy; give the project its placement first`);
  const stack = Stack.of(project);
  const arn = (resource: string, name: string) => `arn:${Aws.PARTITION}:ec2:${stack.region}:${stack.account}:${resource}/${name}`;
  const interfaces = arn('network-interface', '*');
  (policy.node.defaultChild as iam.CfnPolicy).policyDocument = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({ sid: 'DescribeVpc', actions: VPC_DESCRIBE_ACTIONS, resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'CreateInterfacesInPrivateSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          interfaces,
          ...placement.subnets.map((s) => arn('subnet', s.subnetId)),
          ...placement.securityGroups.map((g) => arn('security-group', g.securityGroupId)),
        ],
      }),
      new iam.PolicyStatement({ sid: 'DeleteBuildInterfaces', actions: ['ec2:DeleteNetworkInterface'], resources: [interfaces] }),
    ],
  });
}

/** The network interface ARN patterns the smoke test's policies name: aws-cdk-lib's and the scoped policy's. */
export function smokeTestInterfaceArns(scope: Construct): string[] {
  const stack = Stack.of(scope);
  return [
    `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`,
    `arn:${Aws.PARTITION}:ec2:${stack.region}:${stack.account}:network-interface/*`,
  ];
}
