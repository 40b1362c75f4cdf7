export * from './aidlc-github';
export * from './project-options';
