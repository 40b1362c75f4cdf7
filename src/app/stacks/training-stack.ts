import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';

/**
 * Props of the training stack.
 */
export interface TrainingStackProps extends AidlcStackProps {}

/**
 * Spot training pipeline and model registry.
 */
export class TrainingStack extends AidlcStack {
  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, 'training', props);
  }
}
