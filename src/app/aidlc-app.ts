import { App, AppProps, Environment, ReferenceStrength } from 'aws-cdk-lib';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { AidlcConfig, ResolvedConfig } from '../config';
import { applyCompliance } from './compliance/apply-compliance';
import { DataStack } from './stacks/data-stack';
import { DeliveryStack } from './stacks/delivery-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { ServingStack } from './stacks/serving-stack';
import { TrainingStack } from './stacks/training-stack';

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

    this.dataStack = new DataStack(this, `${name}-data`, { config, env });
    const lake = this.dataStack.lake;
    this.trainingStack = new TrainingStack(this, `${name}-training`, { config, env, lake });
    this.deliveryStack = new DeliveryStack(this, `${name}-delivery`, { config, env, lake });
    this.servingStacks = config.deployment.stages.map((stage) =>
      new ServingStack(this, `${name}-serving-${stage.name}`, { config, env, lake, stage }));
    // The first stage's stack sets the account's API Gateway logging role; the others' APIs log with it.
    const logRoleOwner = this.servingStacks.find((s) => s.apiLogRole);
    if (logRoleOwner) this.servingStacks.filter((s) => s !== logRoleOwner).forEach((s) => s.addStackDependency(logRoleOwner, 'sets the account\'s API Gateway logging role'));
    this.monitoringStack = new MonitoringStack(this, `${name}-monitoring`, { config, env, lake });

    // Synth fails on any unacknowledged finding of the configured packs and guardrails.
    applyCompliance(this, config);
  }
}
