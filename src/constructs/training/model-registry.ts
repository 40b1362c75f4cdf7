import { Stack } from 'aws-cdk-lib';
import { CfnModelPackageGroup } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';

/**
 * A model registry: where a training pipeline registers model versions.
 */
export interface IModelRegistry {
  /** Name of the model package group. */
  readonly modelPackageGroupName: string;
  /** ARN of the model package group. */
  readonly modelPackageGroupArn: string;
  /** ARN pattern of every model package version in the group (`.../model-package/<group>/*`). */
  readonly modelPackagesArn: string;
}

/**
 * Props of {@link ModelRegistry}.
 */
export interface ModelRegistryProps {
  /** Name of the model package group (1-63 letters, digits and hyphens). */
  readonly modelPackageGroupName: string;
  /**
   * What the group holds, shown in SageMaker Model Registry.
   * @default - "Versions of the <name> model, registered by its training pipeline"
   */
  readonly description?: string;
}

const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * The model registry of one model: a SageMaker model package group. The training pipeline
 * registers each model that clears its evaluation bar here, as `PendingManualApproval`, with the
 * evaluation report and the data baseline profile attached.
 */
export class ModelRegistry extends Construct implements IModelRegistry {
  public readonly modelPackageGroupName: string;
  public readonly modelPackageGroupArn: string;
  public readonly modelPackagesArn: string;
  /** The model package group resource. */
  public readonly group: CfnModelPackageGroup;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    if (!GROUP_NAME.test(props.modelPackageGroupName)) {
      throw new Error(`"${props.modelPackageGroupName}" is not a valid model package group name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit`);
    }
    this.group = new CfnModelPackageGroup(this, 'Group', {
      modelPackageGroupName: props.modelPackageGroupName,
      modelPackageGroupDescription: props.description ?? `Versions of the ${props.modelPackageGroupName} model, registered by its training pipeline`,
    });
    this.modelPackageGroupName = props.modelPackageGroupName;
    this.modelPackageGroupArn = this.group.attrModelPackageGroupArn;
    // Model package ARNs carry the group name in lower case.
    this.modelPackagesArn = Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'model-package',
      resourceName: `${props.modelPackageGroupName.toLowerCase()}/*`,
    });
  }
}
