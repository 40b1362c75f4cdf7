import { NetworkMode, ResolvedConfig, ResolvedNetwork, TrainingFramework } from '../../config';
import { JobVpc } from '../../constructs/training/pipeline-definition';
import { renderReviewDefinition } from '../../constructs/training/review';
import { ModelEvaluationOptions, TrainingDataset, TrainingJobOptions } from '../../constructs/training/training-options';
import { validatedDataPrefix } from '../../constructs/training/training-spec';
import { ResourceNames } from '../../core/names/resource-names';

/**
 * The props of the training stack's `TrainingPipeline` that come from the config (the others
 * are the stack's resources). CDK-free, so the project can render the review file from them too.
 */
export interface TrainingPipelineSettings {
  readonly pipelineName: string;
  readonly dataset: TrainingDataset;
  readonly training: TrainingJobOptions;
  readonly evaluation: ModelEvaluationOptions;
  readonly cacheSteps: boolean;
  readonly inputDataPrefix: string;
}

/** The resolved config mapped onto the training pipeline's props, every value stated. */
export function trainingPipelineSettings(config: ResolvedConfig): TrainingPipelineSettings {
  const t = config.training;
  const contract = config.data.contract;
  return {
    pipelineName: new ResourceNames(config).trainingPipeline,
    dataset: {
      targetColumn: contract.targetColumn,
      keyColumns: [...contract.keyColumns],
      columns: contract.columns.map((c) => ({ name: c.name, type: c.type })),
    },
    training: {
      entryPoint: t.entryPoint,
      framework: t.framework,
      // The resolved config writes "custom" as the version of a CUSTOM image, which has none.
      ...(t.framework === TrainingFramework.CUSTOM ? {} : { frameworkVersion: t.frameworkVersion }),
      ...(t.customImageUri !== undefined ? { customImageUri: t.customImageUri } : {}),
      instanceType: t.instanceType,
      instanceCount: t.instanceCount,
      useSpot: t.useSpot,
      maxRuntimeSeconds: t.maxRuntimeSeconds,
      ...(t.maxWaitSeconds !== undefined ? { maxWaitSeconds: t.maxWaitSeconds } : {}),
      checkpointIntervalRounds: t.checkpointIntervalRounds,
      volumeSizeGb: t.volumeSizeGb,
      hyperparameters: { ...t.hyperparameters },
    },
    evaluation: {
      metric: t.evaluationMetric,
      threshold: t.metricThreshold,
      holdoutFraction: t.holdoutFraction,
    },
    cacheSteps: t.cacheSteps,
    inputDataPrefix: validatedDataPrefix(config.data.s3Prefix),
  };
}

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

/**
 * The SageMaker Pipeline definition the training stack deploys for this config, as pretty JSON
 * for review (`pipelines/sagemaker-pipeline.json`), with placeholders for the values known only
 * at deployment. The same config gives the same text. Throws when the config names a framework
 * version or region the image map does not know.
 */
export function renderPipelineDefinitionForReview(config: ResolvedConfig): string {
  const names = new ResourceNames(config);
  return renderReviewDefinition({
    ...trainingPipelineSettings(config),
    modelPackageGroupName: names.modelPackageGroup,
    region: config.aws.region,
  }, reviewJobVpc(config.network));
}
