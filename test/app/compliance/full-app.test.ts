import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { AidlcApp } from '../../../src/app/aidlc-app';
import { applyCompliance, networkAuditOptions } from '../../../src/app/compliance/apply-compliance';
import { AidlcConfig, NetworkMode, NetworkOptions } from '../../../src/config';
import { formatFindings } from '../../../src/core/templates/findings';
import { auditIam } from '../../../src/core/templates/iam-audit';
import { auditNetworkIsolation, describeJobNetwork } from '../../../src/core/templates/network-audit';
import { StackTemplate, resourcesOf } from '../../../src/core/templates/template';
import { synthTemplates, validationFindings } from '../../support/compliance';
import { tempDir } from '../../support/temp-dirs';

// One synth of the whole app with every pack, the Control Tower controls and the guardrails.
jest.setTimeout(600_000);

/**
 * The default generated app, checked as a generated repository's `npx projen build` checks it.
 * These tests grow stricter as the stacks fill in: each failure lists every offender.
 */
describe('the default app', () => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });
  let app: AidlcApp;
  let stacks: StackTemplate[];

  beforeAll(() => {
    app = new AidlcApp({ config, outdir: tempDir('aidlc-full-app-') });
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
    const weak = new AidlcApp({ config, outdir: tempDir('aidlc-weak-'), context: { [DEFAULT_CROSS_STACK_REFERENCES]: 'weak' } });
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
    const services = resourcesOf(stacks, 'AWS::EC2::VPCEndpoint')
      .filter((e) => e.properties.VpcEndpointType === 'Interface')
      .map((e) => JSON.stringify(e.properties.ServiceName).match(/\.amazonaws\.[^.]*\.([a-z0-9.-]+?)"/)?.[1] ?? JSON.stringify(e.properties.ServiceName));
    expect(services.sort()).toEqual(config.network.interfaceEndpoints.map((e) => e.service).sort());
    expect(config.network.cost?.interfaceEndpoints).toBe(services.length);
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

/** The other two network modes, each synthesized with every pack, the Control Tower controls and the guardrails. */
describe.each<[string, NetworkOptions]>([
  ['an imported VPC that uses the landing zone\'s endpoints', {
    mode: NetworkMode.IMPORT_VPC,
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    vpcCidr: '10.20.0.0/16',
    subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1b2c3d4e5f67890'],
    availabilityZones: ['us-east-1a', 'us-east-1b'],
  }],
  ['the explained opt-out', { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data, reviewed 2026-11' }],
])('the app with %s', (_name, network) => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', network });
  let stacks: StackTemplate[];
  let outdir: string;

  beforeAll(() => {
    outdir = tempDir('aidlc-full-app-mode-');
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
});
