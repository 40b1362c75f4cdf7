import { Template } from 'aws-cdk-lib/assertions';
import { DataStack } from '../../../src/app/stacks/data-stack';
import { TrainingStack } from '../../../src/app/stacks/training-stack';
import { AidlcConfigOptions } from '../../../src/config';
import { testApp } from '../../support/cdk-app';
import { testConfig } from '../../support/configs';
import { lakeStack } from '../../support/data-lake-stand-in';
import { ENV } from '../../support/environments';
import { REPO_ROOT } from '../../support/repo-paths';
import { only, PIPELINE_OWN } from '../../support/template-queries';

function synth(overrides: Partial<AidlcConfigOptions> = {}) {
  const app = testApp();
  const { lake } = lakeStack(app);
  const cwd = process.cwd();
  // The default source folder is the entry point's folder relative to the synth's working directory.
  process.chdir(REPO_ROOT);
  try {
    const stack = new TrainingStack(app, 'churn-training', { config: testConfig(overrides), env: ENV, lake });
    return { stack, template: Template.fromJSON(app.synth().getStackByName(stack.stackName).template) };
  } finally {
    process.chdir(cwd);
  }
}

describe('TrainingStack', () => {
  const { stack, template } = synth();

  test('holds the model package group and the pipeline named by ResourceNames, on the data stack\'s lake', () => {
    expect(only(template, 'AWS::SageMaker::ModelPackageGroup').properties.ModelPackageGroupName).toBe('churn');
    expect(only(template, 'AWS::SageMaker::Pipeline').properties.PipelineName).toBe('churn-training');
    expect(JSON.stringify(only(template, 'AWS::IAM::ManagedPolicy', PIPELINE_OWN).properties)).toContain('Fn::ImportValue');
    expect(stack.pipelineRole).toBe(stack.pipeline.role);
    expect(stack.registry.modelPackageGroupName).toBe('churn');
  });

  test('outputs what the delivery chain needs, and the cost estimate with its source', () => {
    const outputs = template.findOutputs('*');
    expect(outputs.TrainingPipelineName.Value).toBe('churn-training');
    expect(outputs.ModelPackageGroupName.Value).toBe('churn');
    expect(outputs.ModelSigningKeyArn.Description).toContain('alias/aidlc/churn/model-signing');
    expect(outputs.TrainingPipelineRoleArn.Value).toEqual({ 'Fn::GetAtt': [only(template, 'AWS::IAM::Role', PIPELINE_OWN).id, 'Arn'] });
    expect(outputs.EstimatedCostPerRun.Value).toBe('on-demand 0.23 USD, Spot 0.069 USD (1 x ml.m5.xlarge, 3600 s)');
    expect(outputs.EstimatedCostPerRun.Description).toMatch(/SageMaker pricing/);
  });

  test('no cost output when the price table does not know the instance type', () => {
    expect(synth({ trainingInstanceType: 'ml.r5.24xlarge' }).template.findOutputs('EstimatedCostPerRun')).toEqual({});
  });

  test('a run names its data: the dataset, its manifest and the manifest\'s hash have no defaults', () => {
    const config = testConfig({ data: { s3Prefix: 'raw/churn-eu/' } });
    const app = testApp();
    const data = new DataStack(app, 'churn-data', { config, env: ENV });
    const training = new TrainingStack(app, 'churn-training', { config, env: ENV, lake: data.lake, sourceDirectory: `${REPO_ROOT}/training` });
    const body = only(Template.fromJSON(app.synth().getStackByName(training.stackName).template), 'AWS::SageMaker::Pipeline')
      .properties.PipelineDefinition.PipelineDefinitionBody['Fn::Join'][1]
      .map((part: unknown) => (typeof part === 'string' ? part : '<deploy-time>')).join('');
    for (const name of ['InputDataUri', 'DatasetManifestUri', 'DatasetManifestSha256']) {
      expect(body).toContain(`{"Name":"${name}","Type":"String"}`);
    }
    expect(body).not.toContain(data.gate.validatedDataPrefix);
  });

  test('every resource is tagged with the model and the concern', () => {
    for (const type of ['AWS::SageMaker::Pipeline', 'AWS::SageMaker::ModelPackageGroup', 'AWS::IAM::Role']) {
      expect(only(template, type, PIPELINE_OWN).properties.Tags).toEqual(expect.arrayContaining([
        { Key: 'aidlc:model', Value: 'churn' }, { Key: 'aidlc:concern', Value: 'training' },
      ]));
    }
  });
});
