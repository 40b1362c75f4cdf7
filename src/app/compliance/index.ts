export * from './apply-compliance';
export * from './control-tower';
export * from './guardrails-plugin';
export * from './nag-packs';
