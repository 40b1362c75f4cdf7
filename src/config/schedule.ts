/**
 * EventBridge schedule expressions: `rate(value unit)` and six-field `cron(...)`.
 */
export interface ParsedSchedule {
  readonly kind: 'rate' | 'cron';
  /** For rates: the interval in minutes. */
  readonly intervalMinutes?: number;
  /** For crons: the six fields (minutes hours day-of-month month day-of-week year). */
  readonly fields?: string[];
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MINUTES: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };
const CRON_FIELD = /^[0-9A-Za-z*?\/,\-#LW]+$/;

/** Parses a schedule, or returns why it cannot. */
export function parseSchedule(expression: string): ParsedSchedule | string {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2];
    if (value < 1) return 'a rate must be at least 1';
    if (value === 1 && unit.endsWith('s')) return `write "rate(1 ${unit.slice(0, -1)})" (singular unit for 1)`;
    if (value > 1 && !unit.endsWith('s')) return `write "rate(${value} ${unit}s)" (plural unit above 1)`;
    return { kind: 'rate', intervalMinutes: value * UNIT_MINUTES[unit] };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`;
    if (!fields.every((f) => CRON_FIELD.test(f))) return 'a cron field holds characters EventBridge does not accept';
    if ((fields[2] === '?') === (fields[4] === '?')) return 'exactly one of day-of-month (3rd field) and day-of-week (5th field) must be "?"';
    return { kind: 'cron', fields };
  }
  return 'expected "rate(<n> <unit>)" or "cron(<6 fields>)"';
}

/** Whether a schedule runs at most once an hour (what SageMaker Model Monitor allows). */
export function isAtMostHourly(schedule: ParsedSchedule): boolean {
  if (schedule.kind === 'rate') return (schedule.intervalMinutes ?? 0) >= 60;
  const minutes = schedule.fields![0];
  return /^\d+$/.test(minutes);
}
