import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IDataLake } from '../../../src/constructs/data/data-lake-ref';

/**
 * A minimal data lake for construct tests: one customer managed key and KMS-encrypted buckets,
 * standing in for the real DataLake (which lives in its own stack).
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
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    const bucket = (name: string) => new s3.Bucket(this, name, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
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
    const reason = 'test stand-in for the data stack\'s lake, whose own compliance is tested with the real DataLake';
    Validations.of(this).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((pack) => [
      { id: `${pack}-S3BucketReplicationEnabled`, reason },
      { id: `${pack}-S3BucketVersioningEnabled`, reason },
      { id: `${pack}-S3DefaultEncryptionKMS`, reason },
    ]));
  }
}

/** A stack holding only the stand-in lake, as the data stack holds the real one. */
export function lakeStack(scope: Construct, id = 'Lake'): { stack: Stack; lake: LakeStandIn } {
  const stack = new Stack(scope, id, { env: { account: '111111111111', region: 'us-east-1' } });
  return { stack, lake: new LakeStandIn(stack, 'Lake') };
}
