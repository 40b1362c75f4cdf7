import { DRIFT_METRICS } from '../../../pipelines/lambda/drift-monitor/metrics';
import { DriftMetrics, ModelMonitorMetrics } from '../../../src/constructs/monitoring/drift-metrics';

describe('drift metric names', () => {
  test('the constructs alarm on exactly what the drift-monitor function publishes', () => {
    const m = new DriftMetrics('churn-prod');
    expect(m.namespace).toBe(DRIFT_METRICS.defaultNamespace);
    expect(m.metricPsi('age').metricName).toBe(DRIFT_METRICS.psi);
    expect(m.metricKs('age').metricName).toBe(DRIFT_METRICS.ks);
    expect(m.metricDrift('age').metricName).toBe(DRIFT_METRICS.drift);
    expect(m.metricDriftedFeatures().metricName).toBe(DRIFT_METRICS.driftedFeatures);
    expect(m.metricRowsProfiled().metricName).toBe(DRIFT_METRICS.rowsProfiled);
    expect(Object.keys(m.metricDrift('age').dimensions!)).toEqual([DRIFT_METRICS.dimensions.endpoint, DRIFT_METRICS.dimensions.feature]);
    expect(Object.keys(m.metricDriftedFeatures().dimensions!)).toEqual([DRIFT_METRICS.dimensions.endpoint]);
  });

  test('a custom namespace', () => {
    expect(new DriftMetrics('churn-prod', 'Acme/Drift').metricPsi('age').namespace).toBe('Acme/Drift');
  });

  test('Model Monitor\'s data-quality metrics of a schedule', () => {
    const m = new ModelMonitorMetrics('churn-prod', 'churn-prod-data-quality').metricBaselineDrift('age');
    expect(m.namespace).toBe('aws/sagemaker/Endpoints/data-metrics');
    expect(m.metricName).toBe('feature_baseline_drift_age');
    expect(m.dimensions).toEqual({ Endpoint: 'churn-prod', MonitoringSchedule: 'churn-prod-data-quality' });
  });
});
