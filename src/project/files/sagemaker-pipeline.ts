import { Component, Project, TextFile } from 'projen';
import { renderPipelineDefinitionForReview } from '../../app/stacks/training-pipeline-settings';
import { ResolvedConfig } from '../../config';

/** Where the SageMaker Pipeline definition is written for review. */
export const SAGEMAKER_PIPELINE_PATH = 'pipelines/sagemaker-pipeline.json';

/**
 * `pipelines/sagemaker-pipeline.json` (managed): the training pipeline definition exactly as the
 * training stack deploys it, with placeholders such as `<ArtifactsBucket>` for values known only
 * at deploy time, so a pull request that changes training shows the change to the pipeline.
 */
export class SageMakerPipelineFile extends Component {
  constructor(project: Project, config: ResolvedConfig) {
    super(project);
    // Plain text, not a JsonFile: a projen marker key would make it differ from the deployed definition.
    new TextFile(project, SAGEMAKER_PIPELINE_PATH, { lines: renderPipelineDefinitionForReview(config).split('\n') });
  }
}
