import { MonitoringEngine } from '../../src/config';
import { isAtMostHourly, parseSchedule } from '../../src/config/schedule';
import { problemAt, problemsOf } from '../support/configs';

describe('schedule expressions', () => {
  test.each([
    ['rate(1 hour)', 60],
    ['rate(15 minutes)', 15],
    ['rate(2 days)', 2880],
  ])('%s is a rate of %d minutes', (expr, minutes) => {
    expect(parseSchedule(expr)).toEqual({ kind: 'rate', intervalMinutes: minutes });
  });

  test.each([
    ['rate(1 hours)', 'singular'],
    ['rate(2 hour)', 'plural'],
    ['rate(0 minutes)', 'at least 1'],
    ['cron(0 * * * *)', '6 fields'],
    ['cron(0 * * * * *)', 'exactly one of'],
    ['every hour', 'expected'],
  ])('%s is rejected (%s)', (expr, reason) => {
    expect(parseSchedule(expr)).toEqual(expect.stringContaining(reason));
  });

  test('hourly or slower schedules are at most hourly', () => {
    expect(isAtMostHourly(parseSchedule('rate(1 hour)') as any)).toBe(true);
    expect(isAtMostHourly(parseSchedule('rate(30 minutes)') as any)).toBe(false);
    expect(isAtMostHourly(parseSchedule('cron(0 * ? * * *)') as any)).toBe(true);
    expect(isAtMostHourly(parseSchedule('cron(*/5 * ? * * *)') as any)).toBe(false);
  });

  test('a malformed schedule is a config problem with a fix', () => {
    const p = problemAt(problemsOf({ monitoring: { schedule: 'hourly' } }), 'monitoring.schedule');
    expect(p.fix).toContain('rate(1 hour)');
  });

  test('Model Monitor refuses schedules more frequent than hourly', () => {
    const problems = problemsOf({ monitoringEngine: MonitoringEngine.MODEL_MONITOR, monitoring: { schedule: 'rate(10 minutes)' } });
    expect(problemAt(problems, 'monitoring.schedule').message).toContain('at most hourly');
    expect(problemsOf({ monitoring: { schedule: 'rate(10 minutes)' } })).toEqual([]);
  });
});
