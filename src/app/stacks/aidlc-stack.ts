import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResolvedConfig } from '../../config';
import { MODEL_TAG_KEY } from '../../constructs/network/model-network';

/** Tag on every resource of the app: the model it belongs to (the network's endpoint policies and the smoke test's key reads key on it). */
export const MODEL_TAG = MODEL_TAG_KEY;

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
    // Every role carries it: the network's endpoint policies admit only this model's roles.
    Tags.of(this).add(MODEL_TAG_KEY, props.config.modelName);
    Tags.of(this).add('aidlc:concern', concern);
  }
}
