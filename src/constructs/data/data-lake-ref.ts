import { IKey } from 'aws-cdk-lib/aws-kms';
import { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * What other concerns use of the data lake: its key and its buckets.
 */
export interface IDataLake {
  /** The customer managed key every bucket of the lake is encrypted with. */
  readonly key: IKey;
  /** Datasets as uploaded; the gate reads from here and never deletes. */
  readonly rawBucket: IBucket;
  /** Datasets that passed the gate, each with its report. */
  readonly validatedBucket: IBucket;
  /** Datasets that failed the gate, each with its report. */
  readonly quarantineBucket: IBucket;
  /** Training output, checkpoints, model artifacts, baselines, data capture. */
  readonly artifactsBucket: IBucket;
  /** Server access logs of the other buckets. */
  readonly accessLogsBucket: IBucket;
}
