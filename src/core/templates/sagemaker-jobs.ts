import { TemplateFinding } from './findings';
import { SAGEMAKER_RULES } from './guardrail-rules';
import { LocatedResource, StackTemplate, asList, getPath, isIntrinsic, isRecord, parseEmbeddedJson, renderValue, resourcesOf } from './template';

/** What kind of SageMaker job a definition starts. */
export enum JobKind {
  TRAINING = 'training',
  PROCESSING = 'processing',
  TUNING = 'tuning',
  MONITORING = 'monitoring',
}

/**
 * One SageMaker job definition found in a template: a step of a SageMaker Pipeline, a Model
 * Monitor job definition or schedule, a Step Functions task or an EventBridge Scheduler target.
 */
export interface SageMakerJob {
  readonly kind: JobKind;
  /** Step or task name, or the resource's logical id. */
  readonly name: string;
  /** The resource that holds the definition. */
  readonly resource: LocatedResource;
  /** Where the request sits inside the resource, e.g. `PipelineDefinition.Steps[Train].Arguments`. */
  readonly location: string;
  /**
   * The job's network settings and request, normalized: `EnableNetworkIsolation`, `VpcConfig`
   * and `EnableInterContainerTrafficEncryption` at the top level whatever the source shape.
   */
  readonly network: JobNetwork;
  /** The raw request (CreateTrainingJob / CreateProcessingJob / job definition shape). */
  readonly request: Record<string, unknown>;
}

/** The network settings of a job, and where each one sits. */
export interface JobNetwork {
  readonly enableNetworkIsolation: unknown;
  readonly vpcConfig: unknown;
  readonly enableInterContainerTrafficEncryption: unknown;
  /** Path (relative to the job location) of the object holding these settings. */
  readonly at: string;
}

/** The jobs found, and the definitions that could not be read. */
export interface SageMakerJobScan {
  readonly jobs: SageMakerJob[];
  readonly unreadable: TemplateFinding[];
}

const PIPELINE_STEP_KINDS: Record<string, JobKind> = {
  Training: JobKind.TRAINING,
  Processing: JobKind.PROCESSING,
  Tuning: JobKind.TUNING,
  QualityCheck: JobKind.PROCESSING,
  ClarifyCheck: JobKind.PROCESSING,
};

const MONITORING_DEFINITION_TYPES = [
  'AWS::SageMaker::DataQualityJobDefinition',
  'AWS::SageMaker::ModelQualityJobDefinition',
  'AWS::SageMaker::ModelBiasJobDefinition',
  'AWS::SageMaker::ModelExplainabilityJobDefinition',
];

const API_KINDS: Record<string, JobKind> = {
  createtrainingjob: JobKind.TRAINING,
  createprocessingjob: JobKind.PROCESSING,
  createhyperparametertuningjob: JobKind.TUNING,
};

/** Network settings of a request, by kind: training and tuning carry them inline, the others in `NetworkConfig`. */
export function jobNetwork(kind: JobKind, request: Record<string, unknown>): JobNetwork {
  if (kind === JobKind.TRAINING) {
    return { enableNetworkIsolation: request.EnableNetworkIsolation, vpcConfig: request.VpcConfig, enableInterContainerTrafficEncryption: request.EnableInterContainerTrafficEncryption, at: '' };
  }
  if (kind === JobKind.TUNING) {
    const def = isRecord(request.TrainingJobDefinition) ? request.TrainingJobDefinition : {};
    return { enableNetworkIsolation: def.EnableNetworkIsolation, vpcConfig: def.VpcConfig, enableInterContainerTrafficEncryption: def.EnableInterContainerTrafficEncryption, at: 'TrainingJobDefinition' };
  }
  const net = isRecord(request.NetworkConfig) ? request.NetworkConfig : {};
  return { enableNetworkIsolation: net.EnableNetworkIsolation, vpcConfig: net.VpcConfig, enableInterContainerTrafficEncryption: net.EnableInterContainerTrafficEncryption, at: 'NetworkConfig' };
}

function job(kind: JobKind, name: string, resource: LocatedResource, location: string, request: Record<string, unknown>): SageMakerJob {
  return { kind, name, resource, location, request, network: jobNetwork(kind, request) };
}

function unreadable(r: LocatedResource, location: string, message: string): TemplateFinding {
  const rule = SAGEMAKER_RULES.definitionUnreadable.id;
  return { rule, stack: r.stack, logicalId: r.logicalId, path: r.path, location, message, templatePath: r.templatePath };
}

/** One step of a SageMaker Pipeline definition. */
export interface PipelineStep {
  readonly resource: LocatedResource;
  readonly name: string;
  readonly type: string;
  /** e.g. `PipelineDefinition.Steps[Check].Arguments.IfSteps[Register]`. */
  readonly location: string;
  readonly args: Record<string, unknown>;
}

function walkSteps(steps: unknown, prefix: string, r: LocatedResource, out: PipelineStep[]): void {
  for (const step of asList(steps)) {
    if (!isRecord(step)) continue;
    const name = String(step.Name ?? '?');
    const location = `${prefix}[${name}]`;
    const args = isRecord(step.Arguments) ? step.Arguments : {};
    out.push({ resource: r, name, type: String(step.Type), location, args });
    if (step.Type === 'Condition') {
      walkSteps(args.IfSteps, `${location}.Arguments.IfSteps`, r, out);
      walkSteps(args.ElseSteps, `${location}.Arguments.ElseSteps`, r, out);
    }
  }
}

/**
 * Every step of every inline SageMaker Pipeline definition (through condition branches), and the
 * pipelines whose definition cannot be read.
 */
export function findPipelineSteps(stacks: readonly StackTemplate[]): { steps: PipelineStep[]; unreadable: TemplateFinding[] } {
  const steps: PipelineStep[] = [];
  const unreadableDefs: TemplateFinding[] = [];
  for (const r of resourcesOf(stacks, 'AWS::SageMaker::Pipeline')) {
    const def = r.properties.PipelineDefinition;
    if (isRecord(def) && def.PipelineDefinitionS3Location !== undefined) {
      unreadableDefs.push(unreadable(r, 'PipelineDefinition.PipelineDefinitionS3Location', 'the definition lives in S3, so its jobs cannot be checked from the template; inline it as PipelineDefinitionBody'));
      continue;
    }
    const body = parseEmbeddedJson(isRecord(def) ? def.PipelineDefinitionBody : undefined);
    if (!isRecord(body)) {
      unreadableDefs.push(unreadable(r, 'PipelineDefinition.PipelineDefinitionBody', 'the definition body is not readable JSON'));
      continue;
    }
    walkSteps(body.Steps, 'PipelineDefinition.Steps', r, steps);
  }
  return { steps, unreadable: unreadableDefs };
}

function fromPipelines(stacks: readonly StackTemplate[], scan: SageMakerJobScan): void {
  const { steps, unreadable: problems } = findPipelineSteps(stacks);
  scan.unreadable.push(...problems);
  for (const step of steps) {
    const kind = PIPELINE_STEP_KINDS[step.type];
    if (kind) scan.jobs.push(job(kind, step.name, step.resource, `${step.location}.Arguments`, step.args));
  }
}

function fromMonitoring(stacks: readonly StackTemplate[], scan: SageMakerJobScan): void {
  for (const r of resourcesOf(stacks, ...MONITORING_DEFINITION_TYPES)) {
    scan.jobs.push(job(JobKind.MONITORING, r.logicalId, r, 'Properties', r.properties));
  }
  for (const r of resourcesOf(stacks, 'AWS::SageMaker::MonitoringSchedule')) {
    const inline = getPath(r.properties, 'MonitoringScheduleConfig.MonitoringJobDefinition');
    if (isRecord(inline)) {
      scan.jobs.push(job(JobKind.MONITORING, r.logicalId, r, 'MonitoringScheduleConfig.MonitoringJobDefinition', inline));
    }
  }
}

function fromStateMachines(stacks: readonly StackTemplate[], scan: SageMakerJobScan): void {
  for (const r of resourcesOf(stacks, 'AWS::StepFunctions::StateMachine')) {
    const raw = r.properties.Definition ?? r.properties.DefinitionString;
    const def = isRecord(raw) && !isIntrinsic(raw) ? raw : parseEmbeddedJson(raw);
    if (raw === undefined) continue;
    if (!isRecord(def)) {
      if (/sagemaker:create/i.test(renderValue(raw) ?? '')) {
        scan.unreadable.push(unreadable(r, 'DefinitionString', 'the state machine starts SageMaker jobs but its definition is not readable JSON'));
      }
      continue;
    }
    walkStates(def.States, 'Definition.States', r, scan.jobs);
  }
}

function walkStates(states: unknown, prefix: string, r: LocatedResource, out: SageMakerJob[]): void {
  if (!isRecord(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    const location = `${prefix}.${name}`;
    const api = /:sagemaker:(create\w+job)/i.exec(renderValue(state.Resource) ?? '');
    const kind = api ? API_KINDS[api[1].toLowerCase()] : undefined;
    if (kind && isRecord(state.Parameters)) out.push(job(kind, name, r, `${location}.Parameters`, state.Parameters));
    asList(state.Branches).forEach((b, i) => isRecord(b) && walkStates(b.States, `${location}.Branches[${i}].States`, r, out));
    const iterator = state.ItemProcessor ?? state.Iterator;
    if (isRecord(iterator)) walkStates(iterator.States, `${location}.ItemProcessor.States`, r, out);
  }
}

function fromSchedules(stacks: readonly StackTemplate[], scan: SageMakerJobScan): void {
  for (const r of resourcesOf(stacks, 'AWS::Scheduler::Schedule')) {
    const target = r.properties.Target;
    if (!isRecord(target)) continue;
    const api = /aws-sdk:sagemaker:(create\w+job)$/i.exec(renderValue(target.Arn) ?? '');
    const kind = api ? API_KINDS[api[1].toLowerCase()] : undefined;
    if (!kind) continue;
    const input = parseEmbeddedJson(target.Input);
    if (!isRecord(input)) {
      scan.unreadable.push(unreadable(r, 'Target.Input', `the schedule starts ${api![1]} but its input is not readable JSON`));
      continue;
    }
    scan.jobs.push(job(kind, r.logicalId, r, 'Target.Input', input));
  }
}

/**
 * Every training, processing, tuning and monitoring job the templates define: SageMaker Pipeline
 * steps (through condition branches), Model Monitor job definitions and inline schedules,
 * Step Functions tasks and EventBridge Scheduler universal targets that call SageMaker.
 * Jobs started from code (a Lambda function calling the API) are not visible here.
 */
export function findSageMakerJobs(stacks: readonly StackTemplate[]): SageMakerJobScan {
  const scan: SageMakerJobScan = { jobs: [], unreadable: [] };
  fromPipelines(stacks, scan);
  fromMonitoring(stacks, scan);
  fromStateMachines(stacks, scan);
  fromSchedules(stacks, scan);
  return scan;
}
