import { Aws, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IDataLake } from './data-lake-ref';
import { InvalidValuesError, Problem } from '../../core/problem';
import { allowLogGroupEncryption, restrictGrantsToAwsResources } from '../key-policies';
import { DataBoundary } from '../network/model-network-ref';

/**
 * Props of a `DataLake`.
 */
export interface DataLakeProps {
  /**
   * Alias of the lake's KMS key, e.g. `alias/aidlc/churn`.
   * @default - no alias
   */
  readonly keyAlias?: string;
  /**
   * Days after which raw datasets (current and older versions) move to S3 Glacier Flexible Retrieval.
   * @default 90
   */
  readonly rawToGlacierDays?: number;
  /**
   * Days to keep server access logs and CloudTrail log files.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Days after which validated datasets (gate-run copies, reports, manifests; current and older
   * versions) expire. Lineage of a model version can be traced while its dataset is kept.
   * @default - never
   */
  readonly validatedRetentionDays?: number;
  /**
   * Days after which endpoint data capture in the artifacts bucket (under `dataCapturePrefix`)
   * expires, current and older versions.
   * @default - never
   */
  readonly dataCaptureRetentionDays?: number;
  /**
   * Key prefix of endpoint data capture in the artifacts bucket.
   * @default "data-capture/"
   */
  readonly dataCapturePrefix?: string;
  /**
   * Record S3 data events (every object read and write) of the lake's buckets in a CloudTrail
   * trail. Turn off only when an organization trail records them already.
   * @default true
   */
  readonly dataEventsTrail?: boolean;
  /**
   * What happens to the buckets and the key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The network data reads must come through: the raw, validated and quarantine buckets and the
   * captured traffic in the artifacts bucket refuse `GetObject` from anywhere else.
   * @default - reads are limited by IAM alone
   */
  readonly dataBoundary?: DataBoundary;
  /**
   * Roles that may read data from outside that network, by ARN (e.g. CI jobs on GitHub's
   * runners and the pipeline's data gate on CodeBuild). Requests an AWS service makes on a
   * principal's behalf, and AWS service principals themselves, are not refused either.
   * @default - none
   */
  readonly outsideReaderRoleArns?: string[];
}

/** The tag the network audit reads (`DATA_CLASS_TAG` of the compliance checks; no import, so constructs stay free of the app). */
const DATA_CLASS_TAG = 'aidlc:data-class';

/** Where endpoint data capture writes in the artifacts bucket (the `CanaryEndpoint` default). */
const CAPTURE_PREFIX = 'data-capture/';

/**
 * The secure data foundation of one model: a customer managed KMS key with rotation and five
 * buckets encrypted with it (SSE-KMS with bucket keys): raw, validated, quarantine, artifacts and
 * server access logs. Every bucket blocks public access, accepts TLS only, refuses uploads that
 * ask for another encryption, keeps versions and is owned by the account (no ACLs); the data
 * buckets log access to the logs bucket. Raw datasets move to Glacier after a configurable
 * number of days and send their events to EventBridge (where the data gate picks them up). A
 * CloudTrail trail records the S3 data events of these buckets into its own encrypted, versioned
 * bucket, with file validation and a copy in CloudWatch Logs.
 */
export class DataLake extends Construct implements IDataLake {
  public readonly key: kms.IKey;
  public readonly rawBucket: s3.IBucket;
  public readonly validatedBucket: s3.IBucket;
  public readonly quarantineBucket: s3.IBucket;
  public readonly artifactsBucket: s3.IBucket;
  public readonly accessLogsBucket: s3.IBucket;
  /**
   * The bucket of the CloudTrail log files (undefined without the trail).
   */
  public readonly trailBucket?: s3.IBucket;
  /**
   * The trail of the lake's S3 data events (undefined when `dataEventsTrail` is false).
   */
  public readonly trail?: cloudtrail.Trail;

  constructor(scope: Construct, id: string, props: DataLakeProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy (the buckets disable ACLs), whatever the app's flags.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const rawToGlacierDays = props.rawToGlacierDays ?? 90;
    const logRetentionDays = props.logRetentionDays ?? 365;
    checkDays(rawToGlacierDays, props);
    const capturePrefix = props.dataCapturePrefix ?? 'data-capture/';

    const key = this.createKey(removalPolicy, props.keyAlias);
    this.key = key;
    const logs_ = this.bucket('AccessLogs', { removalPolicy, expireAfterDays: logRetentionDays });
    this.accessLogsBucket = logs_;
    this.rawBucket = this.bucket('Raw', { removalPolicy, accessLogs: logs_, glacierAfterDays: rawToGlacierDays, eventBridge: true });
    this.validatedBucket = this.bucket('Validated', {
      removalPolicy,
      accessLogs: logs_,
      rules: props.validatedRetentionDays === undefined ? [] : [expireRule('ExpireValidatedDatasets', props.validatedRetentionDays)],
    });
    this.quarantineBucket = this.bucket('Quarantine', { removalPolicy, accessLogs: logs_ });
    this.artifactsBucket = this.bucket('Artifacts', {
      removalPolicy,
      accessLogs: logs_,
      rules: props.dataCaptureRetentionDays === undefined ? [] : [expireRule('ExpireDataCapture', props.dataCaptureRetentionDays, capturePrefix)],
    });
    // What each bucket holds, for the network audit: data buckets must refuse reads from outside the network.
    for (const bucket of [this.rawBucket, this.validatedBucket, this.quarantineBucket]) Tags.of(bucket).add(DATA_CLASS_TAG, 'datasets');
    Tags.of(this.artifactsBucket).add(DATA_CLASS_TAG, 'captured-traffic');

    if (props.dataEventsTrail ?? true) {
      this.trailBucket = this.bucket('TrailLogs', { removalPolicy, accessLogs: logs_, expireAfterDays: logRetentionDays });
      this.trail = this.createTrail(key, this.trailBucket, removalPolicy);
    }
    if (props.dataBoundary) this.refuseReadsOutside(props.dataBoundary, props.outsideReaderRoleArns ?? []);
    this.acknowledgeFindings();
  }

  /** The lake's customer managed key, rotated; CloudWatch Logs may use it, grants only for AWS resources. */
  private createKey(removalPolicy: RemovalPolicy, alias: string | undefined): kms.Key {
    const key = new kms.Key(this, 'Key', {
      description: `aidlc data lake ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy,
      ...(alias ? { alias } : {}),
    });
    allowLogGroupEncryption(key);
    restrictGrantsToAwsResources(key);
    return key;
  }

  /**
   * A trail of the S3 data events of the four data buckets (no management events), its files
   * validated and encrypted with the lake's key, delivered to the bucket and to an encrypted log group.
   */
  private createTrail(key: kms.Key, trailBucket: s3.IBucket, removalPolicy: RemovalPolicy): cloudtrail.Trail {
    allowCloudTrailEncryption(key);
    const logGroup = new logs.LogGroup(this, 'TrailLogGroup', {
      encryptionKey: key,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    // The trail's CloudWatch Logs role, with a managed policy scoped to its log group (the
    // L2's own option would attach an inline policy).
    const logsPolicy = new iam.ManagedPolicy(this, 'TrailLogsPolicy', {
      description: 'CloudTrail delivery to the data lake trail log group',
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
    });
    const logsRole = new iam.Role(this, 'TrailLogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      managedPolicies: [logsPolicy],
    });
    const trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: trailBucket,
      encryptionKey: key,
      enableFileValidation: true,
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      managementEvents: cloudtrail.ReadWriteType.NONE,
    });
    const cfnTrail = trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.cloudWatchLogsLogGroupArn = logGroup.logGroupArn;
    cfnTrail.cloudWatchLogsRoleArn = logsRole.roleArn;
    trail.addS3EventSelector(
      [this.rawBucket, this.validatedBucket, this.quarantineBucket, this.artifactsBucket].map((bucket) => ({ bucket })),
      { readWriteType: cloudtrail.ReadWriteType.ALL, includeManagementEvents: false },
    );
    trail.node.addDependency(trailBucket, logsRole);
    return trail;
  }

  /** The datasets and the captured traffic refuse reads that do not come through the network, except the named readers'. */
  private refuseReadsOutside(boundary: DataBoundary, readers: string[]): void {
    for (const bucket of [this.rawBucket, this.validatedBucket, this.quarantineBucket]) {
      denyReadsOutside(bucket, bucket.arnForObjects('*'), boundary, readers);
    }
    denyReadsOutside(this.artifactsBucket, this.artifactsBucket.arnForObjects(`${CAPTURE_PREFIX}*`), boundary, readers);
  }

  /** The checks the lake answers differently, each with its reason (the one place for them). */
  private acknowledgeFindings(): void {
    const logs_ = this.accessLogsBucket;
    const selfLogging = 'This is the lake\'s server access log bucket: logging it into itself would only record log deliveries, in a loop.';
    Validations.of(logs_).acknowledge(
      ...['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled',
        'cdk-validator-cfnguard::s3_bucket_logging_enabled_check'].map((id) => ({ id, reason: selfLogging })),
    );
    const buckets = [this.rawBucket, this.validatedBucket, this.quarantineBucket, this.artifactsBucket, logs_];
    if (this.trailBucket) buckets.push(this.trailBucket);
    for (const bucket of buckets) {
      Validations.of(bucket).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-S3BucketReplicationEnabled`,
        reason: 'Cross-region replication is a disaster-recovery choice per account (a second region and key); the lake keeps every version, and raw data in Glacier, instead.',
      })));
    }
  }

  /**
   * Lets `grantee` upload datasets to the raw bucket under `prefix` (default: anywhere), with
   * the key use an SSE-KMS upload needs.
   */
  public grantUpload(grantee: iam.IGrantable, prefix?: string): iam.Grant {
    return this.grantObjects(grantee, this.rawBucket, prefix, ['s3:PutObject', 's3:AbortMultipartUpload'], ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /** Lets `grantee` list and read validated datasets under `prefix` (default: all). */
  public grantReadValidated(grantee: iam.IGrantable, prefix?: string): iam.Grant {
    return this.grantObjects(grantee, this.validatedBucket, prefix, ['s3:GetObject', 's3:GetObjectVersion'], ['kms:Decrypt'], true);
  }

  /** Lets `grantee` list, read, write and delete artifacts under `prefix` (default: all). */
  public grantReadWriteArtifacts(grantee: iam.IGrantable, prefix?: string): iam.Grant {
    return this.grantObjects(grantee, this.artifactsBucket, prefix,
      ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
      ['kms:GenerateDataKey', 'kms:Decrypt'], true);
  }

  private grantObjects(
    grantee: iam.IGrantable, bucket: s3.IBucket, prefix: string | undefined, actions: string[], keyActions: string[], list = false,
  ): iam.Grant {
    const p = prefix ?? '';
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [bucket.arnForObjects(`${p}*`)] });
    if (list) {
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:ListBucket'],
        resourceArns: [bucket.bucketArn],
        conditions: p ? { StringLike: { 's3:prefix': [`${p}*`] } } : undefined,
      });
    }
    iam.Grant.addToPrincipal({ grantee, actions: keyActions, resourceArns: [this.key.keyArn] });
    return grant;
  }

  private bucket(id: string, o: {
    removalPolicy: RemovalPolicy;
    accessLogs?: s3.IBucket;
    glacierAfterDays?: number;
    expireAfterDays?: number;
    eventBridge?: boolean;
    rules?: s3.LifecycleRule[];
  }): s3.Bucket {
    const lifecycleRules: s3.LifecycleRule[] = [{ id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }, ...(o.rules ?? [])];
    if (o.glacierAfterDays !== undefined) {
      lifecycleRules.push({
        id: 'RawToGlacier',
        transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(o.glacierAfterDays) }],
        noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(o.glacierAfterDays) }],
      });
    }
    if (o.expireAfterDays !== undefined) {
      lifecycleRules.push({
        id: 'ExpireLogs',
        expiration: Duration.days(o.expireAfterDays),
        noncurrentVersionExpiration: Duration.days(o.expireAfterDays),
      });
    }
    const bucket = new s3.Bucket(this, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: o.removalPolicy,
      lifecycleRules,
      ...(o.accessLogs ? { serverAccessLogsBucket: o.accessLogs, serverAccessLogsPrefix: `${id.toLowerCase()}/` } : {}),
    });
    denyOtherEncryption(bucket, this.key);
    if (o.eventBridge) {
      // Set on the bucket itself: S3's own notification resource would add a custom-resource
      // Lambda to every stack, and a direct Lambda notification forms a dependency cycle.
      (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
    return bucket;
  }
}

/** Every period is a whole number of days, at least 1. */
function checkDays(rawToGlacierDays: number, props: DataLakeProps): void {
  const problems: Problem[] = [];
  for (const [name, days] of [['rawToGlacierDays', rawToGlacierDays], ['validatedRetentionDays', props.validatedRetentionDays], ['dataCaptureRetentionDays', props.dataCaptureRetentionDays]] as const) {
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
      problems.push({ path: name, value: days, message: 'is not a whole number of days, at least 1', fix: 'give whole days, 1 or more' });
    }
  }
  if (problems.length > 0) throw new InvalidValuesError('DataLake', problems);
}

/** Objects (under `prefix`, else all) and their older versions expire after `days`. */
function expireRule(id: string, days: number, prefix?: string): s3.LifecycleRule {
  return {
    id,
    ...(prefix ? { prefix } : {}),
    expiration: Duration.days(days),
    noncurrentVersionExpiration: Duration.days(days),
  };
}

/**
 * Refuses uploads that name an encryption other than SSE-KMS, or another KMS key. Uploads that
 * name none get the bucket default (this key), so no object can end up encrypted otherwise.
 */
function denyOtherEncryption(bucket: s3.Bucket, key: kms.IKey): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyOtherEncryption',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    },
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyOtherKmsKey',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [key.keyArn, key.keyId] },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
    },
  }));
}

/**
 * Refuses data reads that did not come through the network (`aws:SourceVpce` or
 * `aws:SourceVpc`), except by the named roles, AWS service principals and requests an AWS
 * service makes on a principal's behalf. The statement's conditions are all required for the
 * deny, so any one of them exempts a request.
 */
function denyReadsOutside(bucket: s3.IBucket, objects: string, boundary: DataBoundary, readers: string[]): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyDataReadsOutsideTheNetwork',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject', 's3:GetObjectVersion'],
    resources: [objects],
    conditions: {
      StringNotEquals: { [boundary.conditionKey]: boundary.values },
      BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
      ...(readers.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': readers } } : {}),
    },
  }));
}

/** CloudTrail may encrypt this account's trails with the key (and describe it). */
function allowCloudTrailEncryption(key: kms.Key): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailEncryption',
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
    actions: ['kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${stack.account}:trail/*` },
    },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailDescribeKey',
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
    actions: ['kms:DescribeKey'],
    resources: ['*'],
  }));
}
