import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { synthTemplates, tmpOutdir, validationFindings } from './helpers';
import { AidlcApp } from '../../../src/app/aidlc-app';
import { applyCompliance } from '../../../src/app/compliance/apply-compliance';
import { formatFindings } from '../../../src/app/compliance/findings';
import { auditIam } from '../../../src/app/compliance/iam-audit';
import { auditNetworkIsolation, describeJobNetwork } from '../../../src/app/compliance/network-audit';
import { StackTemplate } from '../../../src/app/compliance/template';
import { AidlcConfig } from '../../../src/config';

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
    app = new AidlcApp({ config, outdir: tmpOutdir('aidlc-full-app-') });
    applyCompliance(app, config);
    stacks = synthTemplates(app);
  });

  test('synthesizes every stack', () => {
    expect(stacks.map((s) => s.stackName).sort()).toEqual(
      ['churn-data', 'churn-training', 'churn-delivery', 'churn-serving-staging', 'churn-serving-prod', 'churn-monitoring'].sort());
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
    expect(formatFindings(result.findings)).toBe('no findings');
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
