import { SMOKE_TEST_CONSUMER } from '../../core/names/delivery-names';
import { Problem } from '../../core/problem';
import { DEFAULTS } from '../defaults';
import { ApiAuthorization, QuotaPeriod } from '../enums';
import { DeploymentOptions, ServingOptions } from '../options';
import { checkEnum, checkNumber } from './checks';

const CONSUMER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** API Gateway gives an integration at most 29 seconds by default. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** AWS WAF rate-based rules count per 5-minute window, 10 to 2,000,000,000 requests. */
const WAF_WINDOW_SECONDS = 300;
const WAF_RATE_LIMITS = { min: 10, max: 2_000_000_000 } as const;

/** Most rows per request: SageMaker accepts at most 6 MB per invocation and API Gateway waits 29 s. */
export const MAX_BATCH_SIZE = 1000;

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function checkBoolean(path: string, value: unknown): Problem[] {
  if (value === undefined || typeof value === 'boolean') return [];
  return [{ path, value, message: 'must be true or false', fix: 'set true or false' }];
}

function consumerRules(consumers: unknown): Problem[] {
  const path = 'serving.api.consumers';
  if (consumers === undefined) return [];
  if (!Array.isArray(consumers) || consumers.length === 0) {
    return [{ path, value: consumers, message: 'must list at least one caller', fix: 'list the callers that get an API key, e.g. ["web-app", "batch-scoring"]' }];
  }
  const problems: Problem[] = [];
  consumers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (typeof c !== 'string' || !CONSUMER_NAME.test(c)) {
      problems.push({ path: at, value: c, message: 'must be 1 to 32 lower-case letters, digits and dashes, starting with a letter', fix: 'name the caller, e.g. "web-app"' });
    } else if (c === SMOKE_TEST_CONSUMER) {
      problems.push({ path: at, value: c, message: 'is the name of the smoke test\'s own key', fix: 'choose another name; the smoke test always gets its key' });
    } else if (consumers.indexOf(c) !== i) {
      problems.push({ path: at, value: c, message: 'is listed twice', fix: 'list each caller once' });
    }
  });
  return problems;
}

/** A per-key limit above the stage's can never be reached: the stage throttles first. */
function keyWithinStage(name: 'rateLimit' | 'burstLimit', key: unknown, stage: unknown): Problem[] {
  // Values out of range are reported on their own; comparing them would only repeat that.
  if (!isPositiveInteger(key) || !isPositiveInteger(stage) || key <= stage) return [];
  const stageField = name === 'rateLimit' ? 'stageRateLimit' : 'stageBurstLimit';
  return [{
    path: `serving.api.${name}`,
    value: key,
    message: `is above ${stageField} (${stage}); the stage throttles every key before it reaches its own limit`,
    fix: `set ${name} to at most ${stage}, or raise ${stageField}`,
  }];
}

/** The WAF counts per client address; one caller at its plan's full rate must not be blocked. */
function wafAboveKeyRate(waf: unknown, rate: unknown): Problem[] {
  if (!isPositiveInteger(waf) || waf < WAF_RATE_LIMITS.min || !isPositiveInteger(rate)) return [];
  const needed = rate * WAF_WINDOW_SECONDS;
  if (waf >= needed) return [];
  return [{
    path: 'serving.api.wafRateLimit',
    value: waf,
    message: `blocks an address after ${waf} requests in 5 minutes, but one API key may send ${rate}/s (${needed} in 5 minutes); a caller behind one address would be blocked by the WAF before its usage plan throttles it`,
    fix: `set wafRateLimit to at least ${needed}, or lower rateLimit`,
  }];
}

/** Words a Cognito domain prefix may not contain. */
const COGNITO_RESERVED = /aws|amazon|cognito/;

/** Each stage's user pool domain is `<model>-<stage>-<account>`, which Cognito restricts. */
function cognitoDomainRules(modelName: unknown, deployment: DeploymentOptions | undefined): Problem[] {
  const problems: Problem[] = [];
  if (typeof modelName === 'string' && COGNITO_RESERVED.test(modelName)) {
    problems.push({
      path: 'modelName',
      value: modelName,
      message: 'contains "aws", "amazon" or "cognito", which a Cognito domain may not; with ApiAuthorization.COGNITO each stage\'s user pool domain is named after the model',
      fix: 'choose a model name without those words, or use ApiAuthorization.IAM',
    });
  }
  (deployment?.stages ?? []).forEach((stage, i) => {
    if (typeof stage.name === 'string' && COGNITO_RESERVED.test(stage.name)) {
      problems.push({
        path: `deployment.stages[${i}].name`,
        value: stage.name,
        message: 'contains "aws", "amazon" or "cognito", which a Cognito domain may not; with ApiAuthorization.COGNITO the stage\'s user pool domain is named after it',
        fix: 'rename the stage, or use ApiAuthorization.IAM',
      });
    }
  });
  return problems;
}

export function servingRules(s: ServingOptions | undefined, deployment: DeploymentOptions | undefined, modelName?: unknown): Problem[] {
  const a = s?.api;
  if (!a) return [];
  const d = DEFAULTS.servingApi;
  const problems: Problem[] = [];
  problems.push(...checkBoolean('serving.api.enabled', a.enabled));
  problems.push(...checkEnum('serving.api.authorization', a.authorization, Object.values(ApiAuthorization), 'ApiAuthorization'));
  if (a.authorization === ApiAuthorization.COGNITO && a.enabled !== false) problems.push(...cognitoDomainRules(modelName, deployment));
  problems.push(...consumerRules(a.consumers));
  const perSecond = { integer: true } as const;
  problems.push(...checkNumber('serving.api.rateLimit', a.rateLimit, 1, 1_000_000, perSecond));
  problems.push(...checkNumber('serving.api.burstLimit', a.burstLimit, 1, 1_000_000, perSecond));
  problems.push(...checkNumber('serving.api.stageRateLimit', a.stageRateLimit, 1, 1_000_000, perSecond));
  problems.push(...checkNumber('serving.api.stageBurstLimit', a.stageBurstLimit, 1, 1_000_000, perSecond));
  problems.push(...checkNumber('serving.api.quotaLimit', a.quotaLimit, 1, Number.MAX_SAFE_INTEGER, { integer: true }));
  problems.push(...checkEnum('serving.api.quotaPeriod', a.quotaPeriod, Object.values(QuotaPeriod), 'QuotaPeriod'));
  problems.push(...keyWithinStage('rateLimit', a.rateLimit ?? d.rateLimit, a.stageRateLimit ?? d.stageRateLimit));
  problems.push(...keyWithinStage('burstLimit', a.burstLimit ?? d.burstLimit, a.stageBurstLimit ?? d.stageBurstLimit));
  problems.push(...checkNumber('serving.api.maxBatchSize', a.maxBatchSize, 1, MAX_BATCH_SIZE, {
    integer: true,
    fix: `set 1 to ${MAX_BATCH_SIZE}: SageMaker takes at most 6 MB per invocation and API Gateway waits 29 s for the answer; score larger sets with batch transform`,
  }));
  problems.push(...checkNumber('serving.api.wafRateLimit', a.wafRateLimit, WAF_RATE_LIMITS.min, WAF_RATE_LIMITS.max, {
    integer: true,
    fix: `set ${WAF_RATE_LIMITS.min} to ${WAF_RATE_LIMITS.max} (AWS WAF's range for a rate-based rule)`,
  }));
  problems.push(...wafAboveKeyRate(a.wafRateLimit ?? d.wafRateLimit, a.rateLimit ?? d.rateLimit));
  problems.push(...checkNumber('serving.api.latencyAlarmMs', a.latencyAlarmMs, 1, INTEGRATION_TIMEOUT_MS, {
    fix: `set 1 to ${INTEGRATION_TIMEOUT_MS}: API Gateway ends a request after 29 s`,
  }));
  const rollbackMs = deployment?.rollbackP99LatencyMs ?? DEFAULTS.deployment.rollbackP99LatencyMs;
  if (typeof a.latencyAlarmMs === 'number' && typeof rollbackMs === 'number' && a.latencyAlarmMs > 0 && a.latencyAlarmMs < rollbackMs) {
    problems.push({
      path: 'serving.api.latencyAlarmMs',
      value: a.latencyAlarmMs,
      message: `is below deployment.rollbackP99LatencyMs (${rollbackMs}); the API's latency includes the model's, so it would alarm on latency the endpoint accepts`,
      fix: `set latencyAlarmMs to at least ${rollbackMs}`,
    });
  }
  problems.push(...checkNumber('serving.api.clientErrorAlarmPercent', a.clientErrorAlarmPercent, 1, 100));
  problems.push(...checkBoolean('serving.api.manageAccountLogRole', a.manageAccountLogRole));
  return problems;
}
