import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { InvalidValuesError } from '../../core/problem';
import { ApiMetrics } from '../serving/api-metrics';
import { EndpointMetrics } from '../serving/endpoint-metrics';

/**
 * An endpoint shown on the dashboard.
 */
export interface DashboardEndpoint {
  /** The endpoint's name. */
  readonly endpointName: string;
  /**
   * The production variant.
   * @default "primary"
   */
  readonly variantName?: string;
}

/**
 * An inference API shown on the dashboard.
 */
export interface DashboardApi {
  /** The REST API's name. */
  readonly apiName: string;
  /** Its stage. */
  readonly stageName: string;
  /**
   * The WAF web ACL on the stage, for its blocked requests.
   * @default - no WAF graph for this API
   */
  readonly webAclName?: string;
  /**
   * Names of the API's alarms, shown with their state.
   * @default - none
   */
  readonly alarmNames?: string[];
}

/**
 * Props of the model dashboard.
 */
export interface ModelDashboardProps {
  /** The dashboard's name. */
  readonly dashboardName: string;
  /** The model's endpoints, one line each (stages in rollout order). */
  readonly endpoints: DashboardEndpoint[];
  /** One drift metric per feature (either engine's). */
  readonly driftMetrics: cloudwatch.IMetric[];
  /**
   * Where a feature counts as drifted on the drift graph.
   * @default - no line
   */
  readonly driftThreshold?: number;
  /** The SageMaker Pipeline that trains the model. */
  readonly trainingPipelineName: string;
  /**
   * The inference APIs in front of the endpoints.
   * @default - no API widgets
   */
  readonly apis?: DashboardApi[];
}

const TRAINING_NAMESPACE = 'AWS/Sagemaker/ModelBuildingPipeline';

/**
 * One CloudWatch dashboard per model: invocations, errors, model latency p50/p99 (in
 * milliseconds), drift per feature, the training pipeline's outcomes, and, with inference APIs,
 * their requests, 4XX/5XX, latency, WAF blocks and alarm states.
 */
export class ModelDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    if (props.endpoints.length === 0) {
      throw new InvalidValuesError('ModelDashboard', [{ path: 'endpoints', value: props.endpoints, message: 'is empty', fix: 'give the endpoints of the model\'s stages' }]);
    }
    const endpoints = props.endpoints.map((e) => new EndpointMetrics(e.endpointName, e.variantName ?? 'primary'));
    const period = Duration.minutes(5);
    const width = 12;

    const invocations = new cloudwatch.GraphWidget({
      title: 'Invocations',
      width,
      left: endpoints.map((m) => m.metricInvocations({ period, label: m.endpointName })),
    });
    const errors = new cloudwatch.GraphWidget({
      title: 'Errors',
      width,
      left: endpoints.flatMap((m) => [
        m.metricInvocation5XXErrors({ period, label: `${m.endpointName} 5XX` }),
        m.metricInvocation4XXErrors({ period, label: `${m.endpointName} 4XX` }),
      ]),
      right: endpoints.map((m) => m.metricErrorRate({ period })),
      rightYAxis: { label: '5XX %', min: 0 },
    });
    const latency = new cloudwatch.GraphWidget({
      title: 'Model latency (ms)',
      width,
      left: endpoints.flatMap((m) => (['p50', 'p99'] as const).map((p) => new cloudwatch.MathExpression({
        expression: `${p}_${m.id} / 1000`,
        usingMetrics: { [`${p}_${m.id}`]: p === 'p50' ? m.metricModelLatencyP50({ period }) : m.metricModelLatencyP99({ period }) },
        label: `${m.endpointName} ${p}`,
        period,
      }))),
      leftYAxis: { label: 'ms', min: 0 },
    });
    const drift = new cloudwatch.GraphWidget({
      title: 'Drift per feature',
      width,
      left: props.driftMetrics,
      ...(props.driftThreshold !== undefined ? { leftAnnotations: [{ value: props.driftThreshold, label: 'drift threshold' }] } : {}),
    });
    const training = new cloudwatch.GraphWidget({
      title: 'Training runs',
      width: 24,
      left: ['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStopped'].map((metricName) => new cloudwatch.Metric({
        namespace: TRAINING_NAMESPACE,
        metricName,
        dimensionsMap: { PipelineName: props.trainingPipelineName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.days(1),
        label: metricName.replace('Execution', ''),
      })),
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [[invocations, errors], [latency, drift], [training], ...this.apiRows(props.apis ?? [], period)],
    });
    // CloudFormation took Tags on AWS::CloudWatch::Dashboard only in May 2026; cfn-lint releases
    // before then reject the property (E3002), and the Resource Groups tagging API does not list
    // dashboard tags. The stack's tags stay off the dashboard, which its name already ties to the model.
    (this.dashboard.node.defaultChild as cloudwatch.CfnDashboard).addPropertyDeletionOverride('Tags');
  }

  private apiRows(apis: DashboardApi[], period: Duration): cloudwatch.IWidget[][] {
    if (apis.length === 0) return [];
    const metrics = apis.map((a) => new ApiMetrics(a.apiName, a.stageName));
    const requests = new cloudwatch.GraphWidget({
      title: 'API requests and errors',
      width: 12,
      left: metrics.flatMap((m) => [
        m.metricCount({ period, label: `${m.apiName} requests` }),
        m.metricClientError({ period, label: `${m.apiName} 4XX` }),
        m.metricServerError({ period, label: `${m.apiName} 5XX` }),
      ]),
      right: metrics.map((m) => m.metricServerErrorRate({ period })),
      rightYAxis: { label: '5XX %', min: 0 },
    });
    const latency = new cloudwatch.GraphWidget({
      title: 'API latency (ms)',
      width: 12,
      left: metrics.flatMap((m) => [
        m.metricLatency({ period, statistic: cloudwatch.Stats.p(50), label: `${m.apiName} p50` }),
        m.metricLatency({ period, label: `${m.apiName} p99` }),
        m.metricIntegrationLatency({ period, label: `${m.apiName} endpoint p99` }),
      ]),
      leftYAxis: { label: 'ms', min: 0 },
    });
    const region = Stack.of(this).region;
    const withWaf = apis.filter((a) => a.webAclName);
    const waf = new cloudwatch.GraphWidget({
      title: 'WAF blocked requests',
      width: 12,
      left: withWaf.map((a) => new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: a.webAclName!, Region: region, Rule: 'ALL' },
        statistic: cloudwatch.Stats.SUM,
        period,
        label: a.webAclName,
      })),
    });
    const alarms = apis.flatMap((a) => (a.alarmNames ?? []).map((name) => cloudwatch.Alarm.fromAlarmName(this, `Alarm-${name}`, name)));
    const states = new cloudwatch.AlarmStatusWidget({ title: 'API alarms', width: 12, alarms });
    const row: cloudwatch.IWidget[] = [];
    if (withWaf.length > 0) row.push(waf);
    if (alarms.length > 0) row.push(states);
    return [[requests, latency], ...(row.length > 0 ? [row] : [])];
  }
}
