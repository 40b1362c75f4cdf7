import { Construct } from 'constructs';
import { ResolvedStage } from '../../config';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';

/**
 * Props of a serving stack.
 */
export interface ServingStackProps extends AidlcStackProps {
  /** The deployment stage this stack serves. */
  readonly stage: ResolvedStage;
}

/**
 * The endpoint of one deployment stage, with data capture; a canary with alarm rollback where the
 * stage says so.
 */
export class ServingStack extends AidlcStack {
  public readonly stage: ResolvedStage;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, `serving-${props.stage.name}`, props);
    this.stage = props.stage;
  }
}
