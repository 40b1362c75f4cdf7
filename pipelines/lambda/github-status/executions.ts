import { CodePipelineClient, GetPipelineExecutionCommand, ListActionExecutionsCommand } from '@aws-sdk/client-codepipeline';

const SHA = /^[0-9a-f]{40}$/i;

/** A failed action of an execution, with what its provider said. */
export interface FailedAction {
  readonly stage: string;
  readonly action: string;
  readonly message?: string;
}

/** Reads what the statuses need from CodePipeline: the commit of an execution and why it failed. */
export class PipelineExecutions {
  private readonly revisions = new Map<string, string | undefined>();

  constructor(private readonly client: CodePipelineClient) {}

  /** The Git commit an execution runs (its source revision), or undefined when it has none. */
  public async sourceRevision(pipelineName: string, executionId: string): Promise<string | undefined> {
    const key = `${pipelineName}/${executionId}`;
    if (this.revisions.has(key)) return this.revisions.get(key);
    const out = await this.client.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }));
    const revision = (out.pipelineExecution?.artifactRevisions ?? [])
      .map((r) => r.revisionId)
      .find((id): id is string => typeof id === 'string' && SHA.test(id));
    if (this.revisions.size > 200) this.revisions.clear();
    this.revisions.set(key, revision);
    return revision;
  }

  /** The failed action of a stage (or the named action), with its summary or error message. */
  public async failedAction(pipelineName: string, executionId: string, stage: string, action?: string): Promise<FailedAction | undefined> {
    let nextToken: string | undefined;
    do {
      const out = await this.client.send(new ListActionExecutionsCommand({
        pipelineName,
        filter: { pipelineExecutionId: executionId },
        nextToken,
      }));
      const failed = (out.actionExecutionDetails ?? []).find((d) =>
        d.stageName === stage && d.status === 'Failed' && (action === undefined || d.actionName === action));
      if (failed) {
        const result = failed.output?.executionResult;
        return {
          stage,
          action: failed.actionName ?? 'action',
          message: result?.errorDetails?.message ?? result?.externalExecutionSummary,
        };
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return undefined;
  }
}
