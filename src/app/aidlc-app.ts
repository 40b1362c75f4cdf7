import { App, AppProps, Environment, ReferenceStrength, Validations } from 'aws-cdk-lib';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { AidlcConfig, ApiEndpointType, NetworkMode, ResolvedConfig } from '../config';
import { applyCompliance } from './compliance/apply-compliance';
import { DataStack } from './stacks/data-stack';
import { DeliveryStack } from './stacks/delivery-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { NetworkStack } from './stacks/network-stack';
import { ServingStack } from './stacks/serving-stack';
import { TrainingStack } from './stacks/training-stack';
import { hasNetworkStack } from '../core/names/resource-names';

/**
 * Props of the app.
 */
export interface AidlcAppProps extends AppProps {
  /** The resolved config. */
  readonly config: ResolvedConfig;
}

/**
 * The CDK app of a generated repository: one stack per concern (data, training, delivery,
 * serving per stage, monitoring), all from the resolved config, checked at synth by the
 * configured cdk-nag packs, the AWS Control Tower proactive controls and the least-privilege and
 * network isolation guardrails.
 */
export class AidlcApp extends App {
  /**
   * The app from the resolved config file the project writes.
   * @param file path of the resolved config, relative to the working directory
   */
  public static fromConfigFile(file: string = 'pipelines/aidlc.json', props: AppProps = {}): AidlcApp {
    return new AidlcApp({ ...props, config: AidlcConfig.load(file) });
  }

  public readonly config: ResolvedConfig;
  /** The model's network; undefined when the config opts out (mode NONE). */
  public readonly networkStack?: NetworkStack;
  public readonly dataStack: DataStack;
  public readonly trainingStack: TrainingStack;
  public readonly deliveryStack: DeliveryStack;
  public readonly servingStacks: ServingStack[];
  public readonly monitoringStack: MonitoringStack;

  constructor(props: AidlcAppProps) {
    super({
      ...props,
      // Strong references between the stacks: the data stack's lake cannot be deleted while the
      // training, delivery, serving and monitoring stacks still use it. A value in cdk.json or
      // `-c` wins over this default.
      context: { [DEFAULT_CROSS_STACK_REFERENCES]: ReferenceStrength.STRONG, ...props.context },
    });
    const config = props.config;
    this.config = config;
    const env: Environment = { region: config.aws.region, ...(config.aws.account ? { account: config.aws.account } : {}) };
    const name = config.modelName;

    if (hasNetworkStack(config)) this.networkStack = new NetworkStack(this, `${name}-network`, { config, env });
    if (config.network.mode === NetworkMode.NONE) acknowledgeOptOut(this, config.network.optOutReason ?? '');
    this.dataStack = new DataStack(this, `${name}-data`, { config, env, network: this.networkStack?.network });
    // The data stack declares an imported VPC that needs no stack of its own.
    const network = this.dataStack.network;
    const lake = this.dataStack.lake;
    this.trainingStack = new TrainingStack(this, `${name}-training`, { config, env, lake, network });
    // A private API answers only inside the network: the smoke test runs there, and the APIs answer
    // through the network's execute-api endpoint (or the landing zone's, which the serving stacks name by id).
    const privateApi = config.serving.api.enabled && config.serving.api.endpointType === ApiEndpointType.PRIVATE;
    this.deliveryStack = new DeliveryStack(this, `${name}-delivery`, { config, env, lake, ...(privateApi ? { network } : {}) });
    const apiEndpoint = privateApi ? this.networkStack?.network.privateApiEndpoint : undefined;
    this.servingStacks = config.deployment.stages.map((stage) =>
      new ServingStack(this, `${name}-serving-${stage.name}`, { config, env, lake, stage, network, ...(apiEndpoint ? { apiVpcEndpoints: [apiEndpoint] } : {}) }));
    // The first stage's stack sets the account's API Gateway logging role; the others' APIs log with it.
    const logRoleOwner = this.servingStacks.find((s) => s.apiLogRole);
    if (logRoleOwner) this.servingStacks.filter((s) => s !== logRoleOwner).forEach((s) => s.addStackDependency(logRoleOwner, 'sets the account\'s API Gateway logging role'));
    this.monitoringStack = new MonitoringStack(this, `${name}-monitoring`, { config, env, lake, network });
    // The Deploy stages verify model signatures: the signing key's policy names their role.
    const deployRole = this.deliveryStack.pipeline.deployProject.role;
    if (deployRole) this.trainingStack.pipeline.signer.signingKey.grantVerify(deployRole);

    // Synth fails on any unacknowledged finding of the configured packs and guardrails.
    applyCompliance(this, config);
  }
}

/**
 * With the network section opted out (mode NONE), every function runs outside a VPC: the rules
 * that ask for one are acknowledged app-wide, with the reason the config gives, which the
 * compliance report prints too.
 */
function acknowledgeOptOut(app: App, optOutReason: string): void {
  const reason = `network.mode is NONE in the config: ${optOutReason}`;
  Validations.of(app).acknowledge(
    ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-LambdaInsideVPC`, reason })),
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason },
  );
}
