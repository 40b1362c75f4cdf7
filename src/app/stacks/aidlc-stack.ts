import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResolvedConfig } from '../../config';

/** Tag on every resource of the app: the model it belongs to. */
export const MODEL_TAG = 'aidlc:model';

/**
 * Props every stack of the app takes: the resolved config.
 */
export interface AidlcStackProps extends StackProps {
  /** The resolved config (`pipelines/aidlc.json`). */
  readonly config: ResolvedConfig;
}

/**
 * Base of the app's stacks: tags every resource with the model and the concern, and keeps the
 * config at hand.
 */
export abstract class AidlcStack extends Stack {
  public readonly config: ResolvedConfig;

  constructor(scope: Construct, id: string, concern: string, props: AidlcStackProps) {
    super(scope, id, {
      ...props,
      description: props.description ?? `aidlc-pipeline ${props.config.modelName}: ${concern}`,
    });
    this.config = props.config;
    Tags.of(this).add(MODEL_TAG, props.config.modelName);
    Tags.of(this).add('aidlc:concern', concern);
  }
}
