import { App } from 'aws-cdk-lib';
import { testApp } from './cdk-app';
import { testConfig } from './configs';
import { lakeStack, LakeStandIn } from './data-lake-stand-in';
import { ENV } from './environments';
import { MonitoringStack } from '../../src/app/stacks/monitoring-stack';
import { NetworkStack } from '../../src/app/stacks/network-stack';
import { ServingStack } from '../../src/app/stacks/serving-stack';
import { AidlcConfigOptions, ResolvedConfig } from '../../src/config';

/** The serving stacks (one per stage) and the monitoring stack of a config, over a stand-in lake, in the config's network. */
export function modelStacks(overrides: Partial<AidlcConfigOptions> = {}, app: App = testApp()): {
  app: App; config: ResolvedConfig; lake: LakeStandIn; serving: ServingStack[]; monitoring: MonitoringStack;
} {
  const config = testConfig(overrides);
  const { lake } = lakeStack(app);
  const network = new NetworkStack(app, 'churn-network', { config, env: ENV }).network;
  const serving = config.deployment.stages.map((stage) => new ServingStack(app, `churn-serving-${stage.name}`, { config, env: ENV, stage, lake, network }));
  const monitoring = new MonitoringStack(app, 'churn-monitoring', { config, env: ENV, lake, network });
  return { app, config, lake, serving, monitoring };
}
