import { renderComplianceReport } from '../../../pipelines/compliance/markdown';
import { buildComplianceReport } from '../../../pipelines/compliance/report';
import { allStacks, CONFIG, dataStack } from '../../support/audit-templates';

describe('renderComplianceReport', () => {
  const full = renderComplianceReport(buildComplianceReport(allStacks(), CONFIG));

  test('summarizes each control with its status and requirement ids per framework', () => {
    expect(full).toContain('# Compliance report: churn');
    expect(full).toContain('| control | status | evidence | exceptions | GDPR | HIPAA | SOC 2 | PCI DSS |');
    expect(full).toMatch(/\| \[Encryption at rest\]\(#encryption-at-rest\) \| met \| \d+ \| 0 \| Art\. 32\(1\)\(a\) \| 164\.312\(a\)\(2\)\(iv\) \| CC6\.1 \| 3\.4 \|/);
    expect(full).toContain('12 of 12 controls met.');
    expect(full).toContain('Rule packs enforced at every synth: `AWS_SOLUTIONS`, `HIPAA_SECURITY`, `NIST_800_53_R5`, `PCI_DSS_321`.');
  });

  test('lists each framework\'s requirements with the control that answers them', () => {
    expect(full).toContain('### PCI DSS');
    expect(full).toContain('| 10.2 Automated audit trails for system events | Access auditing | met |');
    expect(full).toContain('| Art. 5(1)(e) Storage limitation | Retention | met |');
  });

  test('shows the stack, resource, property and value of each piece of evidence', () => {
    expect(full).toContain('| cdk.out | churn-data | `Raw` (AWS::S3::Bucket) | `BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID` | `${Key.Arn}` | SSE-KMS (aws:kms) |');
    expect(full).toContain('| config |  |  | `data.rawToGlacierDays` | `90` | raw datasets move to Glacier after this many days |');
  });

  test('marks gaps and lists exceptions', () => {
    const partial = renderComplianceReport(buildComplianceReport([dataStack()], CONFIG));
    expect(partial).toContain('### Model monitoring: GAP');
    expect(partial).toContain('**Gap:** nothing in `cdk.out` shows this control.');
    expect(partial).toMatch(/\| \[Model monitoring\]\(#model-monitoring\) \| GAP \|/);
  });

  test('escapes pipes inside cells and is stable across runs', () => {
    const stacks = allStacks();
    const data = stacks[0];
    stacks[0] = { ...data, template: { Resources: { ...data.template.Resources, Group: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 'a|b' } } } } };
    const text = renderComplianceReport(buildComplianceReport(stacks, CONFIG));
    expect(text).toContain('`a\\|b`');
    expect(renderComplianceReport(buildComplianceReport(allStacks(), CONFIG))).toBe(full);
  });
});
