export * from './model-network-ref';
export * from './model-network';
export * from './vpc-access';
