import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/** A Control Tower proactive control switched off for the whole app, and why. */
export interface DisabledControl {
  /** Control Tower id, as findings print it. */
  readonly control: string;
  /** The guard file's name in `@cdklabs/cdk-validator-cfnguard` (what `disabledRules` takes). */
  readonly file: string;
  /** The rule inside it (what a per-resource acknowledgement names: `cdk-validator-cfnguard::<rule>`). */
  readonly rule: string;
  readonly reason: string;
}

/**
 * The one list of Control Tower proactive controls this product turns off for every resource.
 * A control belongs here only when it fits none (or almost none) of the resources the product
 * creates; where a control fits most resources, the construct that has the exception
 * acknowledges it on that resource instead, with its own reason.
 */
export const APP_WIDE_DISABLED_CONTROLS: readonly DisabledControl[] = [
  {
    control: 'CT.S3.PR.9',
    file: 'ct-s3-pr-9',
    rule: 's3_bucket_object_lock_enabled_check',
    reason: 'S3 Object Lock makes objects undeletable for the retention period. Raw datasets, endpoint data capture '
      + 'and access logs must expire through lifecycle rules (data.rawToGlacierDays, log retention) and personal data '
      + 'must stay erasable on request (GDPR Art. 17); versioning and access logging cover the audit need instead. '
      + 'Object Lock can also only be turned on when a bucket is created, so no bucket of this product can adopt it later.',
  },
  {
    control: 'CT.S3.PR.4',
    file: 'ct-s3-pr-4',
    rule: 's3_event_notifications_enabled_check',
    reason: 'The chain reacts to pipeline and schedule events, not to object events: no consumer exists for '
      + 'notifications from the artifact, model, capture or access-log buckets, and a notification with no consumer '
      + 'is noise. A construct that does react to uploads configures its own notification.',
  },
  {
    control: 'CT.LAMBDA.PR.3',
    file: 'ct-lambda-pr-3',
    rule: 'lambda_inside_vpc_check',
    reason: 'The product creates no VPC (the config has no network section), so no function can be placed in one; the '
      + 'GitHub status reporter must reach api.github.com, and the functions CDK adds for custom resources take no VPC. '
      + 'Revisit when the config gains a VPC: then the rule fits and belongs back on.',
  },
];

/**
 * The cfn-guard validator with the AWS Control Tower proactive controls, minus the app-wide list.
 */
export function controlTowerValidator(): CfnGuardValidator {
  return new CfnGuardValidator({
    controlTowerRulesEnabled: true,
    disabledRules: APP_WIDE_DISABLED_CONTROLS.map((c) => c.file),
  });
}
