import { TrainingFramework } from '../../config/enums';
import { FRAMEWORK_VERSIONS } from '../../config/frameworks';

/**
 * ECR accounts of the SageMaker framework images (`sagemaker-xgboost`, `sagemaker-scikit-learn`)
 * per region. Both repositories live in the same account of each region.
 *
 * Source: `src/sagemaker/image_uri_config/xgboost.json` and `sklearn.json` of
 * aws/sagemaker-python-sdk (what `sagemaker.image_uris.retrieve` uses), training scope, read
 * 2026-11; sklearn 1.4-2 from the SDK's pull request #5303. The isolated partitions (us-iso*,
 * us-isob*, us-isof*) are left out: their registry domains differ.
 */
const FRAMEWORK_REGISTRY_ACCOUNTS: { readonly [region: string]: string } = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '414596584902',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

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
