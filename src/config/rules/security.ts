import { Problem } from '../../core/problem';
import { CompliancePack, Severity } from '../enums';
import { SecurityOptions } from '../options';
import { checkEnum } from './checks';

export function securityRules(s: SecurityOptions | undefined): Problem[] {
  if (!s) return [];
  const problems: Problem[] = [...checkEnum('security.failOnSeverity', s.failOnSeverity, Object.values(Severity), 'Severity')];
  if (s.compliancePacks !== undefined) {
    if (!Array.isArray(s.compliancePacks)) {
      problems.push({ path: 'security.compliancePacks', value: s.compliancePacks, message: 'must be a list', fix: 'list CompliancePack values, or [] to run none' });
    } else {
      s.compliancePacks.forEach((p, i) => {
        problems.push(...checkEnum(`security.compliancePacks[${i}]`, p, Object.values(CompliancePack), 'CompliancePack'));
        if (s.compliancePacks!.indexOf(p) !== i) {
          problems.push({ path: `security.compliancePacks[${i}]`, value: p, message: 'is listed twice', fix: 'list each pack once' });
        }
      });
    }
  }
  if (s.controlTowerControls !== undefined && typeof s.controlTowerControls !== 'boolean') {
    problems.push({ path: 'security.controlTowerControls', value: s.controlTowerControls, message: 'must be true or false', fix: 'set true or false' });
  }
  return problems;
}
