import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';

/**
 * Props of the data stack.
 */
export interface DataStackProps extends AidlcStackProps {}

/**
 * Data foundation and the data gate.
 */
export class DataStack extends AidlcStack {
  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, 'data', props);
  }
}
