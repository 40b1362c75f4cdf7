import { MonitoringEngine } from '../../src/config/enums';
import { MonitoringOptions } from '../../src/config/options';
import { validateConfig } from '../../src/config/resolve';
import { modelMonitorCron, monitoringRules } from '../../src/config/rules/monitoring';
import { ParsedSchedule, parseSchedule } from '../../src/config/schedule';

function parsed(expression: string): ParsedSchedule {
  const p = parseSchedule(expression);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

function paths(m: MonitoringOptions, engine?: MonitoringEngine): string[] {
  return monitoringRules(m, engine).map((p) => p.path);
}

describe('monitoring rules', () => {
  test('no section and the defaults are valid for both engines', () => {
    expect(monitoringRules(undefined, undefined)).toEqual([]);
    expect(monitoringRules({}, MonitoringEngine.MODEL_MONITOR)).toEqual([]);
  });

  test('the engine must be a MonitoringEngine', () => {
    expect(monitoringRules(undefined, 'CLARIFY').map((p) => p.path)).toEqual(['monitoringEngine']);
  });

  test('the schedule must be an EventBridge expression', () => {
    const [p] = monitoringRules({ schedule: 'every hour' }, undefined);
    expect(p.path).toBe('monitoring.schedule');
    expect(p.message).toContain('not a schedule expression');
  });

  describe('Model Monitor schedules', () => {
    test.each([
      ['rate(30 minutes)', 'more than once an hour'],
      ['cron(*/10 * ? * * *)', 'more than once an hour'],
      ['cron(15 * ? * * *)', 'on the hour'],
      ['cron(0 6 ? * MON-FRI *)', 'every day'],
      ['rate(5 hours)', '1, 2, 3, 4, 6, 8, 12 or 24 hours'],
      ['rate(2 days)', '1, 2, 3, 4, 6, 8, 12 or 24 hours'],
      ['cron(0 */6 ? * * *)', 'hour field'],
      ['cron(0 24 ? * * *)', 'hour field'],
    ])('%s is rejected (%s)', (schedule, reason) => {
      const [p] = monitoringRules({ schedule }, MonitoringEngine.MODEL_MONITOR);
      expect(p.path).toBe('monitoring.schedule');
      expect(p.message).toContain(reason);
    });

    test('the same schedules are fine for the built-in engine', () => {
      expect(paths({ schedule: 'rate(30 minutes)' })).toEqual([]);
      expect(paths({ schedule: 'cron(15 * ? * MON-FRI *)' }, MonitoringEngine.BUILTIN)).toEqual([]);
    });

    test.each([
      ['rate(1 hour)', 'cron(0 * ? * * *)'],
      ['rate(60 minutes)', 'cron(0 * ? * * *)'],
      ['rate(6 hours)', 'cron(0 0/6 ? * * *)'],
      ['rate(12 hours)', 'cron(0 0/12 ? * * *)'],
      ['rate(24 hours)', 'cron(0 0 ? * * *)'],
      ['rate(1 day)', 'cron(0 0 ? * * *)'],
      ['cron(0 * ? * * *)', 'cron(0 * ? * * *)'],
      ['cron(0 17/12 ? * * *)', 'cron(0 17/12 ? * * *)'],
      ['cron(0 12 ? * * *)', 'cron(0 12 ? * * *)'],
    ])('%s runs as %s', (schedule, cron) => {
      expect(modelMonitorCron(parsed(schedule))).toEqual({ cron });
      expect(monitoringRules({ schedule }, MonitoringEngine.MODEL_MONITOR)).toEqual([]);
    });
  });

  describe('built-in engine window', () => {
    test('the look-back window must cover the time between runs', () => {
      const [p] = monitoringRules({ schedule: 'rate(2 days)', windowHours: 24 }, MonitoringEngine.BUILTIN);
      expect(p.path).toBe('monitoring.windowHours');
      expect(p.fix).toContain('at least 48');
      expect(paths({ schedule: 'rate(2 days)', windowHours: 48 })).toEqual([]);
    });

    test('the default 24-hour window covers a daily run', () => {
      expect(paths({ schedule: 'rate(1 day)' })).toEqual([]);
    });
  });

  test.each([
    [{ dataCapturePercent: 0 }, 'monitoring.dataCapturePercent'],
    [{ dataCapturePercent: 101 }, 'monitoring.dataCapturePercent'],
    [{ windowHours: 0 }, 'monitoring.windowHours'],
    [{ windowHours: 169 }, 'monitoring.windowHours'],
    [{ retrainCooldownHours: 0 }, 'monitoring.retrainCooldownHours'],
    [{ alertEmail: 'oncall' }, 'monitoring.alertEmail'],
    [{ captureRetentionDays: 0 }, 'monitoring.captureRetentionDays'],
    [{ captureRetentionDays: 3651 }, 'monitoring.captureRetentionDays'],
  ] as [MonitoringOptions, string][])('%p is out of range', (m, path) => {
    expect(paths(m)).toEqual([path]);
  });

  test('captured traffic must outlive the monitoring window', () => {
    const problems = validateConfig({ modelName: 'churn', githubRepository: 'acme/churn', monitoring: { windowHours: 72, captureRetentionDays: 2 } });
    expect(problems).toEqual([{
      path: 'monitoring.captureRetentionDays',
      value: 2,
      message: 'keeps captured traffic 48 h, less than the 72 h monitoring window',
      fix: 'set at least 3 days, or shorten monitoring.windowHours',
    }]);
    expect(paths({ windowHours: 48, captureRetentionDays: 2 })).toEqual([]);
  });

  test('a complete section is valid', () => {
    expect(paths({ schedule: 'rate(6 hours)', dataCapturePercent: 100, windowHours: 6, alertEmail: 'ml@example.com', retrainOnDrift: true, retrainCooldownHours: 72 }, MonitoringEngine.MODEL_MONITOR)).toEqual([]);
  });
});
