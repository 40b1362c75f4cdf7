export * from './framework-image';
export * from './model-registry';
export * from './training-pipeline';
