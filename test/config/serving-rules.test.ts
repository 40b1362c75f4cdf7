import { problemAt, problemsOf } from './helpers';
import { AidlcConfig, ApiAuthorization, ApiEndpointType, QuotaPeriod } from '../../src/config';
import { InferenceApiOptions } from '../../src/config/options';
import { servingRules } from '../../src/config/rules/serving';

function problems(api: InferenceApiOptions, rollbackP99LatencyMs?: number) {
  return servingRules({ api }, rollbackP99LatencyMs === undefined ? undefined : { rollbackP99LatencyMs });
}

function paths(api: InferenceApiOptions): string[] {
  return problems(api).map((p) => p.path);
}

describe('serving rules', () => {
  test('no section, an empty api and the defaults are valid', () => {
    expect(servingRules(undefined, undefined)).toEqual([]);
    expect(servingRules({}, undefined)).toEqual([]);
    expect(paths({})).toEqual([]);
    expect(problemsOf({ serving: { api: { enabled: false } } })).toEqual([]);
  });

  test('the resolved defaults: on, IAM, one consumer, limits that fit inside each other', () => {
    const api = AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn' }).serving.api;
    expect(api).toEqual({
      enabled: true,
      authorization: ApiAuthorization.IAM,
      endpointType: ApiEndpointType.REGIONAL,
      consumers: ['default'],
      rateLimit: 50,
      burstLimit: 100,
      quotaLimit: 100_000,
      quotaPeriod: QuotaPeriod.DAY,
      stageRateLimit: 100,
      stageBurstLimit: 200,
      maxBatchSize: 100,
      wafRateLimit: 20_000,
      latencyAlarmMs: 2000,
      clientErrorAlarmPercent: 25,
      manageAccountLogRole: true,
    });
    expect(api.wafRateLimit).toBeGreaterThanOrEqual(api.rateLimit * 300);
  });

  test('the latency alarm follows the rollback latency, within API Gateway\'s 29 s', () => {
    const resolve = (rollbackP99LatencyMs: number) => AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', deployment: { rollbackP99LatencyMs } }).serving.api.latencyAlarmMs;
    expect(resolve(300)).toBe(600);
    expect(resolve(20_000)).toBe(29_000);
  });

  test('authorization and quota period must be their enums', () => {
    const p = problemAt(problems({ authorization: 'API_KEY' as ApiAuthorization }), 'serving.api.authorization');
    expect(p).toMatchObject({ value: 'API_KEY', message: 'is not a ApiAuthorization' });
    expect(p.fix).toContain('ApiAuthorization.IAM, ApiAuthorization.COGNITO');
    expect(paths({ quotaPeriod: 'YEAR' as QuotaPeriod })).toEqual(['serving.api.quotaPeriod']);
  });

  test.each([
    [{ rateLimit: 0 }, 'serving.api.rateLimit'],
    [{ burstLimit: 2.5 }, 'serving.api.burstLimit'],
    [{ stageRateLimit: -1 }, 'serving.api.stageRateLimit'],
    [{ quotaLimit: 0 }, 'serving.api.quotaLimit'],
    [{ maxBatchSize: 0 }, 'serving.api.maxBatchSize'],
    [{ maxBatchSize: 1001 }, 'serving.api.maxBatchSize'],
    [{ clientErrorAlarmPercent: 0 }, 'serving.api.clientErrorAlarmPercent'],
    [{ enabled: 'yes' as unknown as boolean }, 'serving.api.enabled'],
    [{ manageAccountLogRole: 1 as unknown as boolean }, 'serving.api.manageAccountLogRole'],
  ])('%p is out of range', (api, path) => {
    expect(paths(api)).toEqual([path]);
  });

  test('maxBatchSize names the payload and timeout limits in its fix', () => {
    const p = problemAt(problems({ maxBatchSize: 5000 }), 'serving.api.maxBatchSize');
    expect(p.value).toBe(5000);
    expect(p.fix).toMatch(/6 MB.*29 s.*batch transform/);
  });

  test('a key limit above the stage limit can never be reached', () => {
    const rate = problemAt(problems({ rateLimit: 150 }), 'serving.api.rateLimit');
    expect(rate.message).toContain('stageRateLimit (100)');
    expect(rate.fix).toBe('set rateLimit to at most 100, or raise stageRateLimit');
    const burst = problemAt(problems({ burstLimit: 500, stageBurstLimit: 300 }), 'serving.api.burstLimit');
    expect(burst.message).toContain('stageBurstLimit (300)');
    expect(paths({ rateLimit: 150, stageRateLimit: 150, wafRateLimit: 45_000 })).toEqual([]);
  });

  test('the WAF must not block one caller below its usage plan\'s rate', () => {
    const p = problemAt(problems({ wafRateLimit: 1000 }), 'serving.api.wafRateLimit');
    expect(p.message).toContain('50/s (15000 in 5 minutes)');
    expect(p.fix).toBe('set wafRateLimit to at least 15000, or lower rateLimit');
    expect(paths({ wafRateLimit: 1000, rateLimit: 3 })).toEqual([]);
    expect(paths({ wafRateLimit: 5, rateLimit: 1 })).toEqual(['serving.api.wafRateLimit']);
    expect(paths({ wafRateLimit: 200, rateLimit: 1 })).toEqual(['serving.api.wafRateLimit']);
  });

  test('consumers: named, unique, and not the smoke test\'s key', () => {
    expect(paths({ consumers: [] })).toEqual(['serving.api.consumers']);
    expect(paths({ consumers: ['Web App'] })).toEqual(['serving.api.consumers[0]']);
    expect(paths({ consumers: ['web', 'web'] })).toEqual(['serving.api.consumers[1]']);
    const reserved = problemAt(problems({ consumers: ['web', 'smoke-test'] }), 'serving.api.consumers[1]');
    expect(reserved.fix).toContain('the smoke test always gets its key');
    expect(paths({ consumers: ['web-app', 'batch2'] })).toEqual([]);
  });

  test('the latency alarm sits within 29 s and above the endpoint\'s rollback latency', () => {
    expect(paths({ latencyAlarmMs: 30_000 })).toEqual(['serving.api.latencyAlarmMs']);
    const p = problemAt(problems({ latencyAlarmMs: 500 }, 800), 'serving.api.latencyAlarmMs');
    expect(p.message).toContain('deployment.rollbackP99LatencyMs (800)');
    expect(p.fix).toBe('set latencyAlarmMs to at least 800');
    expect(paths({ latencyAlarmMs: 1500 })).toEqual([]);
  });

  test('the resolver throws one error naming each field, value and fix', () => {
    expect(() => AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', serving: { api: { maxBatchSize: 0, consumers: ['smoke-test'] } } }))
      .toThrow(/serving\.api\.consumers\[0\] = "smoke-test": .*Fix: .*\n.*serving\.api\.maxBatchSize = 0: must be a whole number from 1 to 1000/);
  });
});
