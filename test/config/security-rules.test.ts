import { CompliancePack, Severity } from '../../src/config';
import { problemAt, problemsOf } from '../support/configs';

describe('security rules', () => {
  test('known severities and packs are accepted', () => {
    expect(problemsOf({ security: { failOnSeverity: Severity.CRITICAL, compliancePacks: [CompliancePack.HIPAA_SECURITY] } })).toEqual([]);
    expect(problemsOf({ security: { compliancePacks: [] } })).toEqual([]);
  });

  test('an unknown severity lists the enum members', () => {
    const p = problemAt(problemsOf({ security: { failOnSeverity: 'SEVERE' as Severity } }), 'security.failOnSeverity');
    expect(p.fix).toContain('Severity.HIGH');
  });

  test('unknown and repeated packs are rejected by position', () => {
    const problems = problemsOf({ security: { compliancePacks: [CompliancePack.AWS_SOLUTIONS, 'SOC2' as CompliancePack, CompliancePack.AWS_SOLUTIONS] } });
    problemAt(problems, 'security.compliancePacks[1]');
    expect(problemAt(problems, 'security.compliancePacks[2]').message).toBe('is listed twice');
  });
});
