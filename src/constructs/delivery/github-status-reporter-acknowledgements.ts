import { IConstruct } from 'constructs';
import { acknowledgeFindings, controlTowerRule, inCompliancePacks } from './acknowledge';
import { NETWORK_RULES, guardrailAcknowledgement } from '../../core/templates/guardrail-rules';

/**
 * Why the reporter's function, alone of the product's functions, runs outside the model's network.
 */
export const GITHUB_REPORTER_PLACEMENT = 'The function must reach the GitHub API (api.github.com) on the internet, and the model\'s '
  + 'network has no route out by design: no internet gateway, no NAT. A NAT gateway for this one function would give every '
  + 'private subnet a path to the internet, and an egress proxy with a domain allow-list (AWS Network Firewall) costs more per '
  + 'hour than the rest of the network. Outside the VPC it reaches only what its role allows: the one token secret and this '
  + 'pipeline\'s executions. It reads no data and sends GitHub only the commit, the stage and its state.';

/**
 * Every compliance finding {@link GithubStatusReporter} accepts, with its reason.
 */
export function acknowledgeGithubStatusReporter(scope: IConstruct, parts: { deadLetterQueue: IConstruct; handler: IConstruct }): void {
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
      ids: [...inCompliancePacks('LambdaInsideVPC'), controlTowerRule('lambda_inside_vpc_check'), guardrailAcknowledgement(NETWORK_RULES.functionOutsideVpc)],
      reason: GITHUB_REPORTER_PLACEMENT,
      on: parts.handler,
    },
    {
      ids: [controlTowerRule('sqs_dlq_check')],
      reason: 'This queue is the dead-letter queue of the rule and the function; a dead-letter queue of its own would only move the same messages once more.',
      on: parts.deadLetterQueue,
    },
  ], []);
}
