import { Component, awscdk } from 'projen';
import { ResolvedConfig } from '../config';
import { PipelineWorkflow } from './pipeline-workflow';
import { SecurityWorkflow } from './security-workflow';
import { TrivyScript } from './trivy-script';
import { WorkflowHardening } from './workflow-hardening';

/**
 * Everything GitHub in a generated repository, from the resolved config: `security.yml`,
 * `pipeline.yml`, `scripts/trivy.sh` and `.trivyignore`, and projen's own workflows (build,
 * upgrade) pinned by commit and tightened. The project passes `githubProjectOptions(config)` to
 * its `super()` and then creates this component.
 */
export class AidlcGithub extends Component {
  public readonly security: SecurityWorkflow;
  public readonly pipeline: PipelineWorkflow;
  public readonly trivy: TrivyScript;

  constructor(project: awscdk.AwsCdkTypeScriptApp, config: ResolvedConfig) {
    super(project, 'AidlcGithub');
    new WorkflowHardening(project);
    this.trivy = new TrivyScript(project, config);
    this.security = new SecurityWorkflow(project, config);
    this.pipeline = new PipelineWorkflow(project, config);
  }
}
