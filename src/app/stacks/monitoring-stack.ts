import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';

/**
 * Props of the monitoring stack.
 */
export interface MonitoringStackProps extends AidlcStackProps {}

/**
 * Drift monitoring, alerts and the dashboard.
 */
export class MonitoringStack extends AidlcStack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, 'monitoring', props);
  }
}
