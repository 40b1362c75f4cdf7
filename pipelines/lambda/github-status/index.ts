import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CommitStatuses } from './commit-statuses';
import { CodePipelineEvent } from './events';
import { PipelineExecutions } from './executions';
import { createHandler, Outcome, ReporterDeps } from './handler';
import { SecretToken } from './token';
import { FunctionEnvironment } from '../../shared/function-environment';
import { octokit } from '../../shared/octokit';

function required(name: string): string {
  return new FunctionEnvironment(process.env, 'GithubStatusReporter').text(name);
}

/** Dependencies from the function's environment (set by the GithubStatusReporter construct). */
export function depsFromEnvironment(): ReporterDeps {
  const repository = required('GITHUB_REPOSITORY');
  const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
  const token = new SecretToken(new SecretsManagerClient({}), required('TOKEN_SECRET_ARN'));
  return {
    contextPrefix: process.env.STATUS_CONTEXT_PREFIX || 'aidlc',
    executions: new PipelineExecutions(new CodePipelineClient({})),
    token: () => token.get(),
    forgetToken: () => token.forget(),
    statuses: async (t) => new CommitStatuses(await octokit({ token: t, baseUrl }), repository),
    log: (message) => console.log(message),
  };
}

let handle: ((event: CodePipelineEvent) => Promise<Outcome>) | undefined;

/** The Lambda entry point: one CodePipeline state-change event in, at most one commit status out. */
export async function handler(event: CodePipelineEvent): Promise<Outcome> {
  handle ??= createHandler(depsFromEnvironment());
  return handle(event);
}
