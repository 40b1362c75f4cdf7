import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LakeStandIn, lakeStack, testApp, testConfig, withCompliancePacks } from './stand-in';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { DeliveryStack } from '../../../src/app/stacks/delivery-stack';
import { AidlcConfigOptions, ApiAuthorization, ApiEndpointType } from '../../../src/config';
import { DeliveryPipeline, DeliverySmokeTests } from '../../../src/constructs/delivery/delivery-pipeline';
import { ModelNetwork } from '../../../src/constructs/network/model-network';
import { acknowledgeNetworkProviders } from '../../../src/constructs/network/network-acknowledgements';
import { testNetwork } from '../network/helpers';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/** A created network in a stack of its own, with the endpoints a private API's smoke test calls, as the network stack makes it. */
function networkStack(app = testApp()): ModelNetwork {
  const stack = new Stack(app, 'Network', { env: ENV });
  const network = testNetwork(stack, { interfaceEndpoints: ['execute-api', 'cloudformation', 'apigateway', 'logs'] });
  acknowledgeNetworkProviders(stack);
  return network;
}

function build(smokeTests?: DeliverySmokeTests, app = testApp()) {
  const stack = new Stack(app, 'Delivery', { env: ENV });
  const pipeline = new DeliveryPipeline(stack, 'Pipeline', {
    pipelineName: 'churn-delivery',
    connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0b2c7a1e-1d2f-4c3b-9a8d-7e6f5a4b3c2d',
    repositoryOwner: 'acme',
    repositoryName: 'churn',
    lake: new LakeStandIn(stack, 'Lake'),
    datasetKey: 'raw/churn/train.csv',
    baselineProfileKey: 'baselines/churn/profile.json',
    trainingPipelineName: 'churn-training',
    modelPackageGroupName: 'churn',
    stages: [
      { name: 'staging', stackName: 'churn-serving-staging' },
      { name: 'prod', stackName: 'churn-serving-prod', requireApproval: true },
    ],
    monitoringStackName: 'churn-monitoring',
    ...(smokeTests ? { smokeTests } : {}),
  });
  const template = Template.fromStack(stack);
  const stages = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
  return { pipeline, template, stages };
}

const SMOKE = { modelTagKey: 'aidlc:model', modelTagValue: 'churn' };

function smokeStatements(template: Template): any[] {
  const projects = template.findResources('AWS::CodeBuild::Project');
  const id = Object.keys(projects).find((k) => /^Calls a stage's inference API/.test(projects[k].Properties.Description))!;
  const roleId = projects[id].Properties.ServiceRole['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('smoke tests after each deploy', () => {
  const { pipeline, template, stages } = build(SMOKE);

  test('each Deploy stage runs the smoke test after its deploy; prod (after its approval) only once staging\'s passed', () => {
    expect(stages.map((s: any) => [s.Name, s.Actions.map((a: any) => `${a.Name}:${a.RunOrder}`)])).toEqual([
      ['Source', ['GitHub:1']],
      ['Gate', ['DataGate:1']],
      ['Train', ['TrainAndRegister:1']],
      ['Approve', ['ApproveModel:1', 'RecordApproval:2']],
      ['Deploy-staging', ['Deploy:1', 'SmokeTest:2']],
      ['Deploy-prod', ['Promote:1', 'Deploy:2', 'SmokeTest:3']],
      ['Monitor', ['DeployMonitoring:1']],
    ]);
    // CodePipeline runs stages in order and stops at a failed action: a failing staging smoke
    // test leaves Deploy-prod unstarted.
    const names = stages.map((s: any) => s.Name);
    expect(names.indexOf('Deploy-staging')).toBeLessThan(names.indexOf('Deploy-prod'));
  });

  test('the smoke test gets the stage and its stack, and runs aidlc smoke-test on the source', () => {
    const action = (stage: string) => stages.find((s: any) => s.Name === stage).Actions.find((a: any) => a.Name === 'SmokeTest');
    for (const [stage, stack] of [['staging', 'churn-serving-staging'], ['prod', 'churn-serving-prod']]) {
      expect(JSON.parse(action(`Deploy-${stage}`).Configuration.EnvironmentVariables)).toEqual([
        { name: 'STAGE', type: 'PLAINTEXT', value: stage },
        { name: 'STACK', type: 'PLAINTEXT', value: stack },
      ]);
      expect(action(`Deploy-${stage}`).InputArtifacts).toEqual([{ Name: 'Source' }]);
    }
    const project = template.toJSON().Resources[Stack.of(pipeline).getLogicalId(pipeline.smokeTestProject!.node.defaultChild as any)];
    const spec = JSON.parse(project.Properties.Source.BuildSpec);
    expect(spec.phases.build.commands).toEqual(['npx aidlc smoke-test --stage "$STAGE" --stack "$STACK" --summary smoke-test.md']);
    expect(spec.phases.install.commands).toEqual(['npm ci --no-audit --no-fund']);
  });

  test('the smoke test may read the serving stacks, call POST /invocations of each stage, and read only its own API key', () => {
    const statements = smokeStatements(template);
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(bySid('ReadServingStackOutputs')).toMatchObject({ Action: 'cloudformation:DescribeStacks' });
    expect(JSON.stringify(bySid('ReadServingStackOutputs').Resource)).toMatch(/stack\/churn-serving-staging\/\*.*stack\/churn-serving-prod\/\*/);
    expect(bySid('CallTheInferenceApis').Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(bySid('CallTheInferenceApis').Resource)).toMatch(/execute-api:eu-west-1:123456789012:\*\/staging\/POST\/invocations.*\*\/prod\/POST\/invocations/);
    expect(bySid('ReadTheSmokeTestApiKey')).toMatchObject({
      Action: 'apigateway:GET',
      Condition: { StringEquals: { 'aws:ResourceTag/aidlc:model': 'churn', 'aws:ResourceTag/aidlc:api-credential': 'smoke-test' } },
    });
    expect(JSON.stringify(bySid('ReadTheSmokeTestApiKey').Resource)).toContain(':apigateway:eu-west-1::/apikeys/*');
    expect(bySid('ReadTheSmokeTestClientSecret')).toBeUndefined();
  });

  test('with Cognito, it may also read its app client\'s secret, from the model\'s user pools only', () => {
    const statements = smokeStatements(build({ ...SMOKE, cognito: true }).template);
    expect(statements.find((s) => s.Sid === 'ReadTheSmokeTestClientSecret')).toMatchObject({
      Action: 'cognito-idp:DescribeUserPoolClient',
      Condition: { StringEquals: { 'aws:ResourceTag/aidlc:model': 'churn' } },
    });
  });

  test('without smokeTests there is no smoke test project or action', () => {
    const plain = build();
    expect(plain.pipeline.smokeTestProject).toBeUndefined();
    expect(JSON.stringify(plain.stages)).not.toContain('SmokeTest');
  });
});

describe('the smoke test of a private API, inside the network', () => {
  const app = testApp();
  const network = networkStack(app);
  const { pipeline, template, stages } = build({ ...SMOKE, network }, app);
  const resources = template.toJSON().Resources;
  const logicalId = (construct: any) => Stack.of(pipeline).getLogicalId(construct.node.defaultChild as any);
  const smoke = () => resources[logicalId(pipeline.smokeTestProject!)];

  test('each Deploy action hands on the bundled CLI, which its smoke test takes as primary input beside the source', () => {
    const actions = (stage: string) => stages.find((s: any) => s.Name === stage).Actions;
    for (const stage of ['staging', 'prod']) {
      const deploy = actions(`Deploy-${stage}`).find((a: any) => a.Name === 'Deploy');
      const test = actions(`Deploy-${stage}`).find((a: any) => a.Name === 'SmokeTest');
      expect(deploy.OutputArtifacts).toEqual([{ Name: `Cli_${stage}` }]);
      expect(test.InputArtifacts).toEqual([{ Name: `Cli_${stage}` }, { Name: 'Source' }]);
      expect(test.RunOrder).toBeGreaterThan(deploy.RunOrder);
    }
    // The Deploy project's buildspec names its artifacts: every action of it names an output.
    expect(actions('Monitor')[0].OutputArtifacts).toEqual([{ Name: 'Cli_Monitor' }]);
    const deploySpec = JSON.parse(resources[logicalId(pipeline.deployProject)].Properties.Source.BuildSpec);
    expect(deploySpec.artifacts).toEqual({ 'base-directory': 'node_modules/aidlc-pipeline/lib/assets/cli', 'files': ['**/*'] });
    expect(deploySpec.phases.install.commands).toEqual(['npm ci --no-audit --no-fund']);
    expect(resources[logicalId(pipeline.deployProject)].Properties.VpcConfig).toBeUndefined();
  });

  test('runs the CLI from the artifact with the image\'s Node.js, on the source, installing nothing', () => {
    const spec = JSON.parse(smoke().Properties.Source.BuildSpec);
    expect(spec.phases).toEqual({
      install: { 'runtime-versions': { nodejs: '22' } },
      build: { commands: ['cd "$CODEBUILD_SRC_DIR_Source"', 'node "$CODEBUILD_SRC_DIR/aidlc.js" smoke-test --stage "$STAGE" --stack "$STACK" --summary smoke-test.md'] },
    });
    expect(smoke().Properties.Description).toContain('from inside the model\'s network');
  });

  test('in the network\'s private subnets, with a security group of its own that admits nothing and sends HTTPS to the endpoints and S3 only', () => {
    const vpcConfig = smoke().Properties.VpcConfig;
    expect(vpcConfig.Subnets).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/^Network:.*Subnet1/) }, { 'Fn::ImportValue': expect.stringMatching(/^Network:.*Subnet2/) }]);
    const groupId = vpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
    expect(vpcConfig.SecurityGroupIds).toHaveLength(1);
    expect(resources[groupId].Properties.SecurityGroupIngress).toBeUndefined();
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r: any) => r.Properties).filter((r) => r.GroupId['Fn::GetAtt'][0] === groupId);
    expect(egress.map((r) => [r.DestinationPrefixListId ?? 'endpoints', r.FromPort, r.ToPort])).toEqual([['pl-63a5400a', 443, 443], ['endpoints', 443, 443]]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] }, FromPort: 443, ToPort: 443 });
  });

  test('its role manages the build\'s network interfaces only in those subnets, with that group; "*" only for EC2 Describe*', () => {
    const statements = smokeStatements(template);
    const wildcard = statements.filter((st) => st.Resource === '*');
    expect(wildcard.flatMap((st) => [st.Action].flat()).every((a: string) => a.startsWith('ec2:Describe'))).toBe(true);
    const create = statements.find((st) => st.Sid === 'CreateInterfacesInPrivateSubnets');
    expect(create.Action).toBe('ec2:CreateNetworkInterface');
    expect(JSON.stringify(create.Resource)).toMatch(/network-interface\/\*.*subnet\/.*Subnet1.*subnet\/.*Subnet2.*security-group\//);
    expect(statements.find((st) => st.Sid === 'DeleteBuildInterfaces')).toMatchObject({ Action: 'ec2:DeleteNetworkInterface' });
    // aws-cdk-lib's own statement that lets CodeBuild attach the interface, conditioned on the subnets.
    expect(statements.find((st) => st.Action === 'ec2:CreateNetworkInterfacePermission').Condition.StringEquals['ec2:AuthorizedService']).toBe('codebuild.amazonaws.com');
  });
});

describe('the delivery stack', () => {
  function deliveryApp(overrides: Partial<AidlcConfigOptions> = {}) {
    const app = testApp();
    const config = testConfig(overrides);
    const { lake } = lakeStack(app, config);
    const network = config.serving.api.endpointType === ApiEndpointType.PRIVATE ? { network: networkStack(app) } : {};
    const stack = new DeliveryStack(app, 'churn-delivery', { config, lake, env: { account: config.aws.account, region: config.aws.region }, ...network });
    return { app, stack, config };
  }

  test('smoke-tests every stage when the config has an inference API, tagging by the model', () => {
    const { stack } = deliveryApp();
    expect(stack.pipeline.smokeTestProject).toBeDefined();
    expect(deliveryApp({ serving: { api: { enabled: false } } }).stack.pipeline.smokeTestProject).toBeUndefined();
  });

  test('a private API\'s smoke test runs in the network it is given, and there is no such smoke test without one', () => {
    const app = testApp();
    const config = testConfig({ serving: { api: { endpointType: ApiEndpointType.PRIVATE } } });
    const { lake } = lakeStack(app, config);
    const env = { account: config.aws.account, region: config.aws.region };
    expect(() => new DeliveryStack(app, 'churn-delivery-without', { config, lake, env })).toThrow(/inference API is PRIVATE.*pass it as `network`/);
    const vpcConfigOf = (delivery: DeliveryStack) => {
      const id = delivery.getLogicalId(delivery.pipeline.smokeTestProject!.node.defaultChild as any);
      return Template.fromStack(delivery).toJSON().Resources[id].Properties.VpcConfig;
    };
    expect(vpcConfigOf(new DeliveryStack(app, 'churn-delivery', { config, lake, env, network: networkStack(app) }))).toBeDefined();
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
