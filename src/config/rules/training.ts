import { EVALUATION_METRICS, FRAMEWORK_REGISTRY_ACCOUNTS, FRAMEWORK_VERSIONS } from '../../core/frameworks';
import { Problem } from '../../core/problem';
import { checkCustomImage, checkEvaluationMetric, checkMlInstanceType, checkSpotWait, isEvaluationMetric } from '../../core/sagemaker-rules';
import { DEFAULTS } from '../defaults';
import { TrainingFramework } from '../enums';
import { TrainingOptions } from '../options';
import { checkEnum, checkNumber, checkString } from './checks';

/** SageMaker's longest training job: 28 days. */
const MAX_RUNTIME_LIMIT = 28 * 24 * 3600;
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._\/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/;

export function trainingRules(t: TrainingOptions | undefined, instanceType: unknown, region?: unknown): Problem[] {
  const problems: Problem[] = [...checkMlInstanceType('trainingInstanceType', instanceType)];
  const usesFrameworkImage = (t?.framework ?? TrainingFramework.XGBOOST) !== TrainingFramework.CUSTOM;
  if (usesFrameworkImage && typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) && !(region in FRAMEWORK_REGISTRY_ACCOUNTS)) {
    problems.push({
      path: 'awsRegion',
      value: region,
      message: 'has no SageMaker framework training images in the image map',
      fix: 'use a region the map knows (e.g. "us-east-1", "eu-west-1"), or bring your own image with TrainingFramework.CUSTOM',
    });
  }
  if (!t) return problems;
  problems.push(...checkString('training.entryPoint', t.entryPoint, /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+\.py$/, 'a relative path to a Python script', 'training/train.py'));
  problems.push(...checkEnum('training.framework', t.framework, Object.values(TrainingFramework), 'TrainingFramework'));

  const framework = t.framework ?? TrainingFramework.XGBOOST;
  if (framework === TrainingFramework.CUSTOM) {
    problems.push(...checkCustomImage('training.customImageUri', framework, t.customImageUri));
    if (t.frameworkVersion !== undefined) {
      problems.push({ path: 'training.frameworkVersion', value: t.frameworkVersion, message: 'does not apply to a CUSTOM image', fix: 'remove frameworkVersion; tag the image instead' });
    }
  } else {
    if (t.customImageUri !== undefined) {
      problems.push({ path: 'training.customImageUri', value: t.customImageUri, message: `is only used with TrainingFramework.CUSTOM, the framework is ${framework}`, fix: 'remove customImageUri or set framework: TrainingFramework.CUSTOM' });
    }
    const known = FRAMEWORK_VERSIONS[framework as TrainingFramework] ?? [];
    if (t.frameworkVersion !== undefined && !known.includes(t.frameworkVersion)) {
      problems.push({ path: 'training.frameworkVersion', value: t.frameworkVersion, message: `is not a ${framework} version the image map knows`, fix: `use one of ${known.map((v) => JSON.stringify(v)).join(', ')}` });
    }
  }
  problems.push(...checkString('training.customImageUri', t.customImageUri, ECR_IMAGE, 'an ECR image URI with a tag or digest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-train:1.0'));

  problems.push(...checkNumber('training.instanceCount', t.instanceCount, 1, 100, { integer: true }));
  problems.push(...checkNumber('training.maxRuntimeSeconds', t.maxRuntimeSeconds, 60, MAX_RUNTIME_LIMIT, { integer: true }));
  problems.push(...checkNumber('training.maxWaitSeconds', t.maxWaitSeconds, 60, MAX_RUNTIME_LIMIT, { integer: true }));
  problems.push(...checkSpotWait('training.maxWaitSeconds', {
    useSpot: t.useSpot ?? DEFAULTS.training.useSpot,
    maxRuntimeSeconds: t.maxRuntimeSeconds ?? DEFAULTS.training.maxRuntimeSeconds,
    maxWaitSeconds: t.maxWaitSeconds,
  }));
  problems.push(...checkNumber('training.checkpointIntervalRounds', t.checkpointIntervalRounds, 1, 100000, { integer: true }));
  problems.push(...checkNumber('training.volumeSizeGb', t.volumeSizeGb, 1, 16384, { integer: true }));
  problems.push(...checkNumber('training.holdoutFraction', t.holdoutFraction, 0.05, 0.5));

  if (t.hyperparameters !== undefined) {
    for (const [name, value] of Object.entries(t.hyperparameters)) {
      if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/.test(name)) {
        problems.push({ path: `training.hyperparameters.${name}`, value: name, message: 'is not a valid hyperparameter name', fix: 'use letters, digits and underscores' });
      }
      if (typeof value !== 'string' || value.length > 2500) {
        problems.push({ path: `training.hyperparameters.${name}`, value, message: 'must be a string of at most 2500 characters (SageMaker passes hyperparameters as strings)', fix: `write it as a string, e.g. "${String(value).slice(0, 20)}"` });
      }
    }
  }
  const metric = t.evaluationMetric ?? DEFAULTS.training.evaluationMetric;
  problems.push(...checkEvaluationMetric('training.evaluationMetric', t.evaluationMetric));
  const bounds = isEvaluationMetric(metric) ? EVALUATION_METRICS[metric] : undefined;
  if (bounds) problems.push(...checkNumber('training.metricThreshold', t.metricThreshold, bounds.min, bounds.max));
  return problems;
}
