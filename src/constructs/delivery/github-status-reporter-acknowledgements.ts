import { IConstruct } from 'constructs';
import { acknowledgeFindings, controlTowerRule, inCompliancePacks } from './acknowledge';

/**
 * Every compliance finding {@link GithubStatusReporter} accepts, with its reason.
 */
export function acknowledgeGithubStatusReporter(scope: IConstruct, parts: { deadLetterQueue: IConstruct }): void {
  acknowledgeFindings(scope, [
    {
      ids: inCompliancePacks('IAMNoInlinePolicy'),
      reason: 'The function\'s role carries its own policy, created and deleted with the role; no other principal can be given it by mistake, which a reusable managed policy would allow.',
    },
    {
      ids: ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled'],
      reason: 'The secret holds a GitHub token that only GitHub can issue; Secrets Manager cannot mint a new one. Rotate it by creating a token with an expiry on GitHub and putting it into the secret.',
    },
    {
      ids: ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
      reason: 'Only this pipeline\'s state changes invoke the function (a few events per stage); reserving concurrency fails to deploy in accounts whose concurrency quota is 10, so it is a prop (reservedConcurrentExecutions) rather than forced.',
    },
    {
      ids: inCompliancePacks('LambdaInsideVPC'),
      reason: 'The function talks only to the GitHub API on the internet and to AWS APIs; in a VPC it would need a NAT gateway for GitHub and would gain no isolation for that traffic.',
    },
    {
      ids: [controlTowerRule('sqs_dlq_check')],
      reason: 'This queue is the dead-letter queue of the rule and the function; a dead-letter queue of its own would only move the same messages once more.',
      on: parts.deadLetterQueue,
    },
  ], []);
}
