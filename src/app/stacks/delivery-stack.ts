import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';

/**
 * Props of the delivery stack.
 */
export interface DeliveryStackProps extends AidlcStackProps {}

/**
 * CodePipeline, GitHub OIDC roles and commit statuses.
 */
export class DeliveryStack extends AidlcStack {
  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, 'delivery', props);
  }
}
