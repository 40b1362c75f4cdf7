import { judgedConfigs } from './judged-configs';
import { renderPipelineDefinitionForReview } from '../../src/app/stacks/training-pipeline-settings';
import { ResolvedConfig } from '../../src/config';
import { REVIEW_PLACEHOLDERS } from '../../src/constructs/training/review';

/** The placeholders of the review file (`<ArtifactsBucket>` and the like), each as it appears in REVIEW_PLACEHOLDERS. */
export function reviewPlaceholders(): string[] {
  return [...new Set(JSON.stringify(REVIEW_PLACEHOLDERS).match(/<[A-Za-z][A-Za-z0-9]*>/g) ?? [])].sort();
}

/** Values of the kind CloudFormation puts where the review file has placeholders, for a config. */
function deployedValues(config: ResolvedConfig): Record<string, string> {
  const account = config.aws.account ?? '123456789012';
  const region = config.aws.region;
  return {
    '<PipelineRoleArn>': `arn:aws:iam::${account}:role/${config.modelName}-training-TrainingRole4C1607BC-1A2B3C4D5E6F`,
    '<DataLakeKeyArn>': `arn:aws:kms:${region}:${account}:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`,
    '<ArtifactsBucket>': `${config.modelName}-data-lakeartifacts2dd6a05e-1a2b3c4d5e6f`,
    '<ValidatedBucket>': `${config.modelName}-data-lakevalidated5325a476-1a2b3c4d5e6f`,
    '<AssetsBucket>': `cdk-hnb659fds-assets-${account}-${region}`,
    '<SourceArchive>': '70aac765abaff6c28645ad0b82df13edd9654961c4c8c5d90f7b92fbbbf30138.tar.gz',
    '<SplitScript>': '65692fdeba420df424e509d2547087ce6154e977a29e0556d2f72466c28270f9.py',
    '<ModelSignerFunctionArn>': `arn:aws:lambda:${region}:${account}:function:${config.modelName}-training-ModelSignerFunction1A2B3C4D-AbCdEfGh1234`,
    // The created network's security group and private subnets (review.ts writes them only when jobs run in a VPC).
    '<TrainingJobsSecurityGroup>': 'sg-0a1b2c3d4e5f67890',
    ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`<PrivateSubnet${i + 1}>`, `subnet-0${i}1b2c3d4e5f67890`])),
    '<EvaluateScript>': 'ece77a36cecd73420965bb7c01d3331c2c89c51c3d46f0b7e4b0bce2c3d096d4.py',
  };
}

/**
 * The SageMaker Pipeline definition each judged config produces: the review file's render (the
 * test of the review file holds it equal to the deployed one), with deployment-like values where
 * it has placeholders, so that the API's patterns apply.
 */
export function judgedDefinitions(): Array<{ name: string; config: ResolvedConfig; definition: any }> {
  return judgedConfigs().map(({ name, config }) => {
    const values = deployedValues(config);
    const unknown = reviewPlaceholders().filter((p) => values[p] === undefined);
    if (unknown.length > 0) throw new Error(`no deployment-like value for the review placeholder(s) ${unknown.join(', ')}: add one in test/support/judged-pipeline-definitions.ts`);
    const text = renderPipelineDefinitionForReview(config).replace(/<[A-Za-z][A-Za-z0-9]*>/g, (p) => values[p] ?? p);
    return { name, config, definition: JSON.parse(text) };
  });
}

/** Every step of a definition, the steps of condition branches included. */
export function allSteps(steps: any[]): any[] {
  return steps.flatMap((s) => [s, ...(s.Type === 'Condition' ? allSteps([...(s.Arguments?.IfSteps ?? []), ...(s.Arguments?.ElseSteps ?? [])]) : [])]);
}
