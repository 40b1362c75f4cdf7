import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Project, Testing } from 'projen';
import { AidlcConfig, AidlcConfigOptions, ApiAuthorization, ApiEndpointType, MonitoringEngine, NetworkMode, QuotaPeriod, Severity } from '../../src/config';
import { PINNED_ACTIONS } from '../../src/github/pinned-actions';
import { THREAT_MODEL_PATH, ThreatModel, threatModelLines } from '../../src/project/files/threat-model';

function text(options: Partial<AidlcConfigOptions> = {}): string {
  return threatModelLines(AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', ...options })).join('\n');
}

describe('the threat model', () => {
  const doc = text();

  test('covers the five ML threats, each with controls and residual risk', () => {
    const headings = doc.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Data poisoning', '## Model theft', '## Adversarial input', '## Data exfiltration', '## Supply chain', '## Outside this model']);
    expect(doc.match(/\*\*Controls in place\*\*/g)).toHaveLength(5);
    expect(doc.match(/\*\*Residual risk\*\*/g)).toHaveLength(5);
  });

  test('draws its numbers from the default config', () => {
    expect(doc).toContain('A data contract of 11 columns');
    expect(doc).toContain('at least 1000 rows and no duplicate rows by key `customer_id`');
    expect(doc).toContain('past PSI 0.2 or KS 0.1');
    expect(doc).toContain('auc >= 0.75 on a 20% holdout');
    expect(doc).toContain('A person approves each rollout to `prod`.');
    expect(doc).toContain('Stage(s) `staging` deploy a registered model without a person approving it.');
    expect(doc).toContain('`alias/aidlc/churn`');
    expect(doc).toContain('`prod` rolls out canary (10% first, 10 min bake) and rolls back on its own above 1% 5xx errors or 1000 ms p99 latency.');
    expect(doc).toContain('20% of requests and responses are captured');
    expect(doc).toContain('The built-in drift engine compares the captured traffic with the training baseline on the schedule `rate(1 hour)` over a 24 h window');
    expect(doc).toContain(`(${PINNED_ACTIONS.length} pins)`);
    expect(doc).toContain('Scans fail the build on HIGH or CRITICAL findings.');
    expect(doc).toContain('`AWS_SOLUTIONS`, `HIPAA_SECURITY`, `NIST_800_53_R5`, `PCI_DSS_321`');
    expect(doc).toContain('Training runs the AWS xgboost 1.7-1 framework image');
    expect(doc).toContain('run in a VPC of its own (`10.0.0.0/16`, 2 zones) with private isolated subnets only: no internet gateway, no NAT gateway');
    expect(doc).toContain('interface endpoints (`monitoring`, `kms`, `sagemaker.api`), whose policies admit only this model\'s roles (tag `aidlc:model=churn`)');
    expect(doc).toContain('except two named roles that read datasets from outside by design: `churn-github-read`');
    expect(doc).toContain('The GitHub status reporter runs outside the VPC: it must reach api.github.com.');
  });

  test('says where the API answers: regional by default in the created VPC, private through the network\'s endpoint on request', () => {
    expect(doc).toContain('The API is regional: it answers on the internet, so authentication, API keys, throttling and AWS WAF are what stand in front of it.');
    expect(doc).not.toContain('smoke test of the private API');
    const privateApi = text({ serving: { api: { endpointType: ApiEndpointType.PRIVATE, callerCidrs: ['10.64.0.0/16'] } } });
    expect(privateApi).toContain('The API is private: it answers only through the network\'s execute-api endpoint, whose security group admits `10.64.0.0/16`');
    expect(privateApi).toContain('interface endpoints (`monitoring`, `kms`, `sagemaker.api`, `execute-api`, `cloudformation`, `apigateway`, `logs`)');
    expect(privateApi).toContain('The execute-api endpoint lets any caller that reaches it invoke `POST /invocations` of this account\'s APIs');
    expect(privateApi).not.toContain('public APIs of other teams');
    const shared = text({
      network: {
        mode: NetworkMode.IMPORT_VPC,
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        vpcCidr: '10.20.0.0/16',
        subnetIds: ['subnet-0a1b2c3d', 'subnet-0b1b2c3d'],
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        createEndpoints: true,
        routeTableIds: ['rtb-0a1b2c3d'],
      },
    });
    expect(shared).toContain('whose security group admits `10.20.0.0/16`');
    expect(shared).toContain('public APIs of other teams are no longer reachable from the VPC by their default hostnames');
  });

  test('shows the network boundary of an imported VPC, and an opt-out with its reason', () => {
    const imported = text({
      awsRegion: 'eu-west-1',
      network: { mode: NetworkMode.IMPORT_VPC, vpcId: 'vpc-0a1b2c3d4e5f67890', vpcCidr: '10.20.0.0/16', subnetIds: ['subnet-0a1b2c3d', 'subnet-0b1b2c3d'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
      serving: { api: { vpcEndpointIds: ['vpce-0c1b2c3d4e5f67890'] } },
    });
    expect(imported).toContain('run in the existing VPC `vpc-0a1b2c3d4e5f67890`, subnets `subnet-0a1b2c3d`, `subnet-0b1b2c3d`');
    expect(imported).toContain('AWS is reached through the landing zone\'s endpoints (HTTPS to `10.20.0.0/16`)');
    expect(imported).toContain('(`aws:SourceVpc`)');
    expect(imported).toContain('The endpoints, routes and flow logs of the imported VPC belong to the landing zone');
    // The imported VPC's API is private by default, here through the landing zone's endpoint.
    expect(imported).toContain('The API is private: it answers only through the landing zone\'s execute-api endpoint (`vpce-0c1b2c3d4e5f67890`), and its resource policy refuses every other source');
    expect(imported).toContain('The landing zone\'s execute-api endpoint, its policy and who may reach it belong to the landing zone');
    expect(imported).toContain('The smoke test of the private API runs on CodeBuild in the private subnets');
    expect(imported).toContain('The CodeBuild steps of the delivery pipeline (but the private API\'s smoke test) and the CDK custom resource');
    const none = text({ network: { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data' } });
    expect(none).toContain('The network section is switched off (`network.mode` NONE): sandbox account without regulated data.');
    expect(none).toContain('jobs and the endpoint\'s model run with network isolation');
  });

  test('changes with the config', () => {
    const changed = text({
      security: { failOnSeverity: Severity.CRITICAL, compliancePacks: [] },
      monitoring: { retrainOnDrift: true, retrainCooldownHours: 48, alertEmail: 'ml@acme.example' },
      deployment: { stages: [{ name: 'prod', requireApproval: true, canary: true }] },
    });
    expect(changed).toContain('Scans fail the build on CRITICAL findings.');
    expect(changed).toContain('none (the packs are switched off in the config)');
    expect(changed).toContain('Retraining on drift is on');
    expect(changed).toContain('at most every 48 h');
    expect(changed).toContain('(to ml@acme.example)');
    expect(changed).not.toContain('without a person approving it');
    expect(changed).not.toEqual(doc);
    expect(text({ monitoringEngine: MonitoringEngine.MODEL_MONITOR })).not.toContain('`monitoring`');
  });

  test('the inference API: its access controls, per-key quota and validation, from the config', () => {
    expect(doc).toContain('IAM-signed (SigV4) calls by principals granted `execute-api:Invoke`, each with an API key of its own (`default`)');
    expect(doc).toContain('Each API key is throttled to 50 requests per second (bursts of 100) and held to 100000 requests per day; the stage to 100 per second; AWS WAF blocks an address after 20000 requests in 5 minutes.');
    expect(doc).toContain('validates every request against the data contract before the model sees it');
    expect(doc).toContain('at most 100 rows');
    expect(doc).toContain('a leaked key is bounded by its quota');
    expect(doc).not.toContain('no per-caller quota');
    expect(doc).not.toContain('input validation falls to the model');
    const cognito = text({ serving: { api: { authorization: ApiAuthorization.COGNITO, consumers: ['web', 'batch'], quotaLimit: 5000, quotaPeriod: QuotaPeriod.MONTH } } });
    expect(cognito).toContain('Cognito access token carrying the API\'s `invoke` scope, each with an API key of its own (`web`, `batch`)');
    expect(cognito).toContain('5000 requests per month per key');
    const off = text({ serving: { api: { enabled: false } } });
    expect(off).toContain('no per-caller quota applies');
    expect(off).toContain('input validation falls to the model\'s serving code');
    expect(off).not.toContain('inference API validates');
  });

  test('is a managed file of the project', () => {
    const project = new Project({ name: 'churn', outdir: mkdtempSync(join(tmpdir(), 'aidlc-threat-model-')) });
    new ThreatModel(project, AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' }));
    const files = Testing.synth(project);
    expect(files[THREAT_MODEL_PATH]).toContain('# Threat model: churn');
    expect(files[THREAT_MODEL_PATH]).toContain('Generated by projen from .projenrc.ts');
    expect(files['.projen/files.json'].files).toContain(THREAT_MODEL_PATH);
  });
});
