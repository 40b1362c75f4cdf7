import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CompliancePack } from '../../config/enums';

/** The cdk-nag pack of each config value. */
const PACKS: Record<CompliancePack, (scope: IConstruct) => NagPack> = {
  [CompliancePack.AWS_SOLUTIONS]: (scope) => new AwsSolutionsChecks(scope),
  [CompliancePack.HIPAA_SECURITY]: (scope) => new HIPAASecurityChecks(scope),
  [CompliancePack.NIST_800_53_R5]: (scope) => new NIST80053R5Checks(scope),
  [CompliancePack.PCI_DSS_321]: (scope) => new PCIDSS321Checks(scope),
};

/** The cdk-nag packs the config names, once each, in config order. */
export function nagPacks(scope: IConstruct, packs: readonly CompliancePack[]): NagPack[] {
  return [...new Set(packs)].map((pack) => PACKS[pack](scope));
}
