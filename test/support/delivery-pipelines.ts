import { Stack } from 'aws-cdk-lib';
import { LakeStandIn } from './data-lake-stand-in';
import { DeliveryPipelineProps } from '../../src/constructs/delivery/delivery-pipeline';

/** The CodeConnections connection the test pipelines take their source from. */
export const CONNECTION = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0b2c7a1e-1d2f-4c3b-9a8d-7e6f5a4b3c2d';

/**
 * The props of the churn model's delivery pipeline, two stages with approval before prod, over a
 * stand-in lake in `stack`; `overrides` replace any of them.
 */
export function deliveryPipelineProps(stack: Stack, overrides: Partial<DeliveryPipelineProps> = {}): DeliveryPipelineProps {
  return {
    pipelineName: 'churn-delivery',
    connectionArn: CONNECTION,
    repositoryOwner: 'acme',
    repositoryName: 'churn',
    lake: new LakeStandIn(stack, 'Lake'),
    datasetKey: 'raw/churn/',
    baselineProfileKey: 'baselines/churn/profile.json',
    trainingPipelineName: 'churn-training',
    modelPackageGroupName: 'churn',
    stages: [
      { name: 'staging', stackName: 'churn-serving-staging' },
      { name: 'prod', stackName: 'churn-serving-prod', requireApproval: true },
    ],
    monitoringStackName: 'churn-monitoring',
    ...overrides,
  };
}
