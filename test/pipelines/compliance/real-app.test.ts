import { renderComplianceReport } from '../../../pipelines/compliance/markdown';
import { buildComplianceReport } from '../../../pipelines/compliance/report';
import { AidlcApp } from '../../../src/app/aidlc-app';
import { AidlcConfig, NetworkMode } from '../../../src/config';
import { synthTemplates } from '../../support/compliance';
import { tempDir } from '../../support/temp-dirs';

jest.setTimeout(600_000);

describe('the compliance report of the default app', () => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });
  const stacks = synthTemplates(new AidlcApp({ config, outdir: tempDir('aidlc-report-app-') }));
  const report = buildComplianceReport(stacks, config);

  test('covers every stack and every control', () => {
    expect(report.stacks.sort()).toEqual(['churn-data', 'churn-delivery', 'churn-monitoring', 'churn-network', 'churn-serving-prod', 'churn-serving-staging', 'churn-training']);
    expect(report.controls).toHaveLength(12);
  });

  test('finds evidence in cdk.out for every control', () => {
    expect(report.controls.filter((c) => c.status === 'gap').map((c) => c.control.title)).toEqual([]);
  });

  test('points only at resources that exist in the named stack', () => {
    const resources = new Map(stacks.map((s) => [s.stackName, s.template.Resources ?? {}]));
    const dangling = report.controls
      .flatMap((c) => [...c.evidence, ...c.exceptions])
      .filter((e) => e.source === 'cdk.out' && e.logicalId !== undefined)
      .filter((e) => !(e.logicalId! in (resources.get(e.stack!) ?? {})))
      .map((e) => `${e.stack}/${e.logicalId} ${e.property}`);
    expect(dangling).toEqual([]);
  });

  test('the lineage control cites the gate run, the registered provenance, the signing step and key, and the deploy check', () => {
    const lineage = report.controls.find((c) => c.control.id === 'data-lineage')!;
    const notes = lineage.evidence.map((e) => `${e.stack}/${e.resourceType} ${e.value}: ${e.note}`);
    for (const expected of [
      /churn-training\/AWS::SageMaker::Pipeline source_revision, dataset_manifest_uri, dataset_manifest_sha256, training_job_arn, artifact_sha256, artifact_signature/,
      /churn-training\/AWS::SageMaker::Pipeline Lambda: checks the dataset manifest/,
      /churn-training\/AWS::KMS::Key ECC_NIST_P256: model signing key: 1 principal\(s\) may sign, every other is denied/,
      /churn-delivery\/AWS::CodeBuild::Project aidlc gate run/,
      /churn-delivery\/AWS::CodeBuild::Project aidlc model verify/,
      /processing job Split reads input manifest/,
    ]) expect(notes.some((n) => expected.test(n))).toBe(true);
    expect(lineage.exceptions).toEqual([]);
    const retention = report.controls.find((c) => c.control.id === 'retention')!;
    expect(retention.evidence.map((e) => e.value)).toEqual(expect.arrayContaining(['expire after 365 d, old versions expire after 365 d', 'data-capture/: expire after 90 d, old versions expire after 90 d']));
  });

  test('renders every control section', () => {
    const text = renderComplianceReport(report);
    for (const c of report.controls) expect(text).toContain(`### ${c.control.title}: `);
  });
});

describe('the network boundary in the compliance report', () => {
  test('shows the VPC, its endpoints, the jobs, model and functions in it and the guarded buckets; the reporter outside is the exception', () => {
    const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });
    const report = buildComplianceReport(synthTemplates(new AidlcApp({ config, outdir: tempDir('aidlc-report-net-') })), config);
    const network = report.controls.find((c) => c.control.id === 'network-isolation')!;
    const notes = network.evidence.map((e) => e.note ?? '');
    for (const expected of [/the model's own VPC/, /private subnet: no public addresses/, /gateway endpoint/, /interface endpoint with private DNS, with an endpoint policy/, /flow logs/,
      /training job Train runs in the private subnets, isolated=true/, /endpoint instances in the private subnets, isolated=true/, /function runs in the network/, /refuses data reads from outside the network/, /private subnets, AWS through VPC endpoints/]) {
      expect(notes.some((n) => expected.test(n))).toBe(true);
    }
    expect(network.exceptions.map((e) => `${e.value} ${e.logicalId}`).sort()).toEqual([
      expect.stringMatching(/^NETWORK_FUNCTION_OUTSIDE_VPC CustomVpcRestrictDefaultSG/),
      expect.stringMatching(/^NETWORK_FUNCTION_OUTSIDE_VPC GithubStatusHandler/),
    ]);
    expect(network.status).toBe('partial');
  });

  test('prints the reason of an opt-out, and the control is a gap', () => {
    const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', network: { mode: NetworkMode.NONE, optOutReason: 'sandbox account without regulated data' } });
    const report = buildComplianceReport(synthTemplates(new AidlcApp({ config, outdir: tempDir('aidlc-report-none-') })), config);
    expect(report.networkOptOut).toBe('sandbox account without regulated data');
    expect(report.controls.find((c) => c.control.id === 'network-isolation')!.status).toBe('gap');
    expect(renderComplianceReport(report)).toContain('**Network isolation is switched off** (`network.mode` is `NONE`): sandbox account without regulated data.');
  });
});
