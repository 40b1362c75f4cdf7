import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeliveryPipeline, DeliverySmokeTests } from '../../../src/constructs/delivery/delivery-pipeline';
import { testApp } from '../../support/cdk-app';
import { deliveryPipelineProps } from '../../support/delivery-pipelines';
import { EU_ENV } from '../../support/environments';
import { privateApiNetworkStack } from '../../support/networks';


function build(smokeTests?: DeliverySmokeTests, app = testApp()) {
  const stack = new Stack(app, 'Delivery', { env: EU_ENV });
  const pipeline = new DeliveryPipeline(stack, 'Pipeline', deliveryPipelineProps(stack, smokeTests ? { smokeTests } : {}));
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
  const network = privateApiNetworkStack(app);
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
