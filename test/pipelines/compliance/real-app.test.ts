import { renderComplianceReport } from '../../../pipelines/compliance/markdown';
import { buildComplianceReport } from '../../../pipelines/compliance/report';
import { AidlcApp } from '../../../src/app/aidlc-app';
import { AidlcConfig } from '../../../src/config';
import { synthTemplates, tmpOutdir } from '../../app/compliance/helpers';

jest.setTimeout(600_000);

describe('the compliance report of the default app', () => {
  const config = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' });
  const stacks = synthTemplates(new AidlcApp({ config, outdir: tmpOutdir('aidlc-report-app-') }));
  const report = buildComplianceReport(stacks, config);

  test('covers every stack and every control', () => {
    expect(report.stacks.sort()).toEqual(['churn-data', 'churn-delivery', 'churn-monitoring', 'churn-serving-prod', 'churn-serving-staging', 'churn-training']);
    expect(report.controls).toHaveLength(11);
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

  test('renders every control section', () => {
    const text = renderComplianceReport(report);
    for (const c of report.controls) expect(text).toContain(`### ${c.control.title}: `);
  });
});
