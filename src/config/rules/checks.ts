import { Problem } from '../../core/problem';

/**
 * Small predicates shared by the rules. Each returns a problem or nothing, so a rule reads as a
 * list of checks.
 */

export function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

export function checkNumber(path: string, value: unknown, min: number, max: number, opts: { integer?: boolean; fix?: string } = {}): Problem[] {
  if (value === undefined) return [];
  const integer = opts.integer ?? false;
  if (!isNumberIn(value, min, max) || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'a whole number' : 'a number';
    const range = max === Number.MAX_SAFE_INTEGER || max === Number.MAX_VALUE ? `at least ${min}` : `from ${min} to ${max}`;
    return [{ path, value, message: `must be ${kind} ${range}`, fix: opts.fix ?? `set ${kind} ${range}` }];
  }
  return [];
}

export function checkEnum(path: string, value: unknown, allowed: readonly string[], enumName: string): Problem[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || !allowed.includes(value)) {
    return [{ path, value, message: `is not a ${enumName}`, fix: `use one of ${allowed.map((a) => `${enumName}.${a.toUpperCase().replace(/-/g, '_')}`).join(', ')}` }];
  }
  return [];
}

export function checkString(path: string, value: unknown, pattern: RegExp, what: string, example: string): Problem[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || !pattern.test(value)) {
    return [{ path, value, message: `is not ${what}`, fix: `use ${what}, e.g. ${JSON.stringify(example)}` }];
  }
  return [];
}
