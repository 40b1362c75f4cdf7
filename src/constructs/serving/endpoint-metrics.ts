import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

const NAMESPACE = 'AWS/SageMaker';

/**
 * CloudWatch metrics of one endpoint variant, built from the endpoint's fixed name.
 *
 * Built from literal names rather than the endpoint resource, so alarms that the endpoint itself
 * references (auto-rollback) and dashboards in other stacks add no CloudFormation dependency.
 */
export class EndpointMetrics {
  /**
   * @param endpointName the endpoint's fixed name
   * @param variantName the production variant's name
   */
  constructor(public readonly endpointName: string, public readonly variantName: string) {}

  /** A metric id fragment naming this endpoint variant (ids allow letters, digits and underscores). */
  public get id(): string {
    return `${this.endpointName}_${this.variantName}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  }

  /**
   * A metric of the variant in the `AWS/SageMaker` namespace.
   * @default - sum over 1 minute
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: this.variantName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Requests sent to the variant. @default - sum over 1 minute */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', props);
  }

  /** Requests per instance, the metric autoscaling tracks. @default - sum over 1 minute */
  public metricInvocationsPerInstance(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('InvocationsPerInstance', props);
  }

  /** Requests the model answered with a 5XX status. @default - sum over 1 minute */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', props);
  }

  /** Requests answered with a 4XX status. @default - sum over 1 minute */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', props);
  }

  /**
   * Model latency, which SageMaker reports in MICROseconds.
   * @default - p99 over 1 minute
   */
  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /** p50 model latency in microseconds. @default - over 1 minute */
  public metricModelLatencyP50(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricModelLatency({ ...props, statistic: cloudwatch.Stats.p(50) });
  }

  /** p99 model latency in microseconds. @default - over 1 minute */
  public metricModelLatencyP99(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricModelLatency({ ...props, statistic: cloudwatch.Stats.p(99) });
  }

  /**
   * Share of requests answered with a 5XX status, in percent; 0 while there is no traffic.
   * @default - over 1 minute
   */
  public metricErrorRate(props: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
    const period = props.period ?? Duration.minutes(1);
    // Metric ids are unique per endpoint, so several endpoints' rates share a graph.
    const invocations = `invocations_${this.id}`;
    const errors = `errors_${this.id}`;
    return new cloudwatch.MathExpression({
      expression: `IF(${invocations} > 0, 100 * FILL(${errors}, 0) / ${invocations}, 0)`,
      usingMetrics: {
        [invocations]: this.metricInvocations({ period }),
        [errors]: this.metricInvocation5XXErrors({ period }),
      },
      label: `${this.endpointName} 5XX rate (%)`,
      ...props,
      period,
    });
  }
}
