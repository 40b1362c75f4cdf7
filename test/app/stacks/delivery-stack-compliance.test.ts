import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { DeliveryStack } from '../../../src/app/stacks/delivery-stack';
import { TrainingFramework } from '../../../src/config';
import { testApp } from '../../support/cdk-app';
import { nagFindings, withCompliancePacks } from '../../support/compliance';
import { testConfig } from '../../support/configs';
import { lakeStack } from '../../support/data-lake-stand-in';
import { EU_ENV } from '../../support/environments';

function deliveryApp(configure?: (stack: DeliveryStack) => void) {
  const app = testApp();
  const config = testConfig({ training: { framework: TrainingFramework.CUSTOM, customImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-train:1' } }, EU_ENV);
  const { lake } = lakeStack(app, EU_ENV);
  const stack = new DeliveryStack(app, 'churn-delivery', { config, lake, env: { account: config.aws.account, region: config.aws.region } });
  configure?.(stack);
  return { app, stack };
}

test('the delivery stack passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with its acknowledgements', () => {
  const { app } = deliveryApp();
  withCompliancePacks(app);
  expect(() => app.synth()).not.toThrow();
});

test('it also passes the app\'s whole compliance set: the packs from the config, the Control Tower controls, the least-privilege audit', () => {
  const { app } = deliveryApp();
  applyCompliance(app, testConfig({}, EU_ENV));
  expect(() => app.synth()).not.toThrow();
});

test('acknowledgements are finding by finding: a new wildcard in a step\'s role is reported', () => {
  const { app } = deliveryApp((stack) => {
    stack.pipeline.trainProject.addToRolePolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  });
  expect(nagFindings(app)).toEqual(expect.arrayContaining([
    'AwsSolutions-IAM5[Action::s3:*] churn-delivery/Pipeline/Train/Role/DefaultPolicy/Resource',
    'AwsSolutions-IAM5[Resource::*] churn-delivery/Pipeline/Train/Role/DefaultPolicy/Resource',
  ]));
});

test('an allowance holds only where it was given: a wildcard the read role may have is reported on the deploy role', () => {
  const { app } = deliveryApp((stack) => {
    stack.oidc.deployRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] }));
    stack.pipeline.deployProject.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [stack.pipeline.artifactBucket.arnForObjects('*'), 'arn:aws:s3:::elsewhere/*'] }));
  });
  const findings = nagFindings(app);
  expect(findings).toContain('AwsSolutions-IAM5[Resource::*] churn-delivery/GithubOidc/DeployRole/DefaultPolicy/Resource');
  expect(findings).toContain('AwsSolutions-IAM5[Resource::arn:aws:s3:::elsewhere/*] churn-delivery/Pipeline/Deploy/Role/DefaultPolicy/Resource');
  expect(findings.filter((f) => f.includes('churn-delivery'))).toHaveLength(2);
});

test('with the packs registered, synthesis fails on such a finding', () => {
  const { app } = deliveryApp((stack) => {
    stack.oidc.deployRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] }));
  });
  withCompliancePacks(app);
  expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
});

test('every acknowledgement carries a reason', () => {
  const { app } = deliveryApp();
  const pack = new AwsSolutionsChecks(app);
  app.synth();
  pack.validateScope(app);
  const acknowledged = app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data as Record<string, string>));
  const reasons = acknowledged.flatMap((entry) => Object.values(entry));
  expect(reasons.length).toBeGreaterThan(10);
  for (const reason of reasons) expect(reason.length).toBeGreaterThan(60);
});
