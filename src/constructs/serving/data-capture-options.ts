import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Where and how much endpoint traffic is captured.
 */
export interface DataCaptureOptions {
  /** The bucket the captured requests and responses go to. */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix in the bucket, without slashes at either end. SageMaker writes under
   * `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/`.
   * @default "data-capture"
   */
  readonly prefix?: string;
  /**
   * Share of requests captured, in percent (1 to 100).
   * @default 20
   */
  readonly samplingPercent?: number;
  /**
   * The key SageMaker encrypts captured files with.
   * @default - the endpoint's encryption key
   */
  readonly encryptionKey?: kms.IKey;
}
