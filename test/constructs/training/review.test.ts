import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MonitoringStack } from '../../../src/app/stacks/monitoring-stack';
import { NetworkStack } from '../../../src/app/stacks/network-stack';
import { renderPipelineDefinitionForReview } from '../../../src/app/stacks/training-pipeline-settings';
import { TrainingStack } from '../../../src/app/stacks/training-stack';
import { ColumnType } from '../../../src/config';
import { NetworkMode } from '../../../src/config/enums';
import { ResolvedConfig } from '../../../src/config/resolved';
import { defaultBaselineProfileKey } from '../../../src/constructs/training/training-spec';
import { testApp } from '../../support/cdk-app';
import { testConfig } from '../../support/configs';
import { IMPORTED, importedLake } from '../../support/data-lake-stand-in';
import { ENV } from '../../support/environments';
import { TRAINING_DIR } from '../../support/repo-paths';
import { only, PIPELINE_OWN } from '../../support/template-queries';

/** The definition the training stack deploys for a config, with deployment values written as the review placeholders. */
function deployedAsReviewed(config: ResolvedConfig): unknown {
  const app = testApp();
  const env = { account: ENV.account, region: config.aws.region };
  const lakeStack = new Stack(app, 'Lake', { env });
  Validations.of(lakeStack).acknowledge({ id: 'CloudFormation-Validate::F0001', reason: 'The stand-in lake stack only imports existing buckets and a key.' });
  const lake = importedLake(lakeStack);
  const network = config.network.mode === NetworkMode.NONE ? undefined : new NetworkStack(app, 'Network', { config, env }).network;
  const stack = new TrainingStack(app, 'Training', { config, env, lake, sourceDirectory: TRAINING_DIR, network });
  const pipeline = stack.pipeline;
  const template = Template.fromJSON(app.synth().getStackByName(stack.stackName).template);
  const body = only(template, 'AWS::SageMaker::Pipeline').properties.PipelineDefinition.PipelineDefinitionBody;
  const roleId = only(template, 'AWS::IAM::Role', PIPELINE_OWN).id;
  const signerId = only(template, 'AWS::Lambda::Function').id;
  const sgId = stack.pipeline.securityGroup ? stack.resolve((stack.pipeline.securityGroup.node.defaultChild as any).logicalId) : undefined;
  const subnets = (network?.subnetIds ?? []).map((s) => JSON.stringify(stack.resolve(s)));
  let text: string = body['Fn::Join'][1].map((part: any) => {
    if (typeof part === 'string') return part;
    if (JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] })) return '<PipelineRoleArn>';
    if (JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [signerId, 'Arn'] })) return '<ModelSignerFunctionArn>';
    if (sgId && JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [sgId, 'GroupId'] })) return '<TrainingJobsSecurityGroup>';
    if (subnets.includes(JSON.stringify(part))) return `<PrivateSubnet${subnets.indexOf(JSON.stringify(part)) + 1}>`;
    throw new Error(`unexpected token ${JSON.stringify(part)}`);
  }).join('');
  const replacements: [string, string][] = [
    [IMPORTED.keyArn, '<DataLakeKeyArn>'],
    [IMPORTED.validated, '<ValidatedBucket>'],
    [IMPORTED.artifacts, '<ArtifactsBucket>'],
    [`cdk-hnb659fds-assets-${ENV.account}-${config.aws.region}`, '<AssetsBucket>'],
    [pipeline.sourceArchive.s3ObjectKey, '<SourceArchive>'],
    [pipeline.splitScript.s3ObjectKey, '<SplitScript>'],
    [pipeline.evaluateScript.s3ObjectKey, '<EvaluateScript>'],
  ];
  for (const [value, placeholder] of replacements) text = text.split(value).join(placeholder);
  return JSON.parse(text);
}

function pythonHyperparameters(config: ResolvedConfig): Record<string, string> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-review-'));
  const file = path.join(folder, 'aidlc.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const out = execFileSync('/usr/bin/python3', [path.join(TRAINING_DIR, 'run_local.py'), '--config', file, '--print-hyperparameters'], { encoding: 'utf-8' });
  return JSON.parse(out);
}

function trainHyperparameters(review: string): Record<string, string> {
  const train = JSON.parse(review).Steps.find((s: any) => s.Name === 'Train');
  return Object.fromEntries(Object.entries(train.Arguments.HyperParameters as Record<string, string>)
    .map(([k, v]) => [k, JSON.parse(v)])
    .filter(([k]) => !k.startsWith('sagemaker_')));
}

const CONFIGS: [string, ResolvedConfig][] = [
  ['the defaults', testConfig()],
  ['on-demand rmse with caching and its own hyperparameters', testConfig({ training: { useSpot: false, evaluationMetric: 'rmse', metricThreshold: 20, cacheSteps: true, hyperparameters: { num_round: '80', objective: 'reg:squarederror' } } })],
  ['a contract without key columns, in another region', testConfig({
    training: { evaluationMetric: 'f1', checkpointIntervalRounds: 25 },
    awsRegion: 'eu-west-1',
    data: {
      contract: {
        targetColumn: 'label',
        columns: [
          { name: 'seen_at', type: ColumnType.TIMESTAMP },
          { name: 'score', type: ColumnType.FLOAT },
          { name: 'segment', type: ColumnType.STRING },
          { name: 'active', type: ColumnType.BOOL },
          { name: 'label', type: ColumnType.INT, allowedValues: ['0', '1'] },
        ],
      },
    },
  })],
];

describe('renderPipelineDefinitionForReview', () => {
  const review = renderPipelineDefinitionForReview(testConfig());

  test('is pretty, deterministic JSON with readable placeholders and no unresolved tokens', () => {
    expect(review).toBe(renderPipelineDefinitionForReview(testConfig()));
    expect(review.endsWith('}\n')).toBe(true);
    expect(review.split('\n')[1]).toBe('  "Version": "2020-12-01",');
    for (const placeholder of ['<PipelineRoleArn>', '<DataLakeKeyArn>', '<ArtifactsBucket>', '<AssetsBucket>', '<SourceArchive>', '<SplitScript>', '<EvaluateScript>', '<ModelSignerFunctionArn>']) {
      expect(review).toContain(placeholder);
    }
    expect(review).not.toMatch(/\$\{Token\[|Fn::|"Ref"/);
  });

  test.each(CONFIGS)('equals the deployed definition, modulo placeholders, for %s', (_name, config) => {
    expect(deployedAsReviewed(config)).toEqual(JSON.parse(renderPipelineDefinitionForReview(config)));
  });

  test.each(CONFIGS)('passes the hyperparameters training/run_local.py derives, for %s', (_name, config) => {
    expect(trainHyperparameters(renderPipelineDefinitionForReview(config))).toEqual(pythonHyperparameters(config));
  });

  test('changes where the config changes, and only there', () => {
    const other = renderPipelineDefinitionForReview(testConfig({ trainingInstanceType: 'ml.c5.2xlarge' }));
    const changed = other.split('\n').filter((line, i) => line !== review.split('\n')[i]);
    expect(changed).toEqual(['          "InstanceType": "ml.c5.2xlarge",']);
  });

  test('the default baseline profile is where the monitoring stack reads it', () => {
    expect(defaultBaselineProfileKey('churn')).toBe(MonitoringStack.baselineProfileKey('churn'));
    expect(review).toContain('"DefaultValue": "s3://<ArtifactsBucket>/baselines/churn/profile.json"');
  });

  test('refuses a region the image map does not know', () => {
    const config = testConfig();
    expect(() => renderPipelineDefinitionForReview({ ...config, aws: { region: 'mars-north-1' } })).toThrow(/no xgboost 1.7-1 image is known/);
  });
});
