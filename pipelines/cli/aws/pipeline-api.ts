import {
  ActionExecutionDetail, CodePipelineClient, GetPipelineCommand, GetPipelineExecutionCommand, ListActionExecutionsCommand,
  ListPipelineExecutionsCommand, PipelineExecution, PipelineExecutionSummary, StageDeclaration, StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { isTransientAwsError } from './errors';
import { realSleep, retrying, RetryPolicy, Sleep } from '../../shared/retry';

/** A retry policy for CodePipeline calls: throttling, 5xx and network errors, up to `attempts` in all. */
export function awsRetryPolicy(options: { sleep?: Sleep; attempts?: number; onRetry?: RetryPolicy['onRetry'] } = {}): RetryPolicy {
  return {
    attempts: options.attempts ?? 6,
    baseDelayMs: 2000,
    maxDelayMs: 30_000,
    classify: (e) => ({ retryable: isTransientAwsError(e) }),
    sleep: options.sleep ?? realSleep,
    onRetry: options.onRetry,
  };
}

/** What a run of the pipeline is asked to do. */
export interface StartRequest {
  readonly sourceActionName: string;
  readonly revision: string;
  readonly variables: { name: string; value: string }[];
  /** Idempotency token: a retried start does not start a second execution. */
  readonly clientRequestToken: string;
}

/** The CodePipeline calls the CLI makes, each retried on transient errors. */
export class PipelineApi {
  constructor(
    private readonly client: CodePipelineClient,
    public readonly pipelineName: string,
    private readonly retry: RetryPolicy,
    /** Aborts every call and retry wait, e.g. at the deadline of a follow. */
    private readonly signal?: AbortSignal,
  ) {}

  /** The same calls, ended (call and retry waits alike) when `signal` aborts. */
  public bounded(signal: AbortSignal): PipelineApi {
    return new PipelineApi(this.client, this.pipelineName, this.retry, signal);
  }

  public async start(request: StartRequest): Promise<string> {
    const out = await this.call('StartPipelineExecution', () => this.client.send(new StartPipelineExecutionCommand({
      name: this.pipelineName,
      clientRequestToken: request.clientRequestToken,
      sourceRevisions: [{ actionName: request.sourceActionName, revisionType: 'COMMIT_ID', revisionValue: request.revision }],
      variables: request.variables.length ? request.variables : undefined,
    }), this.options));
    if (!out.pipelineExecutionId) throw new Error('StartPipelineExecution returned no execution id');
    return out.pipelineExecutionId;
  }

  public async stages(): Promise<StageDeclaration[]> {
    const out = await this.call('GetPipeline', () => this.client.send(new GetPipelineCommand({ name: this.pipelineName }), this.options));
    return out.pipeline?.stages ?? [];
  }

  public async execution(executionId: string): Promise<PipelineExecution> {
    const out = await this.call('GetPipelineExecution', () =>
      this.client.send(new GetPipelineExecutionCommand({ pipelineName: this.pipelineName, pipelineExecutionId: executionId }), this.options));
    if (!out.pipelineExecution) throw new Error(`GetPipelineExecution returned nothing for ${executionId}`);
    return out.pipelineExecution;
  }

  public async actions(executionId: string): Promise<ActionExecutionDetail[]> {
    const all: ActionExecutionDetail[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call('ListActionExecutions', () => this.client.send(new ListActionExecutionsCommand({
        pipelineName: this.pipelineName,
        filter: { pipelineExecutionId: executionId },
        nextToken,
      }), this.options));
      all.push(...(out.actionExecutionDetails ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return all;
  }

  /** The most recent executions, newest first. */
  public async recentExecutions(max: number): Promise<PipelineExecutionSummary[]> {
    const out = await this.call('ListPipelineExecutions', () =>
      this.client.send(new ListPipelineExecutionsCommand({ pipelineName: this.pipelineName, maxResults: max }), this.options));
    return out.pipelineExecutionSummaries ?? [];
  }

  private get options(): { abortSignal?: AbortSignal } {
    return this.signal ? { abortSignal: this.signal } : {};
  }

  private call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    return retrying(`CodePipeline ${operation} on ${this.pipelineName}`, this.retry, request, this.signal);
  }
}
