import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The metrics the built-in drift monitor publishes after each run, one set per endpoint:
 * per feature `PSI`, `KS` (numeric features) and `Drift` (1 when the feature drifted past its
 * thresholds, else 0); per endpoint `DriftedFeatures` and `RowsProfiled`.
 *
 * The names here and in `pipelines/lambda/drift-monitor/metrics.ts` are the same; a test holds
 * them together.
 */
export class DriftMetrics {
  /** The default namespace of the drift metrics. */
  public static readonly DEFAULT_NAMESPACE = 'AIDLC/Drift';

  /** The namespace the metrics are published in. */
  public readonly namespace: string;

  /**
   * @param endpointName the monitored endpoint
   * @param namespace the CloudWatch namespace @default DriftMetrics.DEFAULT_NAMESPACE
   */
  constructor(public readonly endpointName: string, namespace?: string) {
    this.namespace = namespace ?? DriftMetrics.DEFAULT_NAMESPACE;
  }

  /** Population stability index of a feature against the baseline. @default - maximum over 1 hour */
  public metricPsi(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.featureMetric('PSI', feature, props);
  }

  /** Kolmogorov-Smirnov statistic of a numeric feature against the baseline. @default - maximum over 1 hour */
  public metricKs(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.featureMetric('KS', feature, props);
  }

  /** 1 when the feature drifted past its thresholds in a run, else 0. @default - maximum over 1 hour */
  public metricDrift(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.featureMetric('Drift', feature, props);
  }

  /** Features that drifted in a run. @default - maximum over 1 hour */
  public metricDriftedFeatures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DriftedFeatures', { Endpoint: this.endpointName }, props);
  }

  /** Captured rows a run profiled. @default - sum over 1 hour */
  public metricRowsProfiled(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('RowsProfiled', { Endpoint: this.endpointName }, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  private featureMetric(name: string, feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(name, { Endpoint: this.endpointName, Feature: feature }, { label: `${feature} ${name}`, ...props });
  }

  private metric(metricName: string, dimensionsMap: { [name: string]: string }, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap,
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.hours(1),
      ...props,
    });
  }
}

/**
 * The per-feature metrics SageMaker Model Monitor's data-quality container publishes for an
 * endpoint's monitoring schedule, in `aws/sagemaker/Endpoints/data-metrics`.
 */
export class ModelMonitorMetrics {
  /** The namespace of Model Monitor's data-quality metrics for endpoints. */
  public static readonly NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';

  /**
   * @param endpointName the monitored endpoint
   * @param scheduleName the monitoring schedule
   */
  constructor(public readonly endpointName: string, public readonly scheduleName: string) {}

  /**
   * `feature_baseline_drift_<feature>`: the distance between the feature's distribution and the
   * baseline's.
   * @default - maximum over 1 hour
   */
  public metricBaselineDrift(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: ModelMonitorMetrics.NAMESPACE,
      metricName: `feature_baseline_drift_${feature}`,
      dimensionsMap: { Endpoint: this.endpointName, MonitoringSchedule: this.scheduleName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.hours(1),
      label: `${feature} drift`,
      ...props,
    });
  }
}
