import { TrainingFramework } from '../../../src/config';
import { FrameworkImage } from '../../../src/constructs/training/framework-image';
import { FRAMEWORK_VERSIONS } from '../../../src/core/frameworks';

describe('FrameworkImage', () => {
  test('XGBoost images are tagged with the framework version', () => {
    expect(FrameworkImage.uri(TrainingFramework.XGBOOST, '1.7-1', 'us-east-1'))
      .toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(FrameworkImage.uri(TrainingFramework.XGBOOST, '1.5-1', 'eu-west-1'))
      .toBe('141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.5-1');
  });

  test('scikit-learn images carry the processor and Python tag', () => {
    expect(FrameworkImage.uri(TrainingFramework.SKLEARN, '1.2-1', 'us-west-2'))
      .toBe('246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
  });

  test('China regions use the amazonaws.com.cn registry domain, GovCloud the standard one', () => {
    expect(FrameworkImage.uri(TrainingFramework.XGBOOST, '1.7-1', 'cn-north-1'))
      .toBe('450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1');
    expect(FrameworkImage.uri(TrainingFramework.XGBOOST, '1.7-1', 'us-gov-west-1'))
      .toBe('414596584902.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
  });

  test('every known version of every framework resolves in every region that publishes it', () => {
    for (const framework of [TrainingFramework.XGBOOST, TrainingFramework.SKLEARN]) {
      for (const version of FRAMEWORK_VERSIONS[framework]) {
        for (const region of FrameworkImage.regions()) {
          if (!FrameworkImage.isAvailable(framework, version, region)) continue;
          expect(FrameworkImage.uri(framework, version, region)).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/sagemaker-[a-z-]+:[0-9.-]+[a-z0-9-]*$/);
        }
      }
    }
    expect(FrameworkImage.regions()).toHaveLength(33);
  });

  test('older scikit-learn images are not listed in the newest regions', () => {
    expect(FrameworkImage.isAvailable(TrainingFramework.SKLEARN, '1.2-1', 'il-central-1')).toBe(false);
    expect(FrameworkImage.isAvailable(TrainingFramework.SKLEARN, '1.4-2', 'il-central-1')).toBe(true);
    expect(() => FrameworkImage.uri(TrainingFramework.SKLEARN, '1.2-1', 'ca-west-1')).toThrow(/no sklearn 1.2-1 image is known in region "ca-west-1"/);
  });

  test('unknown versions, regions and the custom framework are refused with a clear message', () => {
    expect(() => FrameworkImage.uri(TrainingFramework.XGBOOST, '0.72', 'us-east-1')).toThrow(/known versions: 1.7-1, 1.5-1/);
    expect(() => FrameworkImage.uri(TrainingFramework.XGBOOST, '1.7-1', 'mars-north-1')).toThrow(/known regions: af-south-1/);
    expect(() => FrameworkImage.uri(TrainingFramework.CUSTOM, 'custom', 'us-east-1')).toThrow(/customImageUri/);
    expect(FrameworkImage.isAvailable(TrainingFramework.CUSTOM, 'custom', 'us-east-1')).toBe(false);
  });
});
