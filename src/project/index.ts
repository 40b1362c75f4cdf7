export * from './aidlc-pipeline-project';
