import { TrainingFramework } from './enums';

/**
 * Framework versions whose SageMaker images the training pipeline knows (the image map is
 * `FrameworkImage` in `constructs/training/framework-image.ts`). The first entry is the default
 * for the framework; the others follow newest first.
 *
 * Source: the training versions of `image_uri_config/xgboost.json` and `sklearn.json` in
 * aws/sagemaker-python-sdk, read 2026-11. XGBoost 1.7-1 is the newest version the training
 * script is tested against (Debian's python3-xgboost is 1.7.4, as in the 1.7-1 image).
 */
export const FRAMEWORK_VERSIONS: Record<TrainingFramework, readonly string[]> = {
  [TrainingFramework.XGBOOST]: ['1.7-1', '1.5-1', '1.3-1', '1.2-2', '1.2-1'],
  [TrainingFramework.SKLEARN]: ['1.2-1', '1.4-2', '1.0-1', '0.23-1'],
  [TrainingFramework.CUSTOM]: [],
};

/** Evaluation metrics the evaluation step computes, and whether larger is better. */
export const EVALUATION_METRICS: Record<string, { higherIsBetter: boolean; min: number; max: number }> = {
  auc: { higherIsBetter: true, min: 0, max: 1 },
  accuracy: { higherIsBetter: true, min: 0, max: 1 },
  f1: { higherIsBetter: true, min: 0, max: 1 },
  rmse: { higherIsBetter: false, min: 0, max: Number.MAX_VALUE },
  mae: { higherIsBetter: false, min: 0, max: Number.MAX_VALUE },
};

/**
 * ECR accounts of the SageMaker framework images (`sagemaker-xgboost`, `sagemaker-scikit-learn`)
 * per region. Both repositories live in the same account of each region.
 *
 * Source: `src/sagemaker/image_uri_config/xgboost.json` and `sklearn.json` of
 * aws/sagemaker-python-sdk (what `sagemaker.image_uris.retrieve` uses), training scope, read
 * 2026-11; sklearn 1.4-2 from the SDK's pull request #5303. The isolated partitions (us-iso*,
 * us-isob*, us-isof*) are left out: their registry domains differ.
 */
export const FRAMEWORK_REGISTRY_ACCOUNTS: { readonly [region: string]: string } = {
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
