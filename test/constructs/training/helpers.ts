import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { AidlcConfig, AidlcConfigOptions, ResolvedConfig, TrainingOptions } from '../../../src/config';
import { IDataLake } from '../../../src/constructs/data/data-lake-ref';

export const ENV = { account: '111111111111', region: 'us-east-1' };
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const TRAINING_DIR = path.join(REPO_ROOT, 'training');

/** The resolved config of a generated repository, with training options replaced. */
export function testConfig(training: TrainingOptions = {}, overrides: Partial<AidlcConfigOptions> = {}): ResolvedConfig {
  return AidlcConfig.resolve({
    modelName: 'churn',
    githubRepository: 'acme/churn',
    awsRegion: ENV.region,
    awsAccount: ENV.account,
    training,
    ...overrides,
  });
}

/** An app that synthesizes into a fresh temporary directory (never the working directory). */
export function testApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-training-')) });
}

/**
 * A data lake standing in for the data stack's: a rotated customer managed key and
 * KMS-encrypted, versioned, TLS-only, logged buckets.
 */
export class LakeStandIn extends Construct implements IDataLake {
  public readonly key: kms.Key;
  public readonly rawBucket: s3.Bucket;
  public readonly validatedBucket: s3.Bucket;
  public readonly quarantineBucket: s3.Bucket;
  public readonly artifactsBucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    const bucket = (name: string) => new s3.Bucket(this, name, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${name}/`,
    });
    this.rawBucket = bucket('Raw');
    this.validatedBucket = bucket('Validated');
    this.quarantineBucket = bucket('Quarantine');
    this.artifactsBucket = bucket('Artifacts');
    const reason = 'Test stand-in for the data stack\'s lake; the real DataLake\'s own compliance is tested with it.';
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(this).acknowledge({ id: `${pack}-S3BucketReplicationEnabled`, reason });
      Validations.of(this.accessLogsBucket).acknowledge({ id: `${pack}-S3BucketLoggingEnabled`, reason });
      Validations.of(this.accessLogsBucket).acknowledge({ id: `${pack}-S3DefaultEncryptionKMS`, reason });
    }
    Validations.of(this.accessLogsBucket).acknowledge({ id: 'AwsSolutions-S1', reason });
  }
}

/** A stack holding only the stand-in lake, as the data stack holds the real one. */
export function lakeStack(app: App): LakeStandIn {
  return new LakeStandIn(new Stack(app, 'Lake', { env: ENV }), 'Lake');
}

/** Bucket names and key ARN of an imported lake, for tests that read literal values. */
export const IMPORTED = {
  keyArn: 'arn:aws:kms:us-east-1:111111111111:key/00000000-1111-2222-3333-444444444444',
  validated: 'churn-validated-bucket',
  artifacts: 'churn-artifacts-bucket',
};

/** A lake from literal names (no resources): its values appear verbatim in the template. */
export function importedLake(scope: Construct): IDataLake {
  const bucket = (id: string, name: string) => s3.Bucket.fromBucketName(scope, id, name);
  return {
    key: kms.Key.fromKeyArn(scope, 'ImportedKey', IMPORTED.keyArn),
    rawBucket: bucket('ImportedRaw', 'churn-raw-bucket'),
    validatedBucket: bucket('ImportedValidated', IMPORTED.validated),
    quarantineBucket: bucket('ImportedQuarantine', 'churn-quarantine-bucket'),
    artifactsBucket: bucket('ImportedArtifacts', IMPORTED.artifacts),
    accessLogsBucket: bucket('ImportedLogs', 'churn-logs-bucket'),
  };
}

/** The four compliance packs of the design: synthesis fails on any unacknowledged finding. */
export function withCompliancePacks(app: App): App {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app));
  return app;
}

/** Synthesizes the app and returns a stack's template. */
export function templateOf(app: App, stack: Stack): Template {
  return Template.fromJSON(app.synth().getStackByName(stack.stackName).template);
}

/** Resources of the pipeline itself, not of its signing step (which has a role and policy of its own). */
export const PIPELINE_OWN = (logicalId: string): boolean => !logicalId.includes('Signer');

/** The one resource of a type in a template (among those `keep` accepts), with its logical id. */
export function only(
  template: Template, type: string, keep: (logicalId: string) => boolean = () => true,
): { id: string; properties: any; dependsOn: string[] } {
  const found = Object.entries(template.findResources(type)).filter(([id]) => keep(id));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0] as [string, any];
  return { id, properties: resource.Properties, dependsOn: [resource.DependsOn ?? []].flat() };
}
