import {
  DescribePipelineExecutionCommand, ListPipelineExecutionStepsCommand, PipelineExecutionStep, SageMakerClient, StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { isTransientAwsError } from './errors';
import { abortable, retrying, RetryPolicy, Sleep } from '../../shared/retry';

/** What a training run is started with. */
export interface TrainingStart {
  readonly displayName: string;
  readonly description: string;
  readonly parameters: { name: string; value: string }[];
  readonly clientRequestToken: string;
}

/** How a training run ended. */
export interface TrainingOutcome {
  readonly executionArn: string;
  /** Succeeded, Failed or Stopped. */
  readonly status: string;
  readonly failureReason?: string;
  readonly steps: PipelineExecutionStep[];
  /** The model package the run registered, if it did. */
  readonly modelPackageArn?: string;
}

/** The SageMaker Pipelines calls, each retried on transient errors. */
export class TrainingPipelineApi {
  constructor(
    private readonly client: SageMakerClient,
    public readonly pipelineName: string,
    private readonly retry: RetryPolicy,
    /** Aborts every call and retry wait, e.g. at the deadline of a wait. */
    private readonly signal?: AbortSignal,
  ) {}

  /** The same calls, ended (call and retry waits alike) when `signal` aborts. */
  public bounded(signal: AbortSignal): TrainingPipelineApi {
    return new TrainingPipelineApi(this.client, this.pipelineName, this.retry, signal);
  }

  public async start(request: TrainingStart): Promise<string> {
    const out = await this.call('StartPipelineExecution', () => this.client.send(new StartPipelineExecutionCommand({
      PipelineName: this.pipelineName,
      PipelineExecutionDisplayName: request.displayName,
      PipelineExecutionDescription: request.description,
      PipelineParameters: request.parameters.length ? request.parameters.map((p) => ({ Name: p.name, Value: p.value })) : undefined,
      ClientRequestToken: request.clientRequestToken,
    }), this.options));
    if (!out.PipelineExecutionArn) throw new Error('StartPipelineExecution returned no execution ARN');
    return out.PipelineExecutionArn;
  }

  public async describe(arn: string): Promise<{ status: string; failureReason?: string }> {
    const out = await this.call('DescribePipelineExecution', () =>
      this.client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }), this.options));
    return { status: out.PipelineExecutionStatus ?? 'Unknown', failureReason: out.FailureReason };
  }

  public async steps(arn: string): Promise<PipelineExecutionStep[]> {
    const steps: PipelineExecutionStep[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.call('ListPipelineExecutionSteps', () =>
        this.client.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, NextToken }), this.options));
      steps.push(...(out.PipelineExecutionSteps ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
    return steps;
  }

  private get options(): { abortSignal?: AbortSignal } {
    return this.signal ? { abortSignal: this.signal } : {};
  }

  private call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    return retrying(`SageMaker ${operation} on ${this.pipelineName}`, this.retry, request, this.signal);
  }
}

/** Retry policy for SageMaker calls. */
export function sageMakerRetryPolicy(sleep: Sleep, onRetry?: RetryPolicy['onRetry']): RetryPolicy {
  return { attempts: 6, baseDelayMs: 2000, maxDelayMs: 30_000, classify: (e) => ({ retryable: isTransientAwsError(e) }), sleep, onRetry };
}

/** The run did not end within the timeout, or SageMaker did not answer within it (the run goes on). */
export class TrainingTimeout extends Error {
  constructor(arn: string, status: string | undefined, timeoutMs: number) {
    const minutes = Math.round(timeoutMs / 60000);
    super(status ? `training run ${arn} still ${status} after ${minutes} minutes` : `training run ${arn}: no answer from SageMaker within ${minutes} minutes`);
    this.name = 'TrainingTimeout';
  }
}

const DONE = new Set(['Succeeded', 'Failed', 'Stopped']);

/**
 * Waits for a training run to end, telling `onSteps` whenever a step changes status, and reads
 * the model package it registered.
 */
export async function waitForTraining(api: TrainingPipelineApi, arn: string, options: {
  sleep: Sleep;
  now: () => number;
  pollMs: number;
  timeoutMs: number;
  onSteps: (steps: PipelineExecutionStep[]) => void;
  /** A signal that aborts after that long; without it the timeout is checked between polls only. */
  deadline?: (ms: number) => AbortSignal;
}): Promise<TrainingOutcome> {
  // The deadline ends a call that hangs, its retries and the wait between polls alike.
  const deadline = options.timeoutMs > 0 ? options.deadline?.(options.timeoutMs) : undefined;
  const bounded = deadline ? api.bounded(deadline) : api;
  const started = options.now();
  let seen = '';
  let lastStatus: string | undefined;
  try {
    for (;;) {
      const { status, failureReason } = await bounded.describe(arn);
      lastStatus = status;
      const steps = await bounded.steps(arn);
      const sig = steps.map((s) => `${s.StepName}:${s.StepStatus}`).join(',');
      if (sig !== seen) {
        options.onSteps(steps);
        seen = sig;
      }
      if (DONE.has(status)) {
        const modelPackageArn = steps.map((s) => s.Metadata?.RegisterModel?.Arn).find((a): a is string => !!a);
        return { executionArn: arn, status, failureReason, steps, modelPackageArn };
      }
      if (options.timeoutMs > 0 && options.now() - started >= options.timeoutMs) {
        throw new TrainingTimeout(arn, status, options.timeoutMs);
      }
      await abortable(options.sleep(options.pollMs), deadline);
    }
  } catch (e) {
    if (deadline?.aborted && !(e instanceof TrainingTimeout)) throw new TrainingTimeout(arn, lastStatus, options.timeoutMs);
    throw e;
  }
}

/** Why a finished run registered no model, in one sentence. */
export function whyNoModel(outcome: TrainingOutcome): string {
  const failed = outcome.steps.find((s) => s.StepStatus === 'Failed');
  if (outcome.status !== 'Succeeded') {
    const step = failed ? ` at step ${failed.StepName}${failed.FailureReason ? `: ${failed.FailureReason}` : ''}` : '';
    const fail = outcome.steps.map((s) => s.Metadata?.Fail?.ErrorMessage).find((m) => !!m);
    return `training run ${outcome.status.toLowerCase()}${step}${fail && !step.includes(fail) ? ` (${fail})` : ''}${!step && outcome.failureReason ? `: ${outcome.failureReason}` : ''}`;
  }
  const condition = outcome.steps.find((s) => s.Metadata?.Condition?.Outcome === 'False');
  if (condition) return `the model did not meet the bar: condition step ${condition.StepName} was false, so nothing was registered`;
  return 'training run succeeded but registered no model package';
}
