export * from './aidlc-app';
export * from './stacks/aidlc-stack';
export * from './stacks/data-stack';
export * from './stacks/training-stack';
export * from './stacks/delivery-stack';
export * from './stacks/serving-stack';
export * from './stacks/monitoring-stack';
export * from './stacks/network-stack';
