import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** An app that synthesizes into its own temporary directory, and a stack in a fixed environment. */
export function testStack(id = 'Test'): Stack {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-data-')) });
  return new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
}

/**
 * Unacknowledged findings of the four compliance packs on a construct tree, as "rule at path".
 * aws-cdk-lib 2.257 does not give validation plugins the construct tree (`appConstruct`), so
 * `Validations.of(app).addPlugins(...)` fails at synth; the packs run on the tree directly here.
 */
export function nagFindings(scope: IConstruct): string[] {
  const packs = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
  const out: string[] = [];
  for (const pack of packs) {
    for (const v of pack.validateScope(scope).violations) {
      for (const r of v.violatingResources) out.push(`${v.ruleName} at ${r.constructPath}`);
    }
  }
  return out.sort();
}

/** A minimal contract document, as data/contract.json holds it. */
export const CONTRACT = {
  version: 1,
  dataset: 'churn-model',
  format: { type: 'csv', delimiter: ',', header: true, nullValues: [''] },
  columns: [
    { name: 'customer_id', type: 'int', nullable: false },
    { name: 'signup_date', type: 'timestamp', nullable: false },
    { name: 'monthly_charges', type: 'float', nullable: false, min: 0 },
    { name: 'contract', type: 'string', nullable: false, allowed: ['a', 'b'], description: 'Contract term' },
    { name: 'is_senior', type: 'bool', nullable: false },
    { name: 'Churned', type: 'int', nullable: false, allowed: ['0', '1'] },
  ],
  key: ['customer_id'],
  target: 'Churned',
  minRows: 10,
  maxDuplicateRows: 0,
  drift: { psiThreshold: 0.2, ksThreshold: 0.1, bins: 10, epsilon: 0.0001 },
};
