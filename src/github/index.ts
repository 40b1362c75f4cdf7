export * from './aidlc-github';
export * from './project-options';
export * from './pipeline-workflow';
export * from './security-workflow';
export * from './trivy-script';
export * from './workflow-hardening';
