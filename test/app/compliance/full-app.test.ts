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
