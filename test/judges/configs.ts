import { AidlcConfig, AidlcConfigOptions, ColumnType, MonitoringEngine, NetworkMode, ResolvedConfig, TrafficRouting, TrainingFramework } from '../../src/config';

/**
 * The configs whose output AWS's own validators judge (cfn-lint on every template, the pipeline
 * definition schema and the SageMaker API shapes on every step): the defaults and variants that
 * switch on what the defaults leave off. A feature added to the config belongs in one of them.
 */
export const JUDGED_CONFIGS: ReadonlyArray<{ readonly name: string; readonly options: AidlcConfigOptions }> = [
  { name: 'defaults', options: { modelName: 'churn', githubRepository: 'acme/churn' } },
  {
    name: 'model-monitor',
    options: {
      modelName: 'fraud',
      githubRepository: 'acme/fraud',
      githubConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0b7a2c1e-5d4f-4e3a-9c8b-7a6f5e4d3c2b',
      awsRegion: 'eu-west-1',
      awsAccount: '123456789012',
      monitoringEngine: MonitoringEngine.MODEL_MONITOR,
      training: { framework: TrainingFramework.CUSTOM, customImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-train:1.4.0', instanceCount: 2 },
      deployment: { trafficRouting: TrafficRouting.LINEAR, instanceCount: 4 },
      monitoring: { retrainOnDrift: true, alertEmail: 'ml-oncall@acme.example', dataCapturePercent: 50 },
    },
  },
  {
    name: 'regression',
    options: {
      modelName: 'price',
      githubRepository: 'acme/price',
      awsRegion: 'us-west-2',
      training: { framework: TrainingFramework.SKLEARN, useSpot: false, evaluationMetric: 'rmse', metricThreshold: 20, cacheSteps: true },
      deployment: { stages: [{ name: 'prod', canary: false, requireApproval: true }] },
      data: {
        contract: {
          targetColumn: 'price',
          keyColumns: ['listing_id'],
          columns: [
            { name: 'listing_id', type: ColumnType.STRING },
            { name: 'listed_at', type: ColumnType.TIMESTAMP },
            { name: 'area_m2', type: ColumnType.FLOAT, min: 5, max: 2000 },
            { name: 'rooms', type: ColumnType.INT, min: 1, max: 40 },
            { name: 'district', type: ColumnType.STRING, allowedValues: ['north', 'south', 'east', 'west'] },
            { name: 'furnished', type: ColumnType.BOOL, nullable: true },
            { name: 'price', type: ColumnType.FLOAT, min: 0 },
          ],
        },
      },
    },
  },
  {
    // A private inference API (the default in an imported VPC): the network creates the execute-api
    // endpoint with a security group for the callers' ranges and the smoke test's endpoints; the
    // smoke test runs on CodeBuild in the subnets, from the CLI the Deploy actions hand on.
    name: 'private-api',
    options: {
      modelName: 'claims',
      githubRepository: 'acme/claims',
      awsRegion: 'eu-central-1',
      awsAccount: '123456789012',
      network: {
        mode: NetworkMode.IMPORT_VPC,
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        vpcCidr: '10.40.0.0/16',
        subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890', 'subnet-0c1b2c3d4e5f67890'],
        availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
        createEndpoints: true,
        routeTableIds: ['rtb-0a1b2c3d4e5f67890'],
      },
      serving: { api: { callerCidrs: ['10.40.0.0/16', '10.8.0.0/13'], consumers: ['claims-portal'] } },
    },
  },
];

/** Each judged config, resolved. */
export function judgedConfigs(): Array<{ name: string; config: ResolvedConfig }> {
  return JUDGED_CONFIGS.map(({ name, options }) => ({ name, config: AidlcConfig.resolve(options) }));
}
