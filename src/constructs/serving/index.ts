export * from './canary-endpoint';
export * from './data-capture-options';
export * from './endpoint-metrics';
export * from './package-model';
export * from './rollback-alarms';
export * from './rollout';
