import { trainingPipelineSettings } from '../../../src/app/stacks/training-pipeline-settings';
import { ColumnType, TrainingFramework } from '../../../src/config';
import { ResolvedConfig } from '../../../src/config/resolved';
import { trainingRules } from '../../../src/config/rules/training';
import { SIGNER_OUTPUTS, buildPipelineDefinition, metricJsonPath } from '../../../src/constructs/training/pipeline-definition';
import { REVIEW_PLACEHOLDERS as REFS } from '../../../src/constructs/training/review';
import { TrainingSpecInput, trainingSpec } from '../../../src/constructs/training/training-spec';
import { MODEL_METADATA_KEYS } from '../../../src/core/model-package-metadata';
import { InvalidValuesError } from '../../../src/core/problem';
import { testConfig } from '../../support/configs';

/** What the training stack gives its pipeline for a config. */
function inputOf(config: ResolvedConfig, overrides: Partial<TrainingSpecInput> = {}): TrainingSpecInput {
  return { ...trainingPipelineSettings(config), modelPackageGroupName: 'churn', region: config.aws.region, ...overrides };
}

function definitionOf(config: ResolvedConfig, overrides: Partial<TrainingSpecInput> = {}): any {
  return buildPipelineDefinition(trainingSpec(inputOf(config, overrides)), REFS);
}

function step(definition: any, name: string): any {
  const all = [...definition.Steps, ...definition.Steps.flatMap((s: any) => [...(s.Arguments?.IfSteps ?? []), ...(s.Arguments?.ElseSteps ?? [])])];
  const found = all.find((s: any) => s.Name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

function decoded(hyperparameters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(hyperparameters).map(([k, v]) => [k, JSON.parse(v)]));
}

const defaults = definitionOf(testConfig());
const train = step(defaults, 'Train').Arguments;

describe('pipeline definition', () => {
  test('is version 2020-12-01 with its parameters and steps in order', () => {
    expect(defaults.Version).toBe('2020-12-01');
    expect(defaults.Parameters).toEqual([
      { Name: 'InputDataUri', Type: 'String' },
      { Name: 'DatasetManifestUri', Type: 'String' },
      { Name: 'DatasetManifestSha256', Type: 'String' },
      { Name: 'BaselineProfileUri', Type: 'String', DefaultValue: 's3://<ArtifactsBucket>/baselines/churn/profile.json' },
      { Name: 'SourceRevision', Type: 'String', DefaultValue: 'unknown' },
    ]);
    expect(defaults.Steps.map((s: any) => [s.Name, s.Type])).toEqual([
      ['Split', 'Processing'], ['Train', 'Training'], ['Evaluate', 'Processing'], ['CheckMetric', 'Condition'],
    ]);
  });

  describe('Train step', () => {
    test('runs the framework image in script mode with the entry point from the code channel', () => {
      expect(train.AlgorithmSpecification).toEqual({
        TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        TrainingInputMode: 'File',
        MetricDefinitions: [
          { Name: 'train:auc', Regex: 'train-auc:\\s*([-+0-9.eE]+)' },
          { Name: 'validation:auc', Regex: 'validation-auc:\\s*([-+0-9.eE]+)' },
        ],
      });
      expect(train.InputDataConfig.map((c: any) => [c.ChannelName, c.DataSource.S3DataSource.S3Uri])).toEqual([
        ['train', { Get: "Steps.Split.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" }],
        ['validation', { Get: "Steps.Split.ProcessingOutputConfig.Outputs['validation'].S3Output.S3Uri" }],
        ['code', 's3://<AssetsBucket>/<SourceArchive>'],
      ]);
    });

    test('passes every hyperparameter JSON-encoded, the configured ones and those the contract implies', () => {
      expect(Object.values(train.HyperParameters).every((v) => typeof v === 'string')).toBe(true);
      expect(decoded(train.HyperParameters)).toEqual({
        target: 'churned',
        drop_columns: 'customer_id,signup_date',
        categorical_columns: 'contract,payment_method,is_senior',
        objective: 'binary:logistic',
        eval_metric: 'auc',
        checkpoint_interval: '10',
        num_round: '200',
        max_depth: '5',
        eta: '0.1',
        sagemaker_program: 'train.py',
        sagemaker_submit_directory: '/opt/ml/input/data/code/<SourceArchive>',
        sagemaker_container_log_level: '20',
        sagemaker_region: 'us-east-1',
      });
      expect(train.HyperParameters.num_round).toBe('"200"');
      expect(Object.keys(train.HyperParameters)).toEqual([...Object.keys(train.HyperParameters)].sort());
    });

    test('configured hyperparameters win over derived ones', () => {
      const args = step(definitionOf(testConfig({ training: { hyperparameters: { eval_metric: 'logloss', num_round: '50' } } })), 'Train').Arguments;
      expect(decoded(args.HyperParameters)).toMatchObject({ eval_metric: 'logloss', num_round: '50' });
      expect(args.HyperParameters.max_depth).toBeUndefined();
      expect(args.AlgorithmSpecification.MetricDefinitions[1].Name).toBe('validation:logloss');
    });

    test('trains on managed Spot capacity with a wait at least the runtime', () => {
      expect(train.EnableManagedSpotTraining).toBe(true);
      expect(train.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
      const custom = step(definitionOf(testConfig({ training: { maxRuntimeSeconds: 1800, maxWaitSeconds: 1800 } })), 'Train').Arguments;
      expect(custom.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 1800, MaxWaitTimeInSeconds: 1800 });
    });

    test('without Spot, MaxWaitTimeInSeconds is absent', () => {
      const onDemand = step(definitionOf(testConfig({ training: { useSpot: false, maxRuntimeSeconds: 900 } })), 'Train').Arguments;
      expect(onDemand.EnableManagedSpotTraining).toBe(false);
      expect(onDemand.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 900 });
      expect('MaxWaitTimeInSeconds' in onDemand.StoppingCondition).toBe(false);
      expect(JSON.stringify(definitionOf(testConfig({ training: { useSpot: false } })))).not.toContain('MaxWaitTimeInSeconds');
    });

    test('checkpoints to the artifacts bucket beside its training data, at /opt/ml/checkpoints', () => {
      expect(train.CheckpointConfig).toEqual({
        S3Uri: { 'Std:Join': { On: '', Values: [{ Get: "Steps.Split.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" }, '-checkpoints'] } },
        LocalPath: '/opt/ml/checkpoints',
      });
      const splitTrain = step(defaults, 'Split').Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri;
      expect(splitTrain['Std:Join'].Values[0]).toBe('s3://<ArtifactsBucket>/pipelines/churn-training');
    });

    test('encrypts output and volumes with the lake key, isolates the network, encrypts between containers', () => {
      expect(train.OutputDataConfig).toEqual({ S3OutputPath: 's3://<ArtifactsBucket>/pipelines/churn-training/models', KmsKeyId: '<DataLakeKeyArn>' });
      expect(train.ResourceConfig).toEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: '<DataLakeKeyArn>' });
      expect(train.EnableNetworkIsolation).toBe(true);
      expect(train.EnableInterContainerTrafficEncryption).toBe(true);
      expect(train.RoleArn).toBe('<PipelineRoleArn>');
    });

    test('instance types with NVMe instance storage get no volume key (SageMaker refuses one)', () => {
      const nvme = step(definitionOf(testConfig({ trainingInstanceType: 'ml.g4dn.xlarge' }), { processingInstanceType: 'ml.m5d.large' }), 'Train');
      expect(nvme.Arguments.ResourceConfig).toEqual({ InstanceType: 'ml.g4dn.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 });
      expect(nvme.Arguments.OutputDataConfig.KmsKeyId).toBe('<DataLakeKeyArn>');
      const split = step(definitionOf(testConfig(), { processingInstanceType: 'ml.m5d.large' }), 'Split');
      expect(split.Arguments.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toBeUndefined();
    });

    test('instance count, volume size and runtime follow the config', () => {
      const args = step(definitionOf(testConfig({ training: { instanceCount: 3, volumeSizeGb: 100, maxRuntimeSeconds: 7200 }, trainingInstanceType: 'ml.c5.2xlarge' })), 'Train').Arguments;
      expect(args.ResourceConfig).toMatchObject({ InstanceType: 'ml.c5.2xlarge', InstanceCount: 3, VolumeSizeInGB: 100 });
      expect(args.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14400 });
    });

    test('is retried on capacity and internal errors', () => {
      expect(step(defaults, 'Train').RetryPolicies).toEqual([{
        ExceptionType: ['SageMaker.CAPACITY_ERROR', 'SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.RESOURCE_LIMIT'],
        IntervalSeconds: 60,
        BackoffRate: 2,
        MaxAttempts: 3,
      }]);
    });

    test('a custom image replaces the framework image in every step', () => {
      const image = '222222222222.dkr.ecr.us-east-1.amazonaws.com/churn-train:2.0';
      const custom = definitionOf(testConfig({ training: { framework: TrainingFramework.CUSTOM, customImageUri: image } }));
      expect(step(custom, 'Train').Arguments.AlgorithmSpecification.TrainingImage).toBe(image);
      expect(step(custom, 'Split').Arguments.AppSpecification.ImageUri).toBe(image);
      expect(step(custom, 'Evaluate').Arguments.AppSpecification.ImageUri).toBe(image);
      expect(step(custom, 'Register').Arguments.InferenceSpecification.Containers[0].Image).toBe(image);
    });

    test('the framework version and region choose the image', () => {
      const sklearn = definitionOf(testConfig({ training: { framework: TrainingFramework.SKLEARN, frameworkVersion: '1.0-1' }, awsRegion: 'eu-central-1' }));
      expect(step(sklearn, 'Train').Arguments.AlgorithmSpecification.TrainingImage)
        .toBe('492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.0-1-cpu-py3');
      expect(decoded(step(sklearn, 'Train').Arguments.HyperParameters).sagemaker_region).toBe('eu-central-1');
    });
  });

  describe('Split step', () => {
    const split = step(defaults, 'Split');

    test('runs split.py on the input dataset with the holdout fraction and the key columns', () => {
      expect(split.Arguments.AppSpecification).toEqual({
        ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/<SplitScript>'],
        ContainerArguments: ['--input', '/opt/ml/processing/input/data', '--output', '/opt/ml/processing/output',
          '--holdout-fraction', '0.2', '--validation-fraction', '0.2', '--key-columns', 'customer_id',
          '--manifest', '/opt/ml/processing/input/manifest', '--manifest-sha256', { Get: 'Parameters.DatasetManifestSha256' }],
      });
      expect(split.Arguments.ProcessingInputs.map((i: any) => [i.InputName, i.S3Input.S3Uri, i.S3Input.LocalPath])).toEqual([
        ['data', { Get: 'Parameters.InputDataUri' }, '/opt/ml/processing/input/data'],
        ['manifest', { Get: 'Parameters.DatasetManifestUri' }, '/opt/ml/processing/input/manifest'],
        ['code', 's3://<AssetsBucket>/<SplitScript>', '/opt/ml/processing/input/code'],
      ]);
      const holdout = step(definitionOf(testConfig({ training: { holdoutFraction: 0.3 } })), 'Split').Arguments.AppSpecification.ContainerArguments;
      expect(holdout[holdout.indexOf('--holdout-fraction') + 1]).toBe('0.3');
    });

    test('writes train, validation and holdout under the execution, encrypted', () => {
      expect(split.Arguments.ProcessingOutputConfig.KmsKeyId).toBe('<DataLakeKeyArn>');
      expect(split.Arguments.ProcessingOutputConfig.Outputs.map((o: any) => [o.OutputName, o.S3Output.S3Uri])).toEqual(
        ['train', 'validation', 'holdout'].map((name) => [name, { 'Std:Join': { On: '/', Values: ['s3://<ArtifactsBucket>/pipelines/churn-training', { Get: 'Execution.PipelineExecutionId' }, name] } }]));
    });

    test('is isolated, encrypted and bounded like the training job', () => {
      expect(split.Arguments.NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
      expect(split.Arguments.ProcessingResources.ClusterConfig).toEqual({ InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: '<DataLakeKeyArn>' });
      expect(split.Arguments.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
      expect(split.Arguments.RoleArn).toBe('<PipelineRoleArn>');
    });
  });

  describe('Evaluate step', () => {
    const evaluate = step(defaults, 'Evaluate');

    test('runs evaluate.py on the trained model and the holdout, with the metric, bar and baseline', () => {
      expect(evaluate.Arguments.AppSpecification.ContainerEntrypoint).toEqual(['python3', '/opt/ml/processing/input/code/<EvaluateScript>']);
      expect(evaluate.Arguments.AppSpecification.ContainerArguments).toEqual(['--model', '/opt/ml/processing/model', '--holdout', '/opt/ml/processing/holdout',
        '--output', '/opt/ml/processing/evaluation', '--metric', 'auc', '--threshold', '0.75', '--baseline', '/opt/ml/processing/baseline']);
      expect(evaluate.Arguments.ProcessingInputs.map((i: any) => [i.InputName, i.S3Input.S3Uri])).toEqual([
        ['model', { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }],
        ['holdout', { Get: "Steps.Split.ProcessingOutputConfig.Outputs['holdout'].S3Output.S3Uri" }],
        ['baseline', { Get: 'Parameters.BaselineProfileUri' }],
        ['code', 's3://<AssetsBucket>/<EvaluateScript>'],
      ]);
      expect(evaluate.Arguments.NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
    });

    test('puts its metrics into a property file', () => {
      expect(evaluate.PropertyFiles).toEqual([{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }]);
      expect(evaluate.Arguments.ProcessingOutputConfig.Outputs[0].S3Output.LocalPath).toBe('/opt/ml/processing/evaluation');
    });

    test('passes --lower-is-better for error metrics', () => {
      const rmse = step(definitionOf(testConfig({ training: { evaluationMetric: 'rmse', metricThreshold: 12 } })), 'Evaluate');
      expect(rmse.Arguments.AppSpecification.ContainerArguments.slice(-3)).toEqual(['--baseline', '/opt/ml/processing/baseline', '--lower-is-better']);
    });
  });

  describe('condition, registration and failure', () => {
    test('compares the configured metric from the property file with its bar', () => {
      expect(step(defaults, 'CheckMetric').Arguments.Conditions).toEqual([{
        Type: 'GreaterThanOrEqualTo',
        LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'binary_classification_metrics.auc.value' } },
        RightValue: 0.75,
      }]);
      const mae = step(definitionOf(testConfig({ training: { evaluationMetric: 'mae', metricThreshold: 3.5 } })), 'CheckMetric').Arguments.Conditions[0];
      expect([mae.Type, mae.LeftValue['Std:JsonGet'].Path, mae.RightValue]).toEqual(['LessThanOrEqualTo', 'regression_metrics.mae.value', 3.5]);
      expect(metricJsonPath('f1')).toBe('binary_classification_metrics.f1.value');
    });

    test('registers a PendingManualApproval package with the report and the baseline, or fails the run', () => {
      const check = step(defaults, 'CheckMetric').Arguments;
      expect(check.IfSteps.map((s: any) => [s.Name, s.Type])).toEqual([['SignArtifact', 'Lambda'], ['Register', 'RegisterModel']]);
      expect(check.ElseSteps).toEqual([{ Name: 'MetricBelowThreshold', Type: 'Fail', Arguments: { ErrorMessage: expect.stringContaining('auc on the holdout did not clear the bar (>= 0.75)') } }]);
      const register = step(defaults, 'Register').Arguments;
      const evaluation = { Get: "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri" };
      expect(register.ModelPackageGroupName).toBe('churn');
      expect(register.ModelApprovalStatus).toBe('PendingManualApproval');
      expect(register.ModelMetrics).toEqual({
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: { 'Std:Join': { On: '/', Values: [evaluation, 'evaluation.json'] } } } },
        ModelDataQuality: { Statistics: { ContentType: 'application/json', S3Uri: { 'Std:Join': { On: '/', Values: [evaluation, 'baseline-profile.json'] } } } },
      });
      expect(register.InferenceSpecification.Containers).toEqual([{
        Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
        Environment: { SAGEMAKER_PROGRAM: 'train.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code', SAGEMAKER_CONTAINER_LOG_LEVEL: '20', SAGEMAKER_REGION: 'us-east-1' },
      }]);
      const signed = (name: string) => ({ Get: `Steps.SignArtifact.OutputParameters['${name}']` });
      expect(register.CustomerMetadataProperties).toEqual({
        source_revision: { Get: 'Parameters.SourceRevision' },
        pipeline_execution: { Get: 'Execution.PipelineExecutionId' },
        dataset_manifest_uri: { Get: 'Parameters.DatasetManifestUri' },
        dataset_manifest_sha256: { Get: 'Parameters.DatasetManifestSha256' },
        training_job_arn: signed('training_job_arn'),
        training_image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        hyperparameters_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        evaluation_metric: 'auc',
        evaluation_value: { 'Std:Join': { On: '', Values: [{ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'binary_classification_metrics.auc.value' } }] } },
        artifact_sha256: signed('artifact_sha256'),
        artifact_signature: signed('signature'),
        signing_key_arn: signed('signing_key_arn'),
        signing_algorithm: signed('signing_algorithm'),
      });
      expect(register.ModelCard).toEqual({ ModelCardContent: signed('model_card'), ModelCardStatus: 'Draft' });
    });

    test('the metadata stays within SageMaker\'s limits: at most 50 keys of 1-128 characters from its alphabet', () => {
      const keys = Object.keys(step(defaults, 'Register').Arguments.CustomerMetadataProperties);
      expect(keys.length).toBeLessThanOrEqual(50);
      for (const key of keys) expect(key).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u);
      // Exactly the keys of the table `aidlc lineage` and `aidlc model verify` read.
      expect([...keys].sort()).toEqual(Object.values(MODEL_METADATA_KEYS).sort());
    });

    test('SignArtifact gets the model, the training job, the manifest and its hash, and returns what Register records', () => {
      const sign = step(defaults, 'SignArtifact');
      expect(sign.FunctionArn).toBe('<ModelSignerFunctionArn>');
      expect(sign.Arguments).toMatchObject({
        model_artifacts: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
        training_job_name: { Get: 'Steps.Train.TrainingJobName' },
        manifest_uri: { Get: 'Parameters.DatasetManifestUri' },
        manifest_sha256: { Get: 'Parameters.DatasetManifestSha256' },
      });
      expect(sign.OutputParameters.map((o: any) => o.OutputName)).toEqual([...SIGNER_OUTPUTS]);
      // Hyperparameters hash: canonical JSON of the script's hyperparameters, so the same config gives the same hash.
      expect(step(definitionOf(testConfig()), 'Register').Arguments.CustomerMetadataProperties.hyperparameters_sha256)
        .toBe(step(defaults, 'Register').Arguments.CustomerMetadataProperties.hyperparameters_sha256);
      expect(step(definitionOf(testConfig({ training: { hyperparameters: { num_round: '50' } } })), 'Register').Arguments.CustomerMetadataProperties.hyperparameters_sha256)
        .not.toBe(step(defaults, 'Register').Arguments.CustomerMetadataProperties.hyperparameters_sha256);
    });
  });

  test('step caching follows cacheSteps on Split, Train and Evaluate', () => {
    expect(JSON.stringify(defaults)).not.toContain('CacheConfig');
    const cached = definitionOf(testConfig({ training: { cacheSteps: true } }));
    for (const name of ['Split', 'Train', 'Evaluate']) expect(step(cached, name).CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'P30D' });
    expect(step(cached, 'Register').CacheConfig).toBeUndefined();
  });

  test('left at their defaults, the props train as a config left at its defaults does', () => {
    const { dataset, pipelineName } = trainingPipelineSettings(testConfig());
    const bare = trainingSpec({ pipelineName, modelPackageGroupName: 'churn', region: 'us-east-1', dataset, inputDataPrefix: 'validated/churn/data/' });
    expect(bare).toEqual(trainingSpec(inputOf(testConfig())));
  });

  describe('props the pipeline cannot run', () => {
    const dataset = trainingPipelineSettings(testConfig()).dataset;
    const attempt = (input: Partial<TrainingSpecInput>) => () => trainingSpec({ pipelineName: 'churn-training', modelPackageGroupName: 'churn', region: 'us-east-1', dataset, ...input });

    test('are refused at their prop, with the value and the fix', () => {
      expect(attempt({ training: { maxWaitSeconds: 60 } })).toThrow('TrainingPipeline: training.maxWaitSeconds = 60: is below maxRuntimeSeconds (3600); SageMaker requires wait >= runtime. Fix: set maxWaitSeconds to at least 3600, e.g. 7200');
      expect(attempt({ training: { useSpot: false, maxWaitSeconds: 7200 } })).toThrow(/^TrainingPipeline: training.maxWaitSeconds = 7200: only applies to Spot training/);
      expect(attempt({ training: { instanceType: 'm5.xlarge' } })).toThrow(/^TrainingPipeline: training.instanceType = "m5.xlarge": is not a SageMaker instance type .* Fix: use a SageMaker instance type, e.g. "ml.m5.xlarge"$/);
      expect(attempt({ processingInstanceType: 'large' })).toThrow(/^TrainingPipeline: processingInstanceType = "large": is not a SageMaker instance type/);
      expect(attempt({ evaluation: { metric: 'gini' } })).toThrow(/^TrainingPipeline: evaluation.metric = "gini": is not a metric the evaluation step computes. Fix: use one of "auc"/);
      expect(attempt({ training: { framework: TrainingFramework.CUSTOM } })).toThrow(/^TrainingPipeline: training.customImageUri = \(not set\): is required when the framework is CUSTOM/);
      expect(attempt({ pipelineName: 'churn_training' })).toThrow(/^TrainingPipeline: pipelineName = "churn_training": is not a valid pipeline name/);
    });

    test('show every problem at once, in one error', () => {
      let error: unknown;
      try {
        attempt({ pipelineName: 'churn_training', training: { instanceType: 'm5.xlarge', maxRuntimeSeconds: 7200, maxWaitSeconds: 3600 }, evaluation: { metric: 'gini' } })();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidValuesError);
      expect((error as InvalidValuesError).problems.map((p) => p.path)).toEqual(['pipelineName', 'training.instanceType', 'training.maxWaitSeconds', 'evaluation.metric']);
      expect((error as Error).message).toMatch(/^TrainingPipeline: 4 problems:\n  - pipelineName = "churn_training": /);
    });

    test('get the message and fix the config gives for the same value (one rule, two callers)', () => {
      const same = (configPath: string, options: object, input: Partial<TrainingSpecInput>) => {
        const fromConfig = trainingRules(options, undefined).find((p) => p.path === configPath)!;
        const fromProps = (() => {
          try {
            attempt(input)();
          } catch (e) {
            return (e as InvalidValuesError).problems[0];
          }
          throw new Error('the props were accepted');
        })();
        const { value, message, fix } = fromConfig;
        expect({ value: fromProps.value, message: fromProps.message, fix: fromProps.fix }).toEqual({ value, message, fix });
      };
      same('training.maxWaitSeconds', { maxWaitSeconds: 600 }, { training: { maxWaitSeconds: 600 } });
      same('training.maxWaitSeconds', { useSpot: false, maxWaitSeconds: 600 }, { training: { useSpot: false, maxWaitSeconds: 600 } });
      same('training.evaluationMetric', { evaluationMetric: 'gini' }, { evaluation: { metric: 'gini' } });
      same('training.customImageUri', { framework: TrainingFramework.CUSTOM }, { training: { framework: TrainingFramework.CUSTOM } });
      expect(trainingRules({}, 'c5.large')[0].fix).toBe('use a SageMaker instance type, e.g. "ml.c5.large"');
      expect(attempt({ training: { instanceType: 'c5.large' } })).toThrow(/Fix: use a SageMaker instance type, e.g. "ml.c5.large"$/);
    });
  });

  test('a hyperparameter longer than SageMaker takes once encoded is refused', () => {
    const columns = Array.from({ length: 400 }, (_, i) => ({ name: `segment_${i}`, type: ColumnType.STRING }));
    const wide = testConfig({ data: { contract: { targetColumn: 'label', columns: [...columns, { name: 'label', type: ColumnType.INT }] } } });
    expect(() => definitionOf(wide)).toThrow(/hyperparameter categorical_columns is \d+ characters once encoded; SageMaker takes at most 2500/);
  });
});
