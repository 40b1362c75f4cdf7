import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { synthTemplates, tmpOutdir, validationFindings } from './helpers';
import { AidlcApp } from '../../../src/app/aidlc-app';
import { applyCompliance, networkAuditOptions } from '../../../src/app/compliance/apply-compliance';
import { AidlcConfig, AidlcConfigOptions, ApiEndpointType, NetworkMode, NetworkOptions } from '../../../src/config';
import { formatFindings } from '../../../src/core/templates/findings';
import { auditIam } from '../../../src/core/templates/iam-audit';
import { auditNetworkIsolation, describeJobNetwork } from '../../../src/core/templates/network-audit';
import { LocatedResource, StackTemplate, resourcesOf } from '../../../src/core/templates/template';

// One synth of the whole app with every pack, the Control Tower controls and the guardrails.
jest.setTimeout(600_000);

const IMPORTED: NetworkOptions = {
  mode: NetworkMode.IMPORT_VPC,
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  vpcCidr: '10.20.0.0/16',
  subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
  availabilityZones: ['us-east-1a', 'us-east-1b'],
};

/** The service of an interface endpoint, after `com.amazonaws.<region>.`. */
function serviceOf(endpoint: LocatedResource): string {
  return JSON.stringify(endpoint.properties.ServiceName).match(/\.amazonaws\.[^.]*\.([a-z0-9.-]+?)"/)?.[1] ?? JSON.stringify(endpoint.properties.ServiceName);
}

function interfaceEndpoints(stacks: StackTemplate[]): LocatedResource[] {
  return resourcesOf(stacks, 'AWS::EC2::VPCEndpoint').filter((e) => e.properties.VpcEndpointType === 'Interface');
}

/** The CodeBuild project of the smoke test after each deploy. */
function smokeTestProject(stacks: StackTemplate[]): LocatedResource {
  return resourcesOf(stacks, 'AWS::CodeBuild::Project').find((p) => /^Calls a stage's inference API/.test(String(p.properties.Description)))!;
}

function buildSpecOf(project: LocatedResource): any {
  return JSON.parse((project.properties.Source as { BuildSpec: string }).BuildSpec);
}

/**
 * The default generated app, checked as a generated repository's `npx projen build` checks it.
 * These tests grow stricter as the stacks fill in: each failure lists every offender.
 */
describe('the default app', () => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });
  let app: AidlcApp;
  let stacks: StackTemplate[];

  beforeAll(() => {
    app = new AidlcApp({ config, outdir: tmpOutdir('aidlc-full-app-') });
    applyCompliance(app, config);
    stacks = synthTemplates(app);
  });

  test('synthesizes every stack', () => {
    expect(stacks.map((s) => s.stackName).sort()).toEqual(
      ['churn-network', 'churn-data', 'churn-training', 'churn-delivery', 'churn-serving-staging', 'churn-serving-prod', 'churn-monitoring'].sort());
  });

  test('later serving stacks deploy after the first, which sets the account\'s API Gateway logging role', () => {
    const [staging, prod] = app.servingStacks;
    expect(staging.apiLogRole).toBeDefined();
    expect(prod.dependencies).toContain(staging);
    expect(staging.dependencies).not.toContain(prod);
  });

  test('references between stacks are strong by choice, so synth warns of no default; cdk.json context wins', () => {
    expect(app.node.tryGetContext(DEFAULT_CROSS_STACK_REFERENCES)).toBe('strong');
    const metadata = readdirSync(app.outdir).filter((f) => f.endsWith('.metadata.json'))
      .map((f) => readFileSync(join(app.outdir, f), 'utf-8')).join('\n');
    expect(metadata).toContain('aidlc:connection-placeholder'); // other warnings are still recorded
    expect(metadata).not.toContain('crossStackReferencesDefaultStrong');
    const weak = new AidlcApp({ config, outdir: tmpOutdir('aidlc-weak-'), context: { [DEFAULT_CROSS_STACK_REFERENCES]: 'weak' } });
    expect(weak.node.tryGetContext(DEFAULT_CROSS_STACK_REFERENCES)).toBe('weak');
  });

  test('grants no "*" action, and "*" resources only to allowlisted actions', () => {
    const result = auditIam(stacks);
    // CDK's own provider that closes the VPC's default security group; acknowledged on it at synth with its reason.
    const ours = result.findings.filter((f) => !(f.rule === 'IAM_AWS_MANAGED_POLICY' && f.logicalId.startsWith('CustomVpcRestrictDefaultSGCustomResourceProviderRole')));
    expect(result.findings.length - ours.length).toBe(1);
    expect(formatFindings(ours)).toBe('no findings');
  });

  test('runs every job isolated in the private subnets, every function but the GitHub reporter in the VPC', () => {
    const result = auditNetworkIsolation(stacks, networkAuditOptions(config));
    const outside = result.findings.filter((f) => f.rule === 'NETWORK_FUNCTION_OUTSIDE_VPC').map((f) => `${f.stack}/${f.logicalId.replace(/[A-F0-9]{8}$/, '')}`);
    // Acknowledged at synth, each with its reason: the one function that must reach GitHub, and CDK's deploy-time provider.
    expect(outside.sort()).toEqual(['churn-delivery/GithubStatusHandler', 'churn-network/CustomVpcRestrictDefaultSGCustomResourceProviderHandler']);
    const others = { ...result, findings: result.findings.filter((f) => f.rule !== 'NETWORK_FUNCTION_OUTSIDE_VPC') };
    expect(result.jobsChecked.every((j) => describeJobNetwork(j) === 'EnableNetworkIsolation=true, in a VPC')).toBe(true);
    expect(result.resourcesChecked.filter((r) => r.startsWith('churn-serving'))).toEqual(expect.arrayContaining([expect.stringMatching(/^churn-serving-prod\/Model/)]));
    const checked = others.jobsChecked.map((j) => `${j.resource.stack}/${j.resource.logicalId} ${j.kind} ${j.name}: ${describeJobNetwork(j)}`);
    expect({ findings: formatFindings(others.findings), checked }).toEqual({ findings: 'no findings', checked });
  });

  test('creates exactly the interface endpoints the resolved config lists (and prices)', () => {
    const services = interfaceEndpoints(stacks).map(serviceOf);
    expect(services.sort()).toEqual(config.network.interfaceEndpoints.map((e) => e.service).sort());
    expect(config.network.cost?.interfaceEndpoints).toBe(services.length);
  });

  test('a REGIONAL API (the default in the created VPC): no execute-api endpoint, the smoke test outside the VPC with npm ci', () => {
    expect(config.serving.api.endpointType).toBe(ApiEndpointType.REGIONAL);
    expect(resourcesOf(stacks, 'AWS::ApiGateway::RestApi').map((a) => a.properties.EndpointConfiguration)).toEqual([{ Types: ['REGIONAL'] }, { Types: ['REGIONAL'] }]);
    const smoke = smokeTestProject(stacks);
    expect(smoke.properties.VpcConfig).toBeUndefined();
    expect(buildSpecOf(smoke).phases.install.commands).toEqual(['npm ci --no-audit --no-fund']);
    const deploy = resourcesOf(stacks, 'AWS::CodeBuild::Project').find((p) => /^cdk deploy/.test(String(p.properties.Description)))!;
    expect(buildSpecOf(deploy).artifacts).toBeUndefined();
  });

  test('each interface endpoint lets through the calls the functions behind it make, and no other', () => {
    const admitted = (service: string): string[] => {
      const endpoint = resourcesOf(stacks, 'AWS::EC2::VPCEndpoint').find((e) => JSON.stringify(e.properties.ServiceName).includes(`.${service}"`))!;
      return (endpoint.properties.PolicyDocument as any).Statement.filter((st: any) => st.Effect === 'Allow').flatMap((st: any) => [st.Action].flat());
    };
    // The model signer's SageMaker and KMS calls (pipelines/lambda/model-signer), the drift monitor's metrics.
    expect(admitted('sagemaker.api')).toEqual(expect.arrayContaining([
      'sagemaker:DescribeTrainingJob', 'sagemaker:ListTrialComponents', 'sagemaker:ListArtifacts', 'sagemaker:CreateArtifact', 'sagemaker:AddAssociation', 'sagemaker:AddTags',
    ]));
    expect(admitted('kms')).toEqual(['kms:Sign']);
    expect(admitted('monitoring')).toEqual(['cloudwatch:PutMetricData']);
  });

  test('runs every training, processing and monitoring job with network isolation', () => {
    const result = auditNetworkIsolation(stacks);
    const checked = result.jobsChecked.map((j) => `${j.resource.stack}/${j.resource.logicalId} ${j.kind} ${j.name}: ${describeJobNetwork(j)}`);
    expect({ findings: formatFindings(result.findings), checked }).toEqual({ findings: 'no findings', checked });
  });

  test('passes every cdk-nag pack, the Control Tower controls and the guardrails with no unacknowledged finding', () => {
    const findings = validationFindings(app.outdir);
    expect(`${findings.length} finding(s)\n${findings.join('\n')}`).toBe('0 finding(s)\n');
  });
});

/**
 * The other two network modes, each synthesized with every pack, the Control Tower controls and
 * the guardrails; with a REGIONAL API (the imported VPC's default API is private: see below).
 */
describe.each<[string, NetworkOptions]>([
  ['an imported VPC that uses the landing zone\'s endpoints', IMPORTED],
  ['the explained opt-out', { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data, reviewed 2026-11' }],
])('the app with %s', (_name, network) => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', network, serving: { api: { endpointType: ApiEndpointType.REGIONAL } } });
  let stacks: StackTemplate[];
  let outdir: string;

  beforeAll(() => {
    outdir = tmpOutdir('aidlc-full-app-mode-');
    const app = new AidlcApp({ config, outdir });
    stacks = synthTemplates(app);
  });

  test('needs no network stack', () => {
    expect(stacks.map((s) => s.stackName)).not.toContain('churn-network');
  });

  test('passes every pack, the Control Tower controls and the guardrails', () => {
    const findings = validationFindings(outdir);
    expect(`${findings.length} finding(s)\n${findings.join('\n')}`).toBe('0 finding(s)\n');
  });

  test('places the workloads as the mode says', () => {
    const functions = resourcesOf(stacks, 'AWS::Lambda::Function');
    const inVpc = functions.filter((f) => (f.properties.VpcConfig as any)?.SubnetIds);
    const models = resourcesOf(stacks, 'AWS::SageMaker::Model');
    if (network.mode === NetworkMode.NONE) {
      expect(inVpc).toEqual([]);
      expect(models.map((m) => [m.properties.EnableNetworkIsolation, m.properties.VpcConfig])).toEqual([[true, undefined], [true, undefined]]);
      expect(readFileSync(join(outdir, 'churn-data.template.json'), 'utf-8')).not.toContain('aws:SourceVpc');
    } else {
      const subnetsOf = (f: typeof functions[number]) => (f.properties.VpcConfig as any).SubnetIds;
      expect(inVpc.map(subnetsOf)).toEqual(inVpc.map(() => config.network.subnetIds));
      expect(functions.length - inVpc.length).toBe(1); // the GitHub status reporter
      expect(models.map((m) => (m.properties.VpcConfig as any).Subnets)).toEqual([config.network.subnetIds, config.network.subnetIds]);
      expect(readFileSync(join(outdir, 'churn-data.template.json'), 'utf-8')).toMatch(/"aws:SourceVpc": \[\s*"vpc-0a1b2c3d4e5f67890"\s*\]/);
    }
  });

  test('a REGIONAL API keeps the smoke test outside any VPC', () => {
    expect(resourcesOf(stacks, 'AWS::ApiGateway::RestApi').every((a) => (a.properties.EndpointConfiguration as any).Types[0] === 'REGIONAL')).toBe(true);
    expect(smokeTestProject(stacks).properties.VpcConfig).toBeUndefined();
  });
});

/**
 * A private inference API in each network that can hold one, synthesized with every pack, the
 * Control Tower controls and the guardrails: the APIs answer only through an execute-api endpoint,
 * and the smoke test after each deploy runs in the private subnets.
 */
describe.each<[string, Partial<AidlcConfigOptions>]>([
  ['the created VPC (by choice)', { serving: { api: { endpointType: ApiEndpointType.PRIVATE } } }],
  ['an imported VPC, through the landing zone\'s execute-api endpoint (the default there)', { network: IMPORTED, serving: { api: { vpcEndpointIds: ['vpce-0c1b2c3d4e5f67890'] } } }],
  ['an imported VPC whose endpoints the network creates', { network: { ...IMPORTED, createEndpoints: true, routeTableIds: ['rtb-0a1b2c3d4e5f67890'] } }],
])('a private API in %s', (_name, options) => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', ...options });
  const ownEndpoint = config.network.createEndpoints;
  let stacks: StackTemplate[];
  let outdir: string;

  beforeAll(() => {
    outdir = tmpOutdir('aidlc-full-app-private-');
    stacks = synthTemplates(new AidlcApp({ config, outdir }));
  });

  test('passes every pack, the Control Tower controls and the guardrails', () => {
    const findings = validationFindings(outdir);
    expect(`${findings.length} finding(s)\n${findings.join('\n')}`).toBe('0 finding(s)\n');
  });

  test('creates exactly the interface endpoints the resolved config lists (and prices): execute-api and the smoke test\'s among them', () => {
    const services = interfaceEndpoints(stacks).map(serviceOf);
    expect(services.sort()).toEqual(config.network.interfaceEndpoints.map((e) => e.service).sort());
    expect(config.network.cost?.interfaceEndpoints ?? 0).toBe(services.length);
    if (ownEndpoint) expect(services).toEqual(expect.arrayContaining(['execute-api', 'cloudformation', 'apigateway', 'logs']));
    else expect(services).toEqual([]);
  });

  test('every stage\'s API is private to the execute-api endpoint, which admits POST /invocations and nothing else, from any caller', () => {
    const apis = resourcesOf(stacks, 'AWS::ApiGateway::RestApi');
    expect(apis.map((a) => a.stack).sort()).toEqual(['churn-serving-prod', 'churn-serving-staging']);
    for (const api of apis) {
      expect(api.properties.EndpointConfiguration).toEqual({
        Types: ['PRIVATE'],
        VpcEndpointIds: ownEndpoint ? [{ 'Fn::ImportValue': expect.stringMatching(/^churn-network:.*Endpointexecuteapi/) }] : ['vpce-0c1b2c3d4e5f67890'],
      });
    }
    if (!ownEndpoint) return;
    const endpoint = interfaceEndpoints(stacks).find((e) => serviceOf(e) === 'execute-api')!;
    expect(endpoint.properties.PrivateDnsEnabled).toBe(true);
    const statements = (endpoint.properties.PolicyDocument as any).Statement;
    expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'execute-api:Invoke', Principal: { AWS: '*' } })]);
    expect(JSON.stringify(statements[0].Resource)).toContain(':*/*/POST/invocations');
  });

  test('the resource policy of each API refuses every source but its execute-api endpoint', () => {
    for (const api of resourcesOf(stacks, 'AWS::ApiGateway::RestApi')) {
      const [deny, allow] = (api.properties.Policy as any).Statement;
      expect(deny).toMatchObject({ Effect: 'Deny', Action: 'execute-api:Invoke', Condition: { StringNotEquals: { 'aws:SourceVpce': (api.properties.EndpointConfiguration as any).VpcEndpointIds } } });
      expect(allow).toMatchObject({ Effect: 'Allow', Condition: { StringEquals: { 'aws:SourceVpce': (api.properties.EndpointConfiguration as any).VpcEndpointIds } } });
    }
  });

  test('the endpoints the smoke test calls admit exactly its calls, for this model\'s roles (or are the landing zone\'s, reached by range)', () => {
    if (!ownEndpoint) {
      // The landing zone keeps them: the smoke test sends HTTPS to its endpoint range and to S3 only.
      const group = resourcesOf(stacks, 'AWS::EC2::SecurityGroup').find((g) => g.stack === 'churn-delivery')!;
      expect((group.properties.SecurityGroupEgress as any[]).map((r) => [r.CidrIp, r.FromPort, r.ToPort])).toEqual([['10.20.0.0/16', 443, 443]]);
      expect(resourcesOf(stacks, 'AWS::EC2::SecurityGroupEgress').filter((r) => r.stack === 'churn-delivery').map((r) => r.properties.DestinationPrefixListId)).toEqual(['pl-63a5400a']);
      return;
    }
    const endpointOf = (service: string) => interfaceEndpoints(stacks).find((e) => serviceOf(e) === service)!;
    const policy = (service: string) => (endpointOf(service).properties.PolicyDocument as any).Statement;
    expect(policy('cloudformation')).toEqual([expect.objectContaining({ Action: 'cloudformation:DescribeStacks', Condition: { StringEquals: expect.objectContaining({ 'aws:PrincipalTag/aidlc:model': 'churn' }) } })]);
    expect(policy('apigateway')).toEqual([expect.objectContaining({ Action: 'apigateway:GET' })]);
    expect(policy('logs')).toEqual([expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })]);
  });

  test('callers in the imported VPC\'s range reach the execute-api endpoint; the other endpoints admit only the workloads', () => {
    if (!ownEndpoint) {
      // Nothing of the network is created: who reaches the landing zone's endpoint is the landing zone's to say.
      expect(stacks.map((t) => t.stackName)).not.toContain('churn-network');
      expect(config.serving.api.callerCidrs).toBeUndefined();
      return;
    }
    const endpoint = interfaceEndpoints(stacks).find((e) => serviceOf(e) === 'execute-api')!;
    const groups = resourcesOf(stacks, 'AWS::EC2::SecurityGroup');
    const groupOf = (ref: any) => groups.find((g) => g.logicalId === ref['Fn::GetAtt'][0])!;
    const ingressOf = (ref: any) => (groupOf(ref).properties.SecurityGroupIngress as any[] | undefined) ?? [];
    const ingress = (endpoint.properties.SecurityGroupIds as any[]).flatMap(ingressOf);
    expect(ingress.map((r) => r.CidrIp)).toEqual(config.network.mode === NetworkMode.IMPORT_VPC ? ['10.20.0.0/16'] : []);
    for (const other of interfaceEndpoints(stacks).filter((e) => serviceOf(e) !== 'execute-api')) {
      expect(other.properties.SecurityGroupIds).toHaveLength(1);
      expect(groupOf((other.properties.SecurityGroupIds as any[])[0]).properties.SecurityGroupIngress).toBeUndefined();
    }
  });

  test('the smoke test runs in the private subnets with its own security group, from the CLI the Deploy hands on, installing nothing', () => {
    const smoke = smokeTestProject(stacks);
    const vpc = smoke.properties.VpcConfig as any;
    if (ownEndpoint && config.network.mode === NetworkMode.CREATE_VPC) {
      expect(vpc.Subnets).toEqual([expect.objectContaining({ 'Fn::ImportValue': expect.stringContaining('churn-network:') }), expect.anything()]);
    } else {
      expect(vpc).toMatchObject({ VpcId: 'vpc-0a1b2c3d4e5f67890', Subnets: IMPORTED.subnetIds });
    }
    const group = resourcesOf(stacks, 'AWS::EC2::SecurityGroup').find((g) => g.logicalId === vpc.SecurityGroupIds[0]['Fn::GetAtt'][0])!;
    expect(group.stack).toBe('churn-delivery');
    expect(group.properties.SecurityGroupIngress).toBeUndefined();
    const spec = buildSpecOf(smoke);
    expect(spec.phases.install).toEqual({ 'runtime-versions': { nodejs: '22' } });
    expect(JSON.stringify(spec)).not.toMatch(/npm|npx/);
    expect(spec.phases.build.commands).toEqual(['cd "$CODEBUILD_SRC_DIR_Source"', 'node "$CODEBUILD_SRC_DIR/aidlc.js" smoke-test --stage "$STAGE" --stack "$STACK" --summary smoke-test.md']);
    const deploy = resourcesOf(stacks, 'AWS::CodeBuild::Project').find((p) => /^cdk deploy/.test(String(p.properties.Description)))!;
    expect(buildSpecOf(deploy).artifacts).toEqual({ 'base-directory': 'node_modules/aidlc-pipeline/lib/assets/cli', 'files': ['**/*'] });
    expect(deploy.properties.VpcConfig).toBeUndefined();
  });

  test('runs every function but the GitHub reporter, and every job, in the VPC', () => {
    const result = auditNetworkIsolation(stacks, networkAuditOptions(config));
    expect(formatFindings(result.findings.filter((f) => f.rule !== 'NETWORK_FUNCTION_OUTSIDE_VPC'))).toBe('no findings');
  });
});
