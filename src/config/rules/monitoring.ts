import { MonitoringEngine } from '../enums';
import { MonitoringOptions } from '../options';
import { Problem } from '../problem';
import { isAtMostHourly, parseSchedule } from '../schedule';
import { checkEnum, checkNumber, checkString } from './checks';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function monitoringRules(m: MonitoringOptions | undefined, engine: unknown): Problem[] {
  const problems: Problem[] = [...checkEnum('monitoringEngine', engine, Object.values(MonitoringEngine), 'MonitoringEngine')];
  if (!m) return problems;
  if (m.schedule !== undefined) {
    const parsed = typeof m.schedule === 'string' ? parseSchedule(m.schedule) : 'expected a string';
    if (typeof parsed === 'string') {
      problems.push({ path: 'monitoring.schedule', value: m.schedule, message: `is not a schedule expression: ${parsed}`, fix: 'use e.g. "rate(1 hour)", "rate(6 hours)" or "cron(0 6 * * ? *)"' });
    } else if ((engine ?? MonitoringEngine.BUILTIN) === MonitoringEngine.MODEL_MONITOR && !isAtMostHourly(parsed)) {
      problems.push({ path: 'monitoring.schedule', value: m.schedule, message: 'runs more than once an hour; SageMaker Model Monitor schedules run at most hourly', fix: 'use "rate(1 hour)" or a cron with a fixed minute, e.g. "cron(0 * ? * * *)"' });
    }
  }
  problems.push(...checkNumber('monitoring.dataCapturePercent', m.dataCapturePercent, 1, 100, { integer: true }));
  problems.push(...checkNumber('monitoring.windowHours', m.windowHours, 1, 168, { integer: true }));
  problems.push(...checkString('monitoring.alertEmail', m.alertEmail, EMAIL, 'an email address', 'ml-oncall@example.com'));
  problems.push(...checkNumber('monitoring.retrainCooldownHours', m.retrainCooldownHours, 1, 720, { integer: true }));
  return problems;
}
