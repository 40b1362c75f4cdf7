import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { AidlcConfig, AidlcConfigOptions, ResolvedConfig } from '../../../src/config';
import { IDataLake } from '../../../src/constructs/data/data-lake-ref';

/** A config as a generated repository resolves it. */
export function testConfig(overrides: Partial<AidlcConfigOptions> = {}): ResolvedConfig {
  return AidlcConfig.resolve({
    modelName: 'churn',
    githubRepository: 'acme/churn',
    githubConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0b2c7a1e-1d2f-4c3b-9a8d-7e6f5a4b3c2d',
    awsRegion: 'eu-west-1',
    awsAccount: '123456789012',
    ...overrides,
  });
}

/** An app with the flags a generated repository sets for S3 access logs. */
export function testApp(): App {
  return new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
}

/** Runs the four packs of the design on the app; synthesis fails on any unacknowledged finding. */
export function withCompliancePacks(app: App): App {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
  );
  return app;
}

/** Findings of the four packs on the app's tree, as `RuleId path` lines. */
export function complianceFindings(app: App): string[] {
  app.synth();
  const packs = [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app)];
  const lines: string[] = [];
  for (const pack of packs) {
    for (const violation of pack.validateScope(app).violations) {
      for (const resource of violation.violatingResources) lines.push(`${violation.ruleName} ${resource.constructPath}`);
    }
  }
  return lines;
}

/**
 * A stand-in for the data lake of the data stack: one key, five buckets, in a stack of its own
 * (as in the app, where the lake lives in the data stack).
 */
export class LakeStandIn extends Construct implements IDataLake {
  public readonly key: Key;
  public readonly rawBucket: Bucket;
  public readonly validatedBucket: Bucket;
  public readonly quarantineBucket: Bucket;
  public readonly artifactsBucket: Bucket;
  public readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const bucket = (name: string) => new Bucket(this, name, {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${name.toLowerCase()}/`,
    });
    this.rawBucket = bucket('Raw');
    this.validatedBucket = bucket('Validated');
    this.quarantineBucket = bucket('Quarantine');
    this.artifactsBucket = bucket('ArtifactsData');
  }
}

/**
 * The lake stand-in in its own stack, as the data stack holds the real one. The stand-in is no
 * subject of these tests: what the packs say about it is acknowledged on its stack, so that a
 * finding on the app is a finding of the delivery stack.
 */
export function lakeStack(app: App, config: ResolvedConfig): { stack: Stack; lake: LakeStandIn } {
  const stack = new Stack(app, `${config.modelName}-data`, { env: { account: config.aws.account, region: config.aws.region } });
  const standIn = [
    ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((pack) => [`${pack}-S3BucketReplicationEnabled`, `${pack}-S3DefaultEncryptionKMS`]),
    ...['kms_create_grant_aws_service_check', 's3_bucket_default_encryption_kms_check', 's3_bucket_logging_enabled_check',
      's3_version_lifecycle_policy_check', 's3_lifecycle_policy_check'].map((rule) => `cdk-validator-cfnguard::${rule}`),
  ];
  for (const id of standIn) {
    Validations.of(stack).acknowledge({ id, reason: 'Test stand-in for the data stack\'s lake; the data stack has its own compliance tests.' });
  }
  return { stack, lake: new LakeStandIn(stack, 'Lake') };
}
