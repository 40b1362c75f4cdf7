import { Token } from 'aws-cdk-lib';
import { InvalidValuesError } from '../../core/problem';

/**
 * Accounts of the `sagemaker-model-monitor-analyzer` image (the Model Monitor pre-built
 * container) per region, as the SageMaker Python SDK lists them
 * (`image_uri_config/model-monitor.json`). Regions missing here take an explicit image URI.
 */
const REGISTRIES: { [region: string]: string } = {
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
  'ca-central-1': '536280801234',
  'sa-east-1': '539772159869',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'eu-central-1': '048819808253',
  'eu-north-1': '895015795356',
  'me-south-1': '607024016150',
  'ap-south-1': '126357580389',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
};

/**
 * The SageMaker Model Monitor analyzer image of a region.
 */
export class AnalyzerImage {
  /** Regions whose analyzer image this package knows. */
  public static get regions(): string[] {
    return Object.keys(REGISTRIES).sort();
  }

  /**
   * The image URI of the analyzer in a region, e.g.
   * `156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer`.
   */
  public static uriFor(region: string): string {
    if (Token.isUnresolved(region)) {
      throw new InvalidValuesError('AnalyzerImage', [{
        path: 'region', value: region, message: 'is not known at synth, and the Model Monitor analyzer image depends on it', fix: 'give the stack an explicit region, or an image URI',
      }]);
    }
    const account = REGISTRIES[region];
    if (!account) {
      throw new InvalidValuesError('AnalyzerImage', [{
        path: 'region', value: region, message: `has no known Model Monitor analyzer image (known: ${AnalyzerImage.regions.join(', ')})`, fix: 'give the image URI explicitly',
      }]);
    }
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `${account}.dkr.ecr.${region}.${domain}/sagemaker-model-monitor-analyzer`;
  }

  /** The account of an analyzer image URI. */
  public static accountOf(imageUri: string): string {
    const m = /^(\d{12})\.dkr\.ecr\./.exec(imageUri);
    if (!m) throw new InvalidValuesError('AnalyzerImage', [{ path: 'imageUri', value: imageUri, message: 'is not an ECR image URI', fix: 'give <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]' }]);
    return m[1];
  }

  private constructor() {}
}
