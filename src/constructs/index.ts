export * from './data/data-lake-ref';
export * from './delivery/github-oidc';
export * from './delivery/delivery-pipeline';
export * from './delivery/github-status-reporter';
export * from './delivery/delivery-names';
export * from './serving';
export * from './monitoring';
export * from './training';
