import { Stack } from 'aws-cdk-lib';
import { ModelNetwork, ModelNetworkProps } from '../../src/constructs/network/model-network';

/** A created network in the given stack, as the network stack builds it by default. */
export function testNetwork(stack: Stack, props: Partial<ModelNetworkProps> = {}): ModelNetwork {
  return new ModelNetwork(stack, 'Network', { modelName: 'churn', s3PrefixListId: 'pl-63a5400a', interfaceEndpoints: ['monitoring'], ...props });
}

/** The ids of an imported VPC in eu-west-1. */
export const IMPORTED_VPC = {
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  vpcCidr: '10.20.0.0/16',
  subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
};
