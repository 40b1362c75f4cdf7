import { TrainingFramework } from '../../core/enums';
import { FRAMEWORK_REGISTRY_ACCOUNTS, FRAMEWORK_VERSIONS } from '../../core/frameworks';

/** Regions where the SDK lists no scikit-learn image older than 1.4-2. */
const SKLEARN_LATE_REGIONS = ['ca-west-1', 'il-central-1'];

interface ImageFamily {
  readonly repository: string;
  /** The image tag of a framework version (CPU, Python 3). */
  readonly tag: (version: string) => string;
  /** Whether the version's image is published in the region. */
  readonly publishedIn: (version: string, region: string) => boolean;
}

const FAMILIES: { readonly [framework: string]: ImageFamily } = {
  [TrainingFramework.XGBOOST]: {
    repository: 'sagemaker-xgboost',
    tag: (version) => version,
    publishedIn: () => true,
  },
  [TrainingFramework.SKLEARN]: {
    repository: 'sagemaker-scikit-learn',
    tag: (version) => `${version}-cpu-py3`,
    publishedIn: (version, region) => version === '1.4-2' || !SKLEARN_LATE_REGIONS.includes(region),
  },
};

function domainSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * The SageMaker framework images the training pipeline runs its steps in: the XGBoost and
 * scikit-learn containers of script mode, for each version of `FRAMEWORK_VERSIONS` in each
 * region of the standard, China and GovCloud partitions.
 */
export class FrameworkImage {
  /** The regions the image map knows, sorted. */
  public static regions(): string[] {
    return Object.keys(FRAMEWORK_REGISTRY_ACCOUNTS).sort();
  }

  /** Whether the map has an image for the framework version in the region. */
  public static isAvailable(framework: TrainingFramework, version: string, region: string): boolean {
    const family = FAMILIES[framework];
    return family !== undefined
      && (FRAMEWORK_VERSIONS[framework] ?? []).includes(version)
      && FRAMEWORK_REGISTRY_ACCOUNTS[region] !== undefined
      && family.publishedIn(version, region);
  }

  /**
   * The image URI, e.g. `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1`.
   * Throws for `TrainingFramework.CUSTOM` (bring the URI) and for versions or regions the map
   * does not know.
   */
  public static uri(framework: TrainingFramework, version: string, region: string): string {
    const family = FAMILIES[framework];
    if (family === undefined) {
      throw new Error(`${framework} has no SageMaker framework image; set training.customImageUri`);
    }
    const versions = FRAMEWORK_VERSIONS[framework];
    if (!versions.includes(version)) {
      throw new Error(`${framework} ${version} is not in the image map; known versions: ${versions.join(', ')}`);
    }
    const account = FRAMEWORK_REGISTRY_ACCOUNTS[region];
    if (account === undefined || !family.publishedIn(version, region)) {
      throw new Error(`no ${framework} ${version} image is known in region ${JSON.stringify(region)}; known regions: ${FrameworkImage.regions().join(', ')}`);
    }
    return `${account}.dkr.ecr.${region}.${domainSuffix(region)}/${family.repository}:${family.tag(version)}`;
  }

  private constructor() {}
}
