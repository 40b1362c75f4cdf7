/**
 * The statement every key of the package carries (`restrictGrantsToAwsResources`): grants only for
 * AWS services acting on AWS resources, as it appears in a synthesized key policy.
 */
export const GRANTS_ONLY_FOR_AWS_RESOURCES = {
  Sid: 'GrantsOnlyForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};
