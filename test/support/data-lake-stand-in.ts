import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV, TestEnvironment } from './environments';
import { IDataLake } from '../../src/constructs/data/data-lake-ref';

/** Rule ids the stand-in's own resources raise, acknowledged on it (see LakeStandIn). */
const STAND_IN_FINDINGS = [
  ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((pack) => [
    `${pack}-S3BucketReplicationEnabled`, `${pack}-S3BucketLoggingEnabled`, `${pack}-S3DefaultEncryptionKMS`,
  ]),
  'AwsSolutions-S1',
  ...['kms_create_grant_aws_service_check', 's3_bucket_default_encryption_kms_check', 's3_bucket_logging_enabled_check',
    's3_version_lifecycle_policy_check', 's3_lifecycle_policy_check'].map((rule) => `cdk-validator-cfnguard::${rule}`),
];

/**
 * A stand-in for the data stack's lake, for tests of what uses it: a rotated customer managed key,
 * KMS-encrypted (bucket key), versioned, TLS-only buckets logged into an access log bucket that
 * takes log delivery through its bucket policy, as the real DataLake's does. The stand-in is no
 * subject of these tests: what the compliance packs and the Control Tower rules say about it is
 * acknowledged on it, so a finding is a finding of the construct or stack under test.
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
    // As in DataLake: log delivery through a bucket policy (the log bucket disables ACLs), whatever the app's flags.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const bucket = (name: string) => new s3.Bucket(this, name, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${name.toLowerCase()}/`,
    });
    this.rawBucket = bucket('Raw');
    this.validatedBucket = bucket('Validated');
    this.quarantineBucket = bucket('Quarantine');
    this.artifactsBucket = bucket('Artifacts');
    const reason = 'Test stand-in for the data stack\'s lake; the real DataLake has compliance tests of its own.';
    Validations.of(this).acknowledge(...STAND_IN_FINDINGS.map((rule) => ({ id: rule, reason })));
  }
}

/** The stand-in lake in a stack of its own, as the data stack holds the real one. */
export function lakeStack(app: App, env: TestEnvironment = ENV): { stack: Stack; lake: LakeStandIn } {
  const stack = new Stack(app, 'Lake', { env });
  return { stack, lake: new LakeStandIn(stack, 'Lake') };
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
