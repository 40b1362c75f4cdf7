import { CfnOutput, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';
import { NetworkMode } from '../../config/enums';
import { ResolvedConfig } from '../../config/resolved';
import { ModelNetwork, ModelNetworkProps } from '../../constructs/network/model-network';
import { acknowledgeNetworkProviders } from '../../constructs/network/network-acknowledgements';

/**
 * The model's network, from the `network` section: a VPC of private isolated subnets with the S3
 * gateway endpoint, the interface endpoints the workloads call and encrypted flow logs
 * (CREATE_VPC), or an existing VPC by id (IMPORT_VPC). The data, training, serving and
 * monitoring stacks place their workloads in it; with a private inference API, its
 * `execute-api` endpoint is the one the serving stacks' APIs answer through.
 */
export class NetworkStack extends AidlcStack {
  /** The network the other stacks place their workloads in. */
  public readonly network: ModelNetwork;

  constructor(scope: Construct, id: string, props: AidlcStackProps) {
    super(scope, id, 'network', props);
    const n = this.config.network;
    if (n.mode === NetworkMode.NONE) throw new Error('NetworkStack: the network section opts out (mode NONE); the app creates no network stack then');
    this.network = new ModelNetwork(this, 'Network', modelNetworkProps(this.config));
    acknowledgeNetworkProviders(this);

    new CfnOutput(this, 'VpcId', { value: this.network.vpcId, description: 'The VPC the model\'s workloads run in' });
    new CfnOutput(this, 'SubnetIds', { value: Fn.join(',', this.network.subnetIds), description: 'Its private subnets' });
    if (n.cost) {
      new CfnOutput(this, 'EstimatedIdleCost', {
        value: `${n.cost.idleUsdPerMonth} USD per month for ${n.cost.interfaceEndpoints} interface endpoint(s) in ${n.cost.availabilityZones} zones`,
        description: n.cost.source,
      });
    }
  }

  /**
   * The zones of a created VPC as `Fn::GetAZs` of the region: no context lookup, so synth stays
   * offline even when the account is set.
   */
  public get availabilityZones(): string[] {
    const count = Math.max(this.config.network.availabilityZoneCount, 1);
    return Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
}

/** The network props of a config (CREATE_VPC or IMPORT_VPC). */
export function modelNetworkProps(config: ResolvedConfig): ModelNetworkProps {
  const n = config.network;
  if (n.mode === NetworkMode.NONE) throw new Error('the network section opts out (mode NONE): there is no network');
  return {
    modelName: config.modelName,
    s3PrefixListId: n.s3PrefixListId!,
    ...(n.mode === NetworkMode.IMPORT_VPC ? {
      existingVpc: {
        vpcId: n.vpcId!,
        vpcCidr: n.vpcCidr!,
        subnetIds: n.subnetIds!,
        availabilityZones: n.availabilityZones!,
        ...(n.routeTableIds ? { routeTableIds: n.routeTableIds } : {}),
      },
      ...(n.endpointCidrs ? { endpointCidrs: n.endpointCidrs } : {}),
      ...(n.s3EndpointId ? { s3EndpointId: n.s3EndpointId } : {}),
    } : { cidr: n.cidr, availabilityZoneCount: n.availabilityZoneCount }),
    createEndpoints: n.createEndpoints,
    interfaceEndpoints: n.interfaceEndpoints.map((e) => e.service),
    // A private API's callers besides the workloads (the network creates its execute-api endpoint then).
    ...(config.serving.api.callerCidrs ? { apiCallerCidrs: config.serving.api.callerCidrs } : {}),
  };
}
