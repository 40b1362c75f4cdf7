import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { DataCaptureOptions } from './data-capture-options';
import { InvalidValuesError } from '../../core/problem';

/** The default key prefix of captured data. */
export const DEFAULT_CAPTURE_PREFIX = 'data-capture';

/** Key prefix under which SageMaker writes the captured data of one endpoint variant. */
export function captureKeyPrefix(prefix: string, endpointName: string, variantName: string): string {
  return `${prefix}/${endpointName}/${variantName}/`;
}

/**
 * The `DataCaptureConfig` of an endpoint configuration: requests and responses, CSV and JSON
 * bodies kept as text (not base64) so the drift monitor can read them.
 */
export function renderDataCapture(options: DataCaptureOptions, key: kms.IKey | undefined): CfnEndpointConfig.DataCaptureConfigProperty {
  const percent = options.samplingPercent ?? 20;
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
    throw new InvalidValuesError('CanaryEndpoint', [{ path: 'dataCapture.samplingPercent', value: percent, message: 'is not a whole percentage from 1 to 100', fix: 'give a whole number from 1 to 100, e.g. 20' }]);
  }
  const prefix = normalizedPrefix(options);
  return {
    enableCapture: true,
    initialSamplingPercentage: percent,
    destinationS3Uri: options.bucket.s3UrlForObject(prefix),
    ...(key ? { kmsKeyId: key.keyArn } : {}),
    captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
    captureContentTypeHeader: {
      csvContentTypes: ['text/csv'],
      jsonContentTypes: ['application/json', 'application/jsonlines'],
    },
  };
}

export function normalizedPrefix(options: DataCaptureOptions): string {
  const prefix = (options.prefix ?? DEFAULT_CAPTURE_PREFIX).replace(/^\/+|\/+$/g, '');
  if (!prefix) {
    throw new InvalidValuesError('CanaryEndpoint', [{ path: 'dataCapture.prefix', value: options.prefix, message: 'is empty', fix: `give a key prefix, e.g. "${DEFAULT_CAPTURE_PREFIX}", or leave it unset` }]);
  }
  return prefix;
}
