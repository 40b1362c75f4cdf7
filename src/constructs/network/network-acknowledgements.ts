import { Stack, Validations } from 'aws-cdk-lib';
import { IAM_RULES, NETWORK_RULES, guardrailAcknowledgement } from '../../core/templates/guardrail-rules';

/** The construct id of the function CDK adds to strip a new VPC's default security group of its rules. */
const RESTRICT_DEFAULT_SG_PROVIDER = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

const PROVIDER_REASON = 'CDK\'s deploy-time provider that removes every rule of the new VPC\'s default security group (the '
  + 'restrictDefaultSecurityGroup control). It runs only while CloudFormation creates or updates the VPC, calls only the EC2 API '
  + 'on that one group, and touches no data; it is CDK\'s own code, so its role and placement are CDK\'s.';

/**
 * Acknowledges, on that provider alone, what CDK's own function does differently: it runs outside
 * the VPC it configures (it must exist before the VPC's endpoints do), and its role has the AWS
 * managed basic-execution policy.
 */
export function acknowledgeNetworkProviders(stack: Stack): void {
  const provider = stack.node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER);
  if (!provider) return;
  // On the provider construct: its role and its function inherit the acknowledgements.
  Validations.of(provider).acknowledge(
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: PROVIDER_REASON },
    { id: guardrailAcknowledgement(IAM_RULES.awsManagedPolicy), reason: PROVIDER_REASON },
    { id: guardrailAcknowledgement(NETWORK_RULES.functionOutsideVpc), reason: PROVIDER_REASON },
  );
}
