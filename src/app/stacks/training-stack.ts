import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AidlcStack, AidlcStackProps } from './aidlc-stack';
import { trainingPipelineSettings } from './training-pipeline-settings';
import { IDataLake } from '../../constructs/data/data-lake-ref';
import { IModelNetwork } from '../../constructs/network/model-network-ref';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { TrainingPipeline } from '../../constructs/training/training-pipeline';
import { ResourceNames } from '../../core/names/resource-names';

/**
 * Props of the training stack.
 */
export interface TrainingStackProps extends AidlcStackProps {
  /** The data lake (from the data stack): validated datasets in, artifacts out, its key for both. */
  readonly lake: IDataLake;
  /**
   * Folder of the training entry point, `split.py` and `evaluate.py`, relative to the working
   * directory of the synth.
   * @default - the folder of `training.entryPoint` (`training`)
   */
  readonly sourceDirectory?: string;
  /**
   * The model's network (from the network stack).
   * @default - no network: the workloads run outside any VPC
   */
  readonly network?: IModelNetwork;
}

/**
 * Spot training pipeline and model registry: the model package group of the model, and the
 * SageMaker Pipeline that splits, trains on Spot capacity with checkpoints, evaluates on the
 * holdout and registers models that clear the bar for manual approval.
 *
 * A run trains on one gate run's dataset: the delivery pipeline's Gate stage writes its manifest
 * and `aidlc pipeline train --manifest` passes it on. The SignArtifact step signs each model with
 * the model's own KMS key, which only that step may sign with.
 */
export class TrainingStack extends AidlcStack {
  /** The model package group the pipeline registers into. */
  public readonly registry: ModelRegistry;
  /** The SageMaker Pipeline. */
  public readonly pipeline: TrainingPipeline;
  /** The role the pipeline and its jobs run as. */
  public readonly pipelineRole: iam.IRole;

  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, 'training', props);
    const config = this.config;
    const names = new ResourceNames(config);

    this.registry = new ModelRegistry(this, 'Registry', { modelPackageGroupName: names.modelPackageGroup });
    this.pipeline = new TrainingPipeline(this, 'Training', {
      ...trainingPipelineSettings(config),
      lake: props.lake,
      registry: this.registry,
      signingKeyAlias: names.signingKeyAlias,
      ...(props.network ? { network: props.network } : {}),
      ...(props.sourceDirectory ? { sourceDirectory: props.sourceDirectory } : {}),
    });
    this.pipelineRole = this.pipeline.role;

    new CfnOutput(this, 'TrainingPipelineName', { value: this.pipeline.pipelineName, description: 'The SageMaker Pipeline that trains and registers the model' });
    new CfnOutput(this, 'ModelPackageGroupName', { value: this.registry.modelPackageGroupName, description: 'Where trained models wait for approval' });
    new CfnOutput(this, 'ModelSigningKeyArn', { value: this.pipeline.signer.signingKey.key.keyArn, description: `The model's signing key (${names.signingKeyAlias}): the training pipeline signs, deployments verify` });
    new CfnOutput(this, 'TrainingPipelineRoleArn', { value: this.pipeline.role.roleArn, description: 'The role the pipeline and its jobs run as' });
    const cost = config.training.cost;
    if (cost) {
      new CfnOutput(this, 'EstimatedCostPerRun', {
        value: `on-demand ${cost.onDemandUsdPerRun} USD, ${config.training.useSpot ? 'Spot' : 'no Spot'} ${cost.spotUsdPerRun} USD (${config.training.instanceCount} x ${config.training.instanceType}, ${config.training.maxRuntimeSeconds} s)`,
        description: `Upper estimate of one training run that uses its whole max runtime. ${cost.source}`,
      });
    }
  }
}
