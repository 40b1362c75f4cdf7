import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { AidlcApp } from '../../src/app/aidlc-app';
import { AidlcConfig } from '../../src/config';

jest.setTimeout(120_000);

/** The signing key in the whole app: who signs and who verifies, across the stacks. */
describe('model signing across the app', () => {
  const app = new AidlcApp({ config: AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' }), outdir: mkdtempSync(join(tmpdir(), 'aidlc-signing-')) });
  const assembly = app.synth();
  const training = Template.fromJSON(assembly.getStackByName('churn-training').template);
  const delivery = Template.fromJSON(assembly.getStackByName('churn-delivery').template);
  const [key] = Object.values(training.findResources('AWS::KMS::Key', { Properties: { KeyUsage: 'SIGN_VERIFY' } })) as any[];
  const statements: any[] = key.Properties.KeyPolicy.Statement;

  test('the training stack holds one SIGN_VERIFY key under the model\'s alias', () => {
    expect(key.Properties.KeySpec).toBe('ECC_NIST_P256');
    training.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/aidlc/churn/model-signing' });
  });

  test('only the SignArtifact function\'s role signs; the delivery pipeline\'s Deploy role verifies', () => {
    const signerRole = Object.keys(training.findResources('AWS::IAM::Role')).find((id) => id.startsWith('TrainingSignerRole'))!;
    const sign = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('kms:Sign'));
    expect(sign.map((s) => s.Principal.AWS)).toEqual([{ 'Fn::GetAtt': [signerRole, 'Arn'] }]);
    const verify = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('kms:Verify'));
    expect(verify).toHaveLength(1);
    const imported = JSON.stringify(verify[0].Principal.AWS);
    expect(imported).toContain('Fn::ImportValue');
    const deployProject = Object.entries(delivery.findResources('AWS::CodeBuild::Project')).find(([, p]: any) => /^cdk deploy of one stack/.test(p.Properties.Description))![1] as any;
    expect(imported).toContain(deployProject.Properties.ServiceRole['Fn::GetAtt'][0]);
    // The SignArtifact function signs with this key.
    training.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { SIGNING_KEY_ID: { 'Fn::GetAtt': [Object.keys(training.findResources('AWS::KMS::Key', { Properties: { KeyUsage: 'SIGN_VERIFY' } }))[0], 'Arn'] } } } });
  });

  test('the training pipeline role may invoke the signer, and the pipeline runs it before Register', () => {
    const body = JSON.stringify(Object.values(training.findResources('AWS::SageMaker::Pipeline'))[0]);
    expect(body.indexOf('SignArtifact')).toBeGreaterThan(-1);
    expect(body.indexOf('SignArtifact')).toBeLessThan(body.indexOf('\\"Name\\":\\"Register\\"'));
  });
});
