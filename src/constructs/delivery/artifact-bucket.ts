import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props of the pipeline's artifact bucket. */
export interface ArtifactBucketOptions {
  readonly encryptionKey: IKey;
  readonly accessLogsBucket: IBucket;
  readonly accessLogsPrefix: string;
  /** Days a superseded artifact version is kept. */
  readonly noncurrentVersionDays: number;
}

/**
 * The bucket CodePipeline passes artifacts through: SSE-KMS with a bucket key, TLS only, no
 * public access, versioned, access-logged into the lake's log bucket.
 */
export function artifactBucket(scope: Construct, id: string, options: ArtifactBucketOptions): Bucket {
  return new Bucket(scope, id, {
    encryption: BucketEncryption.KMS,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket: options.accessLogsBucket,
    serverAccessLogsPrefix: options.accessLogsPrefix,
    lifecycleRules: [{
      noncurrentVersionExpiration: Duration.days(options.noncurrentVersionDays),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
