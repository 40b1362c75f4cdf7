import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { restrictGrantsToAwsResources } from '../key-policies';

/**
 * Props of {@link ModelSigningKey}.
 */
export interface ModelSigningKeyProps {
  /** The one role that may sign with the key: the training pipeline's signing step. */
  readonly signer: iam.IRole;
  /**
   * Alias of the key, e.g. `alias/aidlc/churn/model-signing`: how the deploy step finds it.
   * @default - no alias
   */
  readonly alias?: string;
  /**
   * What happens to the key when it leaves the stack. Signatures of registered models cannot be
   * verified without it, so it is kept by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The actions the account may use to administer the key: none of them signs or verifies. */
export const SIGNING_KEY_ADMIN_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
];

/** The algorithm and message type the signer may use. */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/**
 * The signing key of one model: an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) whose policy
 * lets exactly one role sign (the training pipeline's signing step, ECDSA_SHA_256 over a digest
 * only) and the roles given to `grantVerify` verify. The account administers the key but cannot
 * sign with it; an explicit deny refuses `kms:Sign` to every other principal, whatever IAM says.
 *
 * P-256 because its signatures (about 96 characters in base64) fit a model package's metadata
 * values (at most 256 characters), where an RSA-2048 signature would not.
 */
export class ModelSigningKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;
  /** The alias, when one was given. */
  public readonly alias?: string;
  private readonly verifiers: { [path: string]: iam.IRole } = {};

  constructor(scope: Construct, id: string, props: ModelSigningKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `aidlc model signing ${this.node.path}: the training pipeline signs artifact digests, deployments verify them`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // An explicit policy: the default would let every IAM principal of the account sign.
      policy: new iam.PolicyDocument(),
      ...(props.alias ? { alias: props.alias } : {}),
    });
    this.alias = props.alias;
    const key = this.key;
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AccountAdministersButDoesNotSign',
      principals: [new iam.AccountRootPrincipal()],
      actions: SIGNING_KEY_ADMIN_ACTIONS,
      resources: ['*'],
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'TrainingPipelineSignsDigests',
      principals: [new iam.ArnPrincipal(props.signer.roleArn)],
      actions: ['kms:Sign'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:SigningAlgorithm': SIGNING_ALGORITHM, 'kms:MessageType': 'DIGEST' } },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheTrainingPipelineSigns',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Sign'],
      resources: ['*'],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.signer.roleArn } },
    }));
    restrictGrantsToAwsResources(key);
  }

  /** Lets the role verify signatures with the key (and read its public key and description). */
  public grantVerify(role: iam.IRole): void {
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `VerifySignatures${Object.keys(this.verifiers).length}`,
      principals: [new iam.ArnPrincipal(role.roleArn)],
      actions: ['kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'],
      resources: ['*'],
    }));
    this.verifiers[role.node.path] = role;
  }
}
