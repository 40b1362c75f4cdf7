import { JobVpc, PipelineRefs, buildPipelineDefinition } from './pipeline-definition';
import { trainingSpec, validatedDataPrefix } from './training-spec';
import { NetworkMode } from '../../config/enums';
import { ResolvedConfig, ResolvedNetwork } from '../../config/resolved';
import { ResourceNames } from '../../core/names/resource-names';

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
 * The SageMaker Pipeline definition the training stack deploys for this config, as pretty JSON
 * for review (`pipelines/sagemaker-pipeline.json`): built by the same builder as the deployed
 * one, with `REVIEW_PLACEHOLDERS` for the values only known at deployment. Pure and
 * deterministic: the same config gives the same text. Throws when the config names a framework
 * version or region the image map does not know.
 */
/**
 * The jobs' VpcConfig as the review file shows it: the subnets by id when the VPC is imported,
 * by placeholder when the network stack creates them; the jobs' security group by placeholder.
 */
export function reviewJobVpc(network: ResolvedNetwork): JobVpc | undefined {
  if (network.mode === NetworkMode.NONE) return undefined;
  const subnets = network.mode === NetworkMode.IMPORT_VPC
    ? [...network.subnetIds!]
    : Array.from({ length: network.availabilityZoneCount }, (_, i) => `<PrivateSubnet${i + 1}>`);
  return { securityGroupIds: ['<TrainingJobsSecurityGroup>'], subnets };
}

export function renderPipelineDefinitionForReview(config: ResolvedConfig): string {
  const names = new ResourceNames(config);
  const spec = trainingSpec({
    training: config.training,
    contract: config.data.contract,
    pipelineName: names.trainingPipeline,
    modelPackageGroupName: names.modelPackageGroup,
    region: config.aws.region,
    inputDataPrefix: validatedDataPrefix(config.data.s3Prefix),
  });
  const vpc = reviewJobVpc(config.network);
  return `${JSON.stringify(buildPipelineDefinition(spec, { ...REVIEW_PLACEHOLDERS, ...(vpc ? { vpc } : {}) }), null, 2)}\n`;
}
