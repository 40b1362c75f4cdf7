export * from './framework-image';
export * from './model-registry';
export * from './training-options';
export * from './training-pipeline';
export * from './model-signer';
export * from './model-signing-key';
