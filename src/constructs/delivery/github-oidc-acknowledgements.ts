import { IConstruct } from 'constructs';
import { acknowledgeFindings, inCompliancePacks } from './acknowledge';
import { IDataLake } from '../data/data-lake-ref';

/**
 * Every compliance finding {@link GithubOidc} accepts, with its reason.
 */
export function acknowledgeGithubOidc(
  scope: IConstruct, readRole: IConstruct, lake: IDataLake, modelStacksArn: string | undefined, pullsImages: boolean,
): void {
  acknowledgeFindings(scope, [
    {
      ids: inCompliancePacks('IAMNoInlinePolicy'),
      reason: 'Each role carries its own policy (AWS::IAM::Policy), created and deleted with the role; no other principal can be given it by mistake, which a reusable managed policy would allow.',
    },
  ], [
    {
      findings: (text) => [lake.rawBucket, lake.validatedBucket].map((b) => `Resource::${text(b.arnForObjects('*'))}`),
      reason: 'The scan and gate jobs read whichever dataset the gate is pointed at; datasets are objects of the model\'s own raw and validated buckets, and GetObject on them is the only object action granted.',
      within: readRole,
    },
    {
      findings: (text) => modelStacksArn ? [`Resource::${text(modelStacksArn)}`] : [],
      reason: 'Stack ARNs end in a generated id, and the model\'s stacks (data, training, delivery, serving per stage, monitoring) share its name prefix; DescribeStacks is read-only.',
      within: readRole,
    },
    {
      findings: () => pullsImages ? ['Resource::*'] : [],
      reason: 'ecr:GetAuthorizationToken is account-wide (IAM has no resource type for it); the pulls themselves are limited to the named repositories.',
      within: readRole,
    },
  ]);
}
