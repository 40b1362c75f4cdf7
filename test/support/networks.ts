import { App, Stack } from 'aws-cdk-lib';
import { EU_ENV, TestEnvironment } from './environments';
import { ModelNetwork, ModelNetworkProps } from '../../src/constructs/network/model-network';
import { acknowledgeNetworkProviders } from '../../src/constructs/network/network-acknowledgements';

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

/**
 * A created network in a stack of its own, with the endpoints a private API's smoke test calls,
 * as the network stack makes it for a private inference API.
 */
export function privateApiNetworkStack(app: App, env: TestEnvironment = EU_ENV): ModelNetwork {
  const stack = new Stack(app, 'Network', { env });
  const network = testNetwork(stack, { interfaceEndpoints: ['execute-api', 'cloudformation', 'apigateway', 'logs'] });
  acknowledgeNetworkProviders(stack);
  return network;
}
