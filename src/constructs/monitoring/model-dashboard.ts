import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
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
}

const TRAINING_NAMESPACE = 'AWS/Sagemaker/ModelBuildingPipeline';

/**
 * One CloudWatch dashboard per model: invocations, errors, model latency p50/p99 (in
 * milliseconds), drift per feature, and the training pipeline's outcomes.
 */
export class ModelDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    if (props.endpoints.length === 0) throw new Error('The dashboard needs at least one endpoint');
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
      widgets: [[invocations, errors], [latency, drift], [training]],
    });
    // CloudFormation took Tags on AWS::CloudWatch::Dashboard only in May 2026; cfn-lint releases
    // before then reject the property (E3002), and the Resource Groups tagging API does not list
    // dashboard tags. The stack's tags stay off the dashboard, which its name already ties to the model.
    (this.dashboard.node.defaultChild as cloudwatch.CfnDashboard).addPropertyDeletionOverride('Tags');
  }
}
