import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack, PCIDSS321Checks } from 'cdk-nag';
import { TrainingStack } from '../../../src/app/stacks/training-stack';
import { TrainingFramework, TrainingOptions } from '../../../src/config';
import { auditIam } from '../../../src/core/templates/iam-audit';
import { auditNetworkIsolation } from '../../../src/core/templates/network-audit';
import { testApp } from '../../support/cdk-app';
import { withCompliancePacks } from '../../support/compliance';
import { testConfig } from '../../support/configs';
import { lakeStack } from '../../support/data-lake-stand-in';
import { ENV } from '../../support/environments';
import { TRAINING_DIR } from '../../support/repo-paths';

function trainingApp(training: TrainingOptions = {}): { app: App; stack: TrainingStack } {
  const app = withCompliancePacks(testApp());
  const { lake } = lakeStack(app);
  const stack = new TrainingStack(app, 'churn-training', { config: testConfig({ training }), env: ENV, lake, sourceDirectory: TRAINING_DIR });
  return { app, stack };
}

const PACKS: [string, (app: App) => NagPack][] = [
  ['AwsSolutions', (app) => new AwsSolutionsChecks(app)],
  ['HIPAA.Security', (app) => new HIPAASecurityChecks(app)],
  ['NIST.800.53.R5', (app) => new NIST80053R5Checks(app)],
  ['PCI.DSS.321', (app) => new PCIDSS321Checks(app)],
];

describe('compliance packs on the training stack', () => {
  const { app } = trainingApp();

  test('synthesis with the four cdk-nag packs raises no unacknowledged finding', () => {
    expect(() => app.synth()).not.toThrow();
  });

  test.each(PACKS)('%s reports no violation', (_name, pack) => {
    expect(pack(app).validateScope(app).violations).toEqual([]);
  });

  test('the package\'s own least-privilege and network isolation audits find nothing, and see every job', () => {
    const stacks = [{ stackName: 'churn-training', template: app.synth().getStackByName('churn-training').template }];
    const leastPrivilege = auditIam(stacks);
    expect(leastPrivilege.findings).toEqual([]);
    expect(leastPrivilege.statementsChecked).toBeGreaterThanOrEqual(13);
    const network = auditNetworkIsolation(stacks);
    expect(network.findings).toEqual([]);
    expect(network.jobsChecked.map((j) => `${j.kind}:${j.name}`)).toEqual(['processing:Split', 'training:Train', 'processing:Evaluate']);
  });

  test('with Spot off and a custom image, still no finding', () => {
    const custom = trainingApp({ useSpot: false, framework: TrainingFramework.CUSTOM, customImageUri: '222222222222.dkr.ecr.us-east-1.amazonaws.com/churn-train:2.0' });
    expect(() => custom.app.synth()).not.toThrow();
  });

  test('a wildcard nobody declared is still a finding', () => {
    const widened = trainingApp();
    widened.stack.pipeline.policy.addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::someone-elses-bucket/*'] }));
    expect(() => widened.app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:s3:::someone-elses-bucket\/\*\]/);
  });

  test('the pipeline policy acknowledges exactly its declared wildcards, each with a reason', () => {
    const policy = trainingApp().stack.pipeline.policy;
    (policy.node.root as App).synth();
    const acknowledged: Record<string, string> = Object.assign({}, ...policy.node.metadata
      .filter((m) => /acknowledge/i.test(m.type))
      .map((m) => m.data as Record<string, string>));
    const ids = Object.keys(acknowledged).map((k) => k.replace(/^Annotation::/, '')).sort();
    expect(ids).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::Lake:ExportsOutputFnGetAttLakeArtifacts2DD6A05EArnB847AC00/baselines/churn/*]',
      'AwsSolutions-IAM5[Resource::Lake:ExportsOutputFnGetAttLakeArtifacts2DD6A05EArnB847AC00/pipelines/churn-training/*]',
      'AwsSolutions-IAM5[Resource::Lake:ExportsOutputFnGetAttLakeValidated5325A476Arn71BD8BB0/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:111111111111:log-group:/aws/sagemaker/ProcessingJobs:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:111111111111:log-group:/aws/sagemaker/TrainingJobs:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:us-east-1:111111111111:model-package/churn/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:us-east-1:111111111111:processing-job/pipelines-*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:us-east-1:111111111111:training-job/pipelines-*]',
    ]);
    for (const reason of Object.values(acknowledged)) expect(reason.length).toBeGreaterThan(60);
  });
});
