import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ModelSigningKey, SIGNING_KEY_ADMIN_ACTIONS } from '../../../src/constructs/training/model-signing-key';
import { testApp } from '../../support/cdk-app';

function synth() {
  const app = testApp();
  const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' } });
  const signer = new iam.Role(stack, 'Signer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  const key = new ModelSigningKey(stack, 'Signing', { signer, alias: 'alias/aidlc/churn/model-signing' });
  key.grantVerify(deployer);
  const template = Template.fromStack(stack);
  const [keyResource] = Object.values(template.findResources('AWS::KMS::Key')) as any[];
  const statements: any[] = keyResource.Properties.KeyPolicy.Statement;
  const roleArn = (id: string) => ({ 'Fn::GetAtt': [Object.keys(template.findResources('AWS::IAM::Role')).find((k) => k.startsWith(id))!, 'Arn'] });
  return { template, keyResource, statements, roleArn };
}

describe('ModelSigningKey', () => {
  const { template, keyResource, statements, roleArn } = synth();

  test('is an asymmetric ECC P-256 signing key, kept on stack deletion, with its alias', () => {
    expect(keyResource.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(keyResource.Properties.EnableKeyRotation).toBeUndefined();
    expect(keyResource.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/aidlc/churn/model-signing' });
  });

  test('only the signer role may sign, and only ECDSA_SHA_256 over a digest', () => {
    const allowSign = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a === 'kms:Sign' || a === 'kms:*'));
    expect(allowSign).toEqual([{
      Sid: 'TrainingPipelineSignsDigests',
      Effect: 'Allow',
      Principal: { AWS: roleArn('Signer') },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } },
    }]);
    expect(statements).toContainEqual({
      Sid: 'OnlyTheTrainingPipelineSigns',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn('Signer') } },
    });
  });

  test('the deploy role may verify, and nobody else is given Verify', () => {
    const verifiers = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('kms:Verify'));
    expect(verifiers).toEqual([expect.objectContaining({ Principal: { AWS: roleArn('Deployer') }, Action: ['kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'] })]);
  });

  test('the account administers the key but holds no kms:* and no use of it', () => {
    const root = statements.find((s) => s.Sid === 'AccountAdministersButDoesNotSign');
    expect(root.Action).toEqual(SIGNING_KEY_ADMIN_ACTIONS);
    expect(root.Principal.AWS['Fn::Join'][1]).toEqual(expect.arrayContaining([':iam::111111111111:root']));
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      expect([s.Action].flat()).not.toContain('kms:*');
      if (s.Sid !== 'TrainingPipelineSignsDigests') expect([s.Action].flat()).not.toContain('kms:Sign');
    }
    // Admin patterns must not match the use actions.
    const use = ['kms:Sign', 'kms:Verify', 'kms:Encrypt', 'kms:Decrypt'];
    for (const pattern of SIGNING_KEY_ADMIN_ACTIONS) {
      const re = new RegExp(`^${pattern.replace('*', '.*')}$`);
      expect(use.filter((a) => re.test(a))).toEqual([]);
    }
    template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'GrantsOnlyForAwsResources', Effect: 'Deny' })]) } });
  });
});
