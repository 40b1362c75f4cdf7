import { JobVpc, PipelineRefs, buildPipelineDefinition } from './pipeline-definition';
import { TrainingSpecInput, trainingSpec } from './training-spec';

/**
 * Readable stand-ins for the values known only at deployment. In the deployed definition each
 * is the real value: the pipeline role, the data lake key and buckets, and the code files CDK
 * uploads as assets (their object names are content hashes).
 */
export const REVIEW_PLACEHOLDERS: PipelineRefs = {
  roleArn: '<PipelineRoleArn>',
  keyArn: '<DataLakeKeyArn>',
  artifactsBucket: '<ArtifactsBucket>',
  validatedBucket: '<ValidatedBucket>',
  sourceArchive: { s3Uri: 's3://<AssetsBucket>/<SourceArchive>', fileName: '<SourceArchive>' },
  splitScript: { s3Uri: 's3://<AssetsBucket>/<SplitScript>', fileName: '<SplitScript>' },
  evaluateScript: { s3Uri: 's3://<AssetsBucket>/<EvaluateScript>', fileName: '<EvaluateScript>' },
  signerFunctionArn: '<ModelSignerFunctionArn>',
};

/**
 * The SageMaker Pipeline definition a `TrainingPipeline` with these props deploys, as pretty
 * JSON for review: built by the same builder as the deployed one, with `REVIEW_PLACEHOLDERS`
 * for the values only known at deployment and `vpc` for the jobs' network (placeholders too
 * where the subnets or security group are created). Pure and deterministic. Throws as the
 * construct does on props it cannot deploy.
 */
export function renderReviewDefinition(input: TrainingSpecInput, vpc?: JobVpc): string {
  const spec = trainingSpec(input);
  return `${JSON.stringify(buildPipelineDefinition(spec, { ...REVIEW_PLACEHOLDERS, ...(vpc ? { vpc } : {}) }), null, 2)}\n`;
}
