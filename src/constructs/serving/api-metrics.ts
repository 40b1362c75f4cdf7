import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

const NAMESPACE = 'AWS/ApiGateway';

/**
 * CloudWatch metrics of one stage of a REST API, built from the API's fixed name and the stage.
 *
 * Built from literal names rather than the API resource, like `EndpointMetrics`: the endpoint's
 * rollback alarms and dashboards in other stacks can use them without a CloudFormation reference.
 */
export class ApiMetrics {
  /**
   * @param apiName the REST API's name (the `ApiName` dimension)
   * @param stageName the stage (the `Stage` dimension)
   */
  constructor(public readonly apiName: string, public readonly stageName: string) {}

  /** A metric id fragment naming this API stage (ids allow letters, digits and underscores). */
  public get id(): string {
    return `${this.apiName}_${this.stageName}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  }

  /**
   * A metric of the stage in the `AWS/ApiGateway` namespace.
   * @default - sum over 1 minute
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { ApiName: this.apiName, Stage: this.stageName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Requests received. @default - sum over 1 minute */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Count', props);
  }

  /** Requests answered with a 4XX status (bad payloads, throttling, failed authentication). @default - sum over 1 minute */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('4XXError', props);
  }

  /** Requests answered with a 5XX status (the model or the integration failed). @default - sum over 1 minute */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5XXError', props);
  }

  /** Time from request to response, in milliseconds. @default - p99 over 1 minute */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Latency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /** Time the endpoint took, in milliseconds. @default - p99 over 1 minute */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('IntegrationLatency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /** Share of requests answered with a 5XX status, in percent; 0 without traffic. @default - over 1 minute */
  public metricServerErrorRate(props: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
    return this.rate('server', this.metricServerError.bind(this), `${this.apiName} 5XX rate (%)`, props);
  }

  /** Share of requests answered with a 4XX status, in percent; 0 without traffic. @default - over 1 minute */
  public metricClientErrorRate(props: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
    return this.rate('client', this.metricClientError.bind(this), `${this.apiName} 4XX rate (%)`, props);
  }

  private rate(
    kind: string, errors: (p?: cloudwatch.MetricOptions) => cloudwatch.Metric, label: string, props: cloudwatch.MathExpressionOptions,
  ): cloudwatch.MathExpression {
    const period = props.period ?? Duration.minutes(1);
    const count = `count_${kind}_${this.id}`;
    const failed = `${kind}_${this.id}`;
    return new cloudwatch.MathExpression({
      expression: `IF(${count} > 0, 100 * FILL(${failed}, 0) / ${count}, 0)`,
      usingMetrics: { [count]: this.metricCount({ period }), [failed]: errors({ period }) },
      label,
      ...props,
      period,
    });
  }
}
