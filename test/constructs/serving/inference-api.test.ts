import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ControlTowerPlugin } from '../../../src/app/compliance/control-tower';
import { GuardrailsPlugin } from '../../../src/app/compliance/guardrails-plugin';
import { ApiGatewayLogRole } from '../../../src/constructs/serving/api-gateway-log-role';
import { InferenceApi, InferenceApiProps } from '../../../src/constructs/serving/inference-api';
import { InferenceUserPool } from '../../../src/constructs/serving/inference-user-pool';
import { requestSchemaOf } from '../../../src/core/request-schema';
import { templateOf, testApp, testStack } from '../../support/cdk-app';
import { validationFindings, withCompliancePacks } from '../../support/compliance';
import { testConfig } from '../../support/configs';
import { ENV } from '../../support/environments';

const SCHEMA = requestSchemaOf(testConfig()) as apigw.JsonSchema;

type Extra = (stack: Stack) => Partial<InferenceApiProps>;

function build(extra: Extra = () => ({}), options: { compliance?: boolean } = {}) {
  const app = testApp();
  if (options.compliance) {
    withCompliancePacks(app);
    Validations.of(app).addPlugins(new ControlTowerPlugin(), new GuardrailsPlugin());
  }
  const stack = testStack('Serving', app);
  const alerts = sns.Topic.fromTopicArn(stack, 'Alerts', `arn:aws:sns:${ENV.region}:${ENV.account}:churn-alerts`);
  const api = new InferenceApi(stack, 'Api', {
    restApiName: 'churn-prod-api',
    stageName: 'prod',
    endpointName: 'churn-prod',
    requestSchema: SCHEMA,
    alarmAction: new actions.SnsAction(alerts),
    ...extra(stack),
  });
  return { app, stack, api, template: () => templateOf(app, stack) };
}

const only = <T>(t: Template, type: string): T => {
  const found = Object.values(t.findResources(type));
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: T }).Properties;
};

describe('InferenceApi', () => {
  const defaults = build();
  const t = defaults.template();
  const method = only<any>(t, 'AWS::ApiGateway::Method');
  const stage = only<any>(t, 'AWS::ApiGateway::Stage');

  test('a regional REST API with a fixed name that refuses TLS below 1.2', () => {
    expect(only<any>(t, 'AWS::ApiGateway::RestApi')).toMatchObject({
      Name: 'churn-prod-api',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      ApiKeySourceType: 'HEADER',
    });
    expect(only<any>(t, 'AWS::ApiGateway::RestApi').Policy).toBeUndefined();
    t.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('one method, POST /invocations: IAM signatures, an API key, the body validated against the request model', () => {
    expect(method).toMatchObject({
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      ApiKeyRequired: true,
      RequestParameters: { 'method.request.header.Content-Type': true },
    });
    t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'invocations' });
    expect(only<any>(t, 'AWS::ApiGateway::RequestValidator')).toMatchObject({ ValidateRequestBody: true, ValidateRequestParameters: true });
    const model = only<any>(t, 'AWS::ApiGateway::Model');
    expect(model).toMatchObject({ ContentType: 'application/json', Name: 'InferenceRequest' });
    expect(model.Schema).toEqual(SCHEMA);
    expect(method.RequestModels['application/json']).toEqual({ Ref: expect.stringMatching(/RequestModel/) });
  });

  test('the integration calls InvokeEndpoint on the one endpoint, JSON only, with the request id as inference id', () => {
    const integration = method.Integration;
    expect(integration).toMatchObject({
      Type: 'AWS',
      IntegrationHttpMethod: 'POST',
      PassthroughBehavior: 'NEVER',
      RequestTemplates: { 'application/json': '$input.body' },
      RequestParameters: {
        'integration.request.header.Content-Type': "'application/json'",
        'integration.request.header.Accept': "'application/json'",
        'integration.request.header.X-Amzn-SageMaker-Inference-Id': 'context.requestId',
      },
      TimeoutInMillis: 29000,
    });
    expect(JSON.stringify(integration.Uri)).toContain(':apigateway:us-east-1:runtime.sagemaker:path/endpoints/churn-prod/invocations');
    expect(integration.IntegrationResponses.map((r: any) => [r.SelectionPattern ?? 'default', r.StatusCode])).toEqual([
      ['default', '200'],
      ['429', '503'],
      ['(40[0-9]|41[0-9]|42[0-8]|4[3-9][0-9]|5[0-9][0-9])', '502'],
    ]);
    // Every SageMaker failure but 429 maps to 502; 2XX and 429 do not.
    const pattern = new RegExp(`^${integration.IntegrationResponses[2].SelectionPattern}$`);
    expect(['400', '424', '428', '430', '500', '503', '530'].every((s) => pattern.test(s))).toBe(true);
    expect(['200', '429'].some((s) => pattern.test(s))).toBe(false);
  });

  test('the integration role may invoke this endpoint and nothing else', () => {
    const roleId = method.Integration.Credentials['Fn::GetAtt'][0];
    const role = t.toJSON().Resources[roleId].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' } })]);
    const policyId = role.ManagedPolicyArns[0].Ref;
    expect(t.toJSON().Resources[policyId].Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'InvokeTheEndpoint',
      Effect: 'Allow',
      Action: 'sagemaker:InvokeEndpoint',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:111111111111:endpoint/churn-prod']] },
    }]);
  });

  test('the stage: X-Ray, errors-only execution logs without bodies, metrics, throttling, JSON access logs', () => {
    expect(stage).toMatchObject({ StageName: 'prod', TracingEnabled: true });
    expect(stage.MethodSettings).toEqual([{
      HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200,
    }]);
    const format = JSON.parse(stage.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', apiKeyId: '$context.identity.apiKeyId', validationError: '$context.error.validationErrorString', wafStatus: '$context.waf.status' });
    expect(JSON.stringify(format)).not.toMatch(/\$input\.body|requestBody/);
  });

  test('access and WAF logs go to KMS-encrypted log groups kept a year; the key rotates', () => {
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup')).map((g: any) => g.Properties);
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g).toMatchObject({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/LogsKey/), 'Arn'] } });
    expect(groups.map((g) => g.LogGroupName).filter(Boolean)).toEqual(['aws-waf-logs-churn-prod-api']);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('errors answer in one JSON shape; a bad body says which rule it broke, with status 400', () => {
    const responses = Object.values(t.findResources('AWS::ApiGateway::GatewayResponse')).map((r: any) => r.Properties);
    const of = (type: string) => responses.find((r) => r.ResponseType === type);
    expect(of('BAD_REQUEST_BODY')).toMatchObject({ StatusCode: '400' });
    expect(of('BAD_REQUEST_BODY').ResponseTemplates['application/json']).toContain('"errors": "$context.error.validationErrorString"');
    expect(of('THROTTLED')).toMatchObject({ StatusCode: '429', ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } });
    expect(of('QUOTA_EXCEEDED')).toMatchObject({ StatusCode: '429' });
    expect(of('UNSUPPORTED_MEDIA_TYPE')).toMatchObject({ StatusCode: '415' });
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX', 'THROTTLED', 'QUOTA_EXCEEDED']) {
      expect(of(type).ResponseTemplates['application/json']).toContain('"type": "$context.error.responseType"');
    }
  });

  test('each caller and the smoke test get an API key in the usage plan, throttled and metered per key', () => {
    expect(only<any>(t, 'AWS::ApiGateway::UsagePlan')).toMatchObject({
      UsagePlanName: 'churn-prod-api',
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 100000, Period: 'DAY' },
    });
    const keys = Object.values(t.findResources('AWS::ApiGateway::ApiKey')).map((k: any) => k.Properties);
    expect(keys.map((k) => k.Name).sort()).toEqual(['churn-prod-api-default', 'churn-prod-api-smoke-test']);
    expect(keys.find((k) => k.Name.endsWith('smoke-test')).Tags).toEqual(expect.arrayContaining([{ Key: 'aidlc:api-credential', Value: 'smoke-test' }]));
    t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
    expect(Object.keys(defaults.api.apiKeys).sort()).toEqual(['default', 'smoke-test']);
  });

  test('WAF: managed common and known-bad-inputs rules and a per-address rate rule, on the stage, logged without credentials', () => {
    const acl = only<any>(t, 'AWS::WAFv2::WebACL');
    expect(acl).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(acl.Rules.map((r: any) => r.Name)).toEqual(['rate-per-address', 'aws-AWSManagedRulesKnownBadInputsRuleSet', 'aws-AWSManagedRulesCommonRuleSet']);
    expect(acl.Rules[0].Statement.RateBasedStatement).toEqual({ Limit: 20000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
    expect(acl.Rules.every((r: any) => r.VisibilityConfig.CloudWatchMetricsEnabled && r.VisibilityConfig.SampledRequestsEnabled)).toBe(true);
    expect(acl.Rules[2].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    const association = only<any>(t, 'AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(association.ResourceArn)).toMatch(/:apigateway:us-east-1::\/restapis\/",\{"Ref":"Api\w+"\},"\/stages\/",\{"Ref":"ApiDeploymentStageprod\w+"\}/);
    const logging = only<any>(t, 'AWS::WAFv2::LoggingConfiguration');
    expect(JSON.stringify(logging.LogDestinationConfigs)).toContain(':log-group:aws-waf-logs-churn-prod-api"');
    expect(logging.RedactedFields.map((f: any) => f.SingleHeader.Name)).toEqual(['authorization', 'x-api-key', 'x-amz-security-token']);
  });

  test('alarms on the 5XX rate, the 4XX rate and p99 latency, named after the API, notify the alert topic', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    expect(alarms.map((a) => [a.AlarmName, a.Threshold])).toEqual([['churn-prod-api-5xx-rate', 1], ['churn-prod-api-4xx-rate', 25], ['churn-prod-api-p99-latency', 2000]]);
    for (const a of alarms) expect(JSON.stringify(a.AlarmActions)).toContain(':sns:us-east-1:111111111111:churn-alerts');
    const rate = alarms[0].Metrics;
    expect(rate.find((m: any) => m.Expression).Expression).toMatch(/^IF\(count_server_\w+ > 0, 100 \* FILL\(server_\w+, 0\) \/ count_server_\w+, 0\)$/);
    expect(rate.filter((m: any) => m.MetricStat).map((m: any) => [m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions])).toEqual([
      ['Count', [{ Name: 'ApiName', Value: 'churn-prod-api' }, { Name: 'Stage', Value: 'prod' }]],
      ['5XXError', [{ Name: 'ApiName', Value: 'churn-prod-api' }, { Name: 'Stage', Value: 'prod' }]],
    ]);
  });

  test('grantInvoke allows execute-api:Invoke on POST /invocations of the stage', () => {
    const { stack, api } = build();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(role);
    const statement = Template.fromStack(stack).toJSON().Resources;
    const policy = Object.values(statement).find((r: any) => r.Type === 'AWS::IAM::Policy') as any;
    expect(policy.Properties.PolicyDocument.Statement[0].Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource)).toMatch(/\{"Ref":"ApiDeploymentStageprod\w+"\},"\/POST\/invocations"/);
  });

  test('private: reachable only through the given execute-api VPC endpoints, the resource policy refusing the rest', () => {
    const { template } = build((stack) => ({
      vpcEndpoints: [ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'ExecuteApiEndpoint', { vpcEndpointId: 'vpce-0123456789abcdef0', port: 443 })],
    }));
    const api = only<any>(template(), 'AWS::ApiGateway::RestApi');
    expect(api.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0123456789abcdef0'] });
    expect(api.Policy.Statement).toEqual([
      {
        Sid: 'OnlyThroughTheVpcEndpoints',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
      },
      {
        Sid: 'InvokeThroughTheVpcEndpoints',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
      },
    ]);
    expect(api.SecurityPolicy).toBe('SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09');
    only<any>(template(), 'AWS::WAFv2::WebACLAssociation');
  });

  test('Cognito: a user pool authorizer that wants an access token with the invoke scope', () => {
    const { template, api } = build((stack) => {
      const pool = new InferenceUserPool(stack, 'Users', { name: 'churn-prod-api', domainPrefix: 'churn-prod-111111111111' });
      return { cognito: { userPool: pool.userPool, scopes: [pool.scopeName] } };
    });
    const m = only<any>(template(), 'AWS::ApiGateway::Method');
    expect(m).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['churn-prod-api/invoke'], ApiKeyRequired: true });
    expect(only<any>(template(), 'AWS::ApiGateway::Authorizer')).toMatchObject({ Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization' });
    expect(api.method).toBeDefined();
  });

  test('the user pool: no self sign-up, MFA required, strong passwords, Plus tier threat protection, client credentials for the smoke test', () => {
    const app = testApp();
    const stack = testStack('Users', app);
    const pool = new InferenceUserPool(stack, 'Users', { name: 'churn-prod-api', domainPrefix: 'churn-prod-111111111111' });
    const tpl = templateOf(app, stack);
    expect(only<any>(tpl, 'AWS::Cognito::UserPool')).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      UserPoolTier: 'PLUS',
      DeletionProtection: 'ACTIVE',
    });
    expect(only<any>(tpl, 'AWS::Cognito::UserPoolResourceServer')).toMatchObject({ Identifier: 'churn-prod-api', Scopes: [{ ScopeName: 'invoke', ScopeDescription: expect.any(String) }] });
    expect(only<any>(tpl, 'AWS::Cognito::UserPoolClient')).toMatchObject({
      ClientName: 'smoke-test', GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true,
    });
    // The resource server's Ref is its identifier: the scope is churn-prod-api/invoke.
    expect(only<any>(tpl, 'AWS::Cognito::UserPoolClient').AllowedOAuthScopes).toEqual([{ 'Fn::Join': ['', [{ Ref: expect.stringMatching(/ResourceServer/) }, '/invoke']] }]);
    expect(pool.scopeName).toBe('churn-prod-api/invoke');
    expect(only<any>(tpl, 'AWS::Cognito::UserPoolDomain')).toMatchObject({ Domain: 'churn-prod-111111111111' });
    expect(stack.resolve(pool.tokenUrl)).toEqual({ 'Fn::Join': ['', ['https://', { Ref: expect.any(String) }, '.auth.us-east-1.amazoncognito.com/oauth2/token']] });
    expect(() => new InferenceUserPool(testStack(), 'Bad', { name: 'x', domainPrefix: 'aws-churn' })).toThrow(/domainPrefix = "aws-churn": may not contain/);
  });

  test('the account logging role: API Gateway may write this account\'s log groups, and the setting outlives the stack', () => {
    const app = testApp();
    const stack = testStack('Logging', app);
    new ApiGatewayLogRole(stack, 'LogRole');
    const tpl = templateOf(app, stack);
    const account = Object.values(tpl.findResources('AWS::ApiGateway::Account'))[0] as any;
    expect(account.DeletionPolicy).toBe('Retain');
    const role = Object.values(tpl.findResources('AWS::IAM::Role'))[0] as any;
    expect(role.DeletionPolicy).toBe('Retain');
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
    const policy = only<any>(tpl, 'AWS::IAM::ManagedPolicy');
    expect(policy.PolicyDocument.Statement[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:*']] });
    expect(JSON.stringify(tpl.toJSON())).not.toContain('AmazonAPIGatewayPushToCloudWatchLogs');
  });

  test('throttles must fit: a key above the stage, or a reused key name, is refused', () => {
    expect(() => build(() => ({ keyThrottle: { rateLimit: 150, burstLimit: 100 } }))).toThrow(/keyThrottle = .*: exceeds stageThrottle.*Fix: /);
    expect(() => build(() => ({ apiKeyNames: ['smoke-test'] }))).toThrow(/apiKeyNames = \["smoke-test"\]: .*"smoke-test"/);
    expect(() => build(() => ({ stageThrottle: { rateLimit: 0, burstLimit: 10 } }))).toThrow(/stageThrottle.rateLimit = 0: is not a positive whole number/);
  });

  describe('compliance', () => {
    test.each([
      ['regional, IAM', () => ({})],
      ['private, IAM', (stack: Stack) => ({ vpcEndpoints: [ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Vpce', { vpcEndpointId: 'vpce-0123456789abcdef0', port: 443 })] })],
      ['regional, Cognito', (stack: Stack) => {
        const pool = new InferenceUserPool(stack, 'Users', { name: 'churn-prod-api', domainPrefix: 'churn-prod-111111111111' });
        return { cognito: { userPool: pool.userPool, scopes: [pool.scopeName] } };
      }],
    ] as Array<[string, Extra]>)('%s passes the four packs, the Control Tower controls and the guardrails', (_name, extra) => {
      const { app, stack } = build((s) => {
        new ApiGatewayLogRole(s, 'LogRole');
        return extra(s);
      }, { compliance: true });
      expect(stack).toBeDefined();
      try {
        app.synth();
      } catch {
        // the findings below say what failed
      }
      const findings = validationFindings(app.outdir);
      expect(`${findings.length} finding(s)\n${findings.join('\n')}`).toBe('0 finding(s)\n');
    });

    test('the acknowledgements are the ones meant: without an alarm action, the alarms are findings', () => {
      const app = withCompliancePacks(testApp());
      const stack = testStack('Bare', app);
      new InferenceApi(stack, 'Api', { restApiName: 'churn-prod-api', stageName: 'prod', endpointName: 'churn-prod', requestSchema: SCHEMA });
      expect(() => app.synth()).toThrow(/CloudWatchAlarmAction/);
    });
  });
});
