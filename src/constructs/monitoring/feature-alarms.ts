import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { InvalidValuesError } from '../../core/problem';

/** What a feature's drift alarm watches. */
export interface FeatureAlarmSpec {
  readonly feature: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly description: string;
}

/**
 * One alarm per feature, named `<endpoint>-drift-<feature>`. Missing data keeps the alarm's
 * state: a run publishes once per schedule period, and the state should hold until the next run.
 */
export function featureAlarms(
  scope: Construct, endpointName: string, specs: FeatureAlarmSpec[], action?: cloudwatch.IAlarmAction,
): cloudwatch.Alarm[] {
  const seen = new Set<string>();
  return specs.map((s) => {
    if (seen.has(s.feature)) throw new InvalidValuesError('featureAlarms', [{ path: 'features', value: s.feature, message: 'is listed twice', fix: 'name each feature once' }]);
    seen.add(s.feature);
    const alarm = new cloudwatch.Alarm(scope, `Drift-${s.feature}`, {
      alarmName: `${endpointName}-drift-${s.feature}`,
      alarmDescription: s.description,
      metric: s.metric,
      threshold: s.threshold,
      comparisonOperator: s.comparisonOperator,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    if (action) alarm.addAlarmAction(action);
    return alarm;
  });
}
