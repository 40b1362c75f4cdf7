import { Problem } from '../../core/problem';
import { DEFAULTS } from '../defaults';
import { MonitoringEngine } from '../enums';
import { MonitoringOptions } from '../options';
import { ParsedSchedule, parseSchedule } from '../schedule';
import { checkEnum, checkNumber, checkString } from './checks';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOUR = /^(\d{1,2})$/;
const HOUR_STEP = /^(\d{1,2})\/(\d{1,2})$/;

/** The cron a SageMaker monitoring schedule runs on, or why a schedule has none. */
export interface ModelMonitorCron {
  /** The SageMaker cron expression, when there is one. */
  readonly cron?: string;
  /** Why the schedule cannot be a SageMaker monitoring schedule. */
  readonly reason?: string;
}

/**
 * Translates an EventBridge schedule into the only cron forms a SageMaker monitoring schedule
 * accepts: hourly `cron(0 * ? * * *)`, daily `cron(0 H ? * * *)` and every N hours
 * `cron(0 H/N ? * * *)`, all on the hour, every day. A rate becomes one of those when it is a
 * whole number of hours that divides a day (so the runs stay evenly spaced across midnight).
 */
export function modelMonitorCron(schedule: ParsedSchedule): ModelMonitorCron {
  if (schedule.kind === 'rate') return rateToCron(schedule.intervalMinutes ?? 0);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = schedule.fields!;
  if (!/^\d+$/.test(minute)) return { reason: 'runs more than once an hour; SageMaker Model Monitor schedules run at most hourly' };
  if (minute !== '0') return { reason: 'starts at minute ' + minute + '; SageMaker Model Monitor schedules start on the hour (minute 0)' };
  if (dayOfMonth !== '?' || month !== '*' || dayOfWeek !== '*' || year !== '*') {
    return { reason: 'limits the days it runs on; SageMaker Model Monitor schedules run every day (fields 3 to 6 must be "? * * *")' };
  }
  if (hour === '*' || validHour(hour)) return { cron: `cron(0 ${hour} ? * * *)` };
  return { reason: `has hour field "${hour}"; SageMaker Model Monitor accepts "*", an hour (0-23) or "start/step" (step 1-24)` };
}

function validHour(hour: string): boolean {
  const single = HOUR.exec(hour);
  if (single) return Number(single[1]) <= 23;
  const step = HOUR_STEP.exec(hour);
  return !!step && Number(step[1]) <= 23 && Number(step[2]) >= 1 && Number(step[2]) <= 24;
}

function rateToCron(minutes: number): ModelMonitorCron {
  if (minutes < 60) return { reason: 'runs more than once an hour; SageMaker Model Monitor schedules run at most hourly' };
  const hours = minutes / 60;
  if (!Number.isInteger(hours) || hours > 24 || 24 % hours !== 0) {
    return { reason: 'is not every 1, 2, 3, 4, 6, 8, 12 or 24 hours, the rates a SageMaker Model Monitor schedule can run at' };
  }
  if (hours === 1) return { cron: 'cron(0 * ? * * *)' };
  if (hours === 24) return { cron: 'cron(0 0 ? * * *)' };
  return { cron: `cron(0 0/${hours} ? * * *)` };
}

export function monitoringRules(m: MonitoringOptions | undefined, engine: unknown): Problem[] {
  const problems: Problem[] = [...checkEnum('monitoringEngine', engine, Object.values(MonitoringEngine), 'MonitoringEngine')];
  if (!m) return problems;
  if (m.schedule !== undefined) {
    const parsed = typeof m.schedule === 'string' ? parseSchedule(m.schedule) : 'expected a string';
    if (typeof parsed === 'string') {
      problems.push({ path: 'monitoring.schedule', value: m.schedule, message: `is not a schedule expression: ${parsed}`, fix: 'use e.g. "rate(1 hour)", "rate(6 hours)" or "cron(0 6 * * ? *)"' });
    } else if ((engine ?? DEFAULTS.monitoring.engine) === MonitoringEngine.MODEL_MONITOR) {
      const translated = modelMonitorCron(parsed);
      if (translated.reason) {
        problems.push({ path: 'monitoring.schedule', value: m.schedule, message: translated.reason, fix: 'use "rate(1 hour)", "rate(6 hours)", "rate(1 day)", or a daily cron on the hour such as "cron(0 0/6 ? * * *)"' });
      }
    } else {
      problems.push(...windowCoversInterval(m, parsed));
    }
  }
  problems.push(...checkNumber('monitoring.dataCapturePercent', m.dataCapturePercent, 1, 100, { integer: true }));
  problems.push(...checkNumber('monitoring.windowHours', m.windowHours, 1, 168, { integer: true }));
  problems.push(...checkString('monitoring.alertEmail', m.alertEmail, EMAIL, 'an email address', 'ml-oncall@example.com'));
  problems.push(...checkNumber('monitoring.retrainCooldownHours', m.retrainCooldownHours, 1, 720, { integer: true }));
  const retention = checkNumber('monitoring.captureRetentionDays', m.captureRetentionDays, 1, 3650, { integer: true });
  problems.push(...retention);
  const window = m.windowHours ?? DEFAULTS.monitoring.windowHours;
  if (retention.length === 0 && typeof m.captureRetentionDays === 'number' && typeof window === 'number' && m.captureRetentionDays * 24 < window) {
    problems.push({
      path: 'monitoring.captureRetentionDays',
      value: m.captureRetentionDays,
      message: `keeps captured traffic ${m.captureRetentionDays * 24} h, less than the ${window} h monitoring window`,
      fix: `set at least ${Math.ceil(window / 24)} days, or shorten monitoring.windowHours`,
    });
  }
  return problems;
}

/** The built-in monitor looks back `windowHours`; runs further apart would leave traffic unexamined. */
function windowCoversInterval(m: MonitoringOptions, schedule: ParsedSchedule): Problem[] {
  const window = m.windowHours ?? DEFAULTS.monitoring.windowHours;
  if (schedule.kind !== 'rate' || typeof window !== 'number') return [];
  const interval = schedule.intervalMinutes ?? 0;
  if (interval <= window * 60) return [];
  return [{
    path: 'monitoring.windowHours',
    value: window,
    message: `looks back ${window} hours, but "${m.schedule}" runs every ${interval / 60} hours, so traffic between runs is never checked`,
    fix: `set windowHours to at least ${Math.ceil(interval / 60)}, or run the monitor more often`,
  }];
}
