import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { DeliveryStack, OIDC_PROVIDER_CONTEXT_KEY } from '../../../src/app/stacks/delivery-stack';
import { ApiAuthorization, ApiEndpointType, AidlcConfigOptions, TrainingFramework } from '../../../src/config';
import { DELIVERY_OUTPUTS } from '../../../src/core/names/delivery-names';
import { testApp } from '../../support/cdk-app';
import { withCompliancePacks } from '../../support/compliance';
import { testConfig } from '../../support/configs';
import { lakeStack } from '../../support/data-lake-stand-in';
import { EU_ENV } from '../../support/environments';
import { privateApiNetworkStack } from '../../support/networks';

/** The delivery stack of a config, over a stand-in lake. */
function deliveryApp(overrides: Partial<AidlcConfigOptions> = {}, context: Record<string, string> = {}) {
  const app = testApp(context);
  const config = testConfig(overrides, EU_ENV);
  const { lake } = lakeStack(app, EU_ENV);
  // A private API's smoke test runs in the network, which the app hands to the delivery stack.
  const network = config.serving.api.endpointType === ApiEndpointType.PRIVATE ? { network: privateApiNetworkStack(app) } : {};
  const stack = new DeliveryStack(app, 'churn-delivery', { config, lake, env: { account: config.aws.account, region: config.aws.region }, ...network });
  return { app, config, stack };
}

function synth(overrides: Partial<AidlcConfigOptions> = {}, context: Record<string, string> = {}): { stack: DeliveryStack; template: Template } {
  const { stack } = deliveryApp(overrides, context);
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synth();
const pipeline = () => Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;

test('outputs the role ARNs, the pipeline and the token secret under the names the CLI reads', () => {
  const outputs = template.toJSON().Outputs;
  expect(Object.keys(outputs).sort()).toEqual(Object.values(DELIVERY_OUTPUTS).sort());
  expect(outputs.GithubReadRoleArn.Value).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(stack.oidc.readRole.node.defaultChild as any), 'Arn'] });
  expect(outputs.GithubDeployRoleArn.Value).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(stack.oidc.deployRole.node.defaultChild as any), 'Arn'] });
  expect(outputs.DeliveryPipelineName.Value).toEqual({ Ref: expect.stringMatching(/^Pipeline/) });
  expect(outputs.GithubStatusTokenSecretArn.Value).toEqual({ Ref: expect.stringMatching(/^GithubStatusToken/) });
});

test('names, stages and trust come from the config', () => {
  expect(pipeline().Name).toBe('churn-delivery');
  expect(pipeline().Stages.map((s: any) => s.Name)).toEqual(['Source', 'Gate', 'Train', 'Approve', 'Deploy-staging', 'Deploy-prod', 'Monitor']);
  const deployRole = template.toJSON().Resources[stack.getLogicalId(stack.oidc.deployRole.node.defaultChild as any)];
  const deployTrust = JSON.stringify(deployRole.Properties.AssumeRolePolicyDocument);
  expect(deployTrust).toContain('repo:acme/churn:environment:staging');
  expect(deployTrust).toContain('repo:acme@*/churn@*:environment:prod');
});

test('the deploy role may start and follow the pipeline', () => {
  const deployRole = stack.getLogicalId(stack.oidc.deployRole.node.defaultChild as any);
  const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => p.Properties.Roles[0].Ref === deployRole)!;
  const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
  expect(actions).toEqual(expect.arrayContaining(['codepipeline:StartPipelineExecution', 'codepipeline:GetPipelineExecution', 'codepipeline:ListActionExecutions', 'codepipeline:GetPipeline']));
});

test('three stages, one without approval, a longer Spot wait, a custom image, an existing provider', () => {
  const { template: t } = synth({
    deployment: { stages: [{ name: 'dev' }, { name: 'staging', requireApproval: true }, { name: 'prod', canary: true, instanceCount: 2 }] },
    training: { framework: TrainingFramework.CUSTOM, maxRuntimeSeconds: 7200, maxWaitSeconds: 14400, customImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-train:1.4' },
  }, { [OIDC_PROVIDER_CONTEXT_KEY]: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
  const p = Object.values(t.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
  expect(p.Stages.map((s: any) => [s.Name, s.Actions.length])).toEqual([
    // Each Deploy stage: (Promote,) Deploy, SmokeTest of the stage's inference API.
    ['Source', 1], ['Gate', 1], ['Train', 1], ['Approve', 2], ['Deploy-dev', 2], ['Deploy-staging', 3], ['Deploy-prod', 3], ['Monitor', 1],
  ]);
  const timeouts = Object.values(t.findResources('AWS::CodeBuild::Project')).map((x: any) => x.Properties.TimeoutInMinutes);
  expect(timeouts).toContain((14400 + 3600) / 60);
  t.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  expect(JSON.stringify(t.toJSON())).toContain(':ecr:eu-west-1:123456789012:repository/churn-train');
});

test('a placeholder connection deploys, with a warning that says what to set', () => {
  const { stack: s } = synth({ githubConnectionArn: undefined });
  const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('githubConnectionArn'));
  expect(warnings).toHaveLength(1);
  expect(JSON.stringify(warnings[0].entry.data)).toContain('create a CodeConnections connection to GitHub');
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('githubConnectionArn'))).toEqual([]);
});

describe('smoke tests after each deploy', () => {
  test('smoke-tests every stage when the config has an inference API, tagging by the model', () => {
    expect(stack.pipeline.smokeTestProject).toBeDefined();
    expect(deliveryApp({ serving: { api: { enabled: false } } }).stack.pipeline.smokeTestProject).toBeUndefined();
  });

  test('a private API\'s smoke test runs in the network it is given, and there is no such smoke test without one', () => {
    const app = testApp();
    const config = testConfig({ serving: { api: { endpointType: ApiEndpointType.PRIVATE } } }, EU_ENV);
    const { lake } = lakeStack(app, EU_ENV);
    const env = { account: config.aws.account, region: config.aws.region };
    expect(() => new DeliveryStack(app, 'churn-delivery-without', { config, lake, env })).toThrow(/inference API is PRIVATE.*pass it as `network`/);
    const vpcConfigOf = (delivery: DeliveryStack) => {
      const id = delivery.getLogicalId(delivery.pipeline.smokeTestProject!.node.defaultChild as any);
      return Template.fromStack(delivery).toJSON().Resources[id].Properties.VpcConfig;
    };
    expect(vpcConfigOf(new DeliveryStack(app, 'churn-delivery', { config, lake, env, network: privateApiNetworkStack(app) }))).toBeDefined();
    // A regional API keeps it outside.
    expect(vpcConfigOf(deliveryApp().stack)).toBeUndefined();
  });

  test('passes the four packs and the app\'s compliance set with smoke tests, IAM and Cognito alike, and inside the network for a private API', () => {
    const variants: Partial<AidlcConfigOptions>[] = [
      { serving: { api: { authorization: ApiAuthorization.IAM } } },
      { serving: { api: { authorization: ApiAuthorization.COGNITO } } },
      { serving: { api: { endpointType: ApiEndpointType.PRIVATE } } },
    ];
    for (const overrides of variants) {
      const packs = deliveryApp(overrides);
      withCompliancePacks(packs.app);
      expect(() => packs.app.synth()).not.toThrow();
      const all = deliveryApp(overrides);
      applyCompliance(all.app, all.config);
      expect(() => all.app.synth()).not.toThrow();
    }
  });
});
