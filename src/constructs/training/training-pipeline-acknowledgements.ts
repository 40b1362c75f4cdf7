import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { wildcardFindings } from '../serving/acknowledgements';

/** Resources with a wildcard the pipeline policy holds on purpose, and why. */
export interface PipelineWildcard {
  readonly resources: string[];
  readonly reason: string;
}

/**
 * Acknowledges, in one place, the `AwsSolutions-IAM5` findings of the pipeline policy that come
 * from the declared wildcards, and only those: any other wildcard stays a finding.
 *
 * Finding ids embed resolved values (cross-stack bucket ARNs become imports), known once the app
 * is prepared, so they are computed in a construct validation, which runs before cdk-nag.
 */
export function acknowledgeTrainingPipeline(policy: iam.ManagedPolicy, wildcards: PipelineWildcard[]): void {
  policy.node.addValidation({
    validate: () => {
      const stack = Stack.of(policy);
      const cfn = policy.node.defaultChild as iam.CfnManagedPolicy;
      const present = new Set(wildcardFindings(stack.resolve(cfn.policyDocument)));
      for (const wildcard of wildcards) {
        const declared = wildcardFindings(stack.resolve({ Statement: [{ Effect: 'Allow', Resource: wildcard.resources }] }));
        for (const finding of declared) {
          if (present.has(finding)) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: wildcard.reason });
        }
      }
      return [];
    },
  });
}
