import {
  BAD_DATE, NOT_FINITE, OK, OVERFLOW, SPACES, SYNTAX, formatTimestamp, parseBoolBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes, parsed,
} from '../../../pipelines/engine/values';
import { prng } from '../../support/data-sources';

const b = (s: string) => Buffer.from(s, 'latin1');
function float(s: string): number | string {
  const st = parseFloatBytes(b(s), 0, s.length);
  return st === OK ? parsed.value : ['OK', 'SYNTAX', 'NOT_FINITE', 'OVERFLOW', 'SPACES', 'BAD_DATE'][st];
}
function int(s: string): number | string {
  const st = parseIntBytes(b(s), 0, s.length);
  return st === OK ? parsed.value : ['OK', 'SYNTAX', 'NOT_FINITE', 'OVERFLOW', 'SPACES', 'BAD_DATE'][st];
}
function time(s: string): number | number[] {
  const st = parseTimestampBytes(b(s), 0, s.length);
  return st === OK ? parsed.value : [st];
}

describe('float parsing', () => {
  test('decimal forms', () => {
    expect(float('66.82')).toBe(66.82);
    expect(float('-0.0001')).toBe(-0.0001);
    expect(float('+.5')).toBe(0.5);
    expect(float('1.')).toBe(1);
    expect(float('1e3')).toBe(1000);
    expect(float('2.5E-3')).toBe(0.0025);
  });

  test('-0 is 0, not negative zero', () => {
    expect(Object.is(float('-0'), 0)).toBe(true);
    expect(Object.is(float('-0.000'), 0)).toBe(true);
  });

  test('1e309 overflows, NaN and Infinity are not finite, spaces and junk are syntax errors', () => {
    expect(float('1e309')).toBe('OVERFLOW');
    expect(float('-1e400')).toBe('OVERFLOW');
    expect(float('NaN')).toBe('NOT_FINITE');
    expect(float('-Infinity')).toBe('NOT_FINITE');
    expect(float('inf')).toBe('NOT_FINITE');
    expect(float(' 1')).toBe('SPACES');
    expect(float('1 ')).toBe('SPACES');
    expect(float('1,5')).toBe('SYNTAX');
    expect(float('.')).toBe('SYNTAX');
    expect(float('1e')).toBe('SYNTAX');
    expect(float('0x10')).toBe('SYNTAX');
    expect(float('')).toBe('SYNTAX');
  });

  test('tiny values underflow to 0 or a subnormal, like Number()', () => {
    expect(float('1e-400')).toBe(0);
    expect(float('4.9e-324')).toBe(Number('4.9e-324'));
  });

  test('agrees with Number() bit for bit on random decimals of every length', () => {
    const rand = prng(11);
    const mismatches: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + Math.floor(rand() * 20);
      let s = rand() < 0.3 ? '-' : '';
      for (let k = 0; k < digits; k++) s += Math.floor(rand() * 10);
      if (rand() < 0.7) {
        const at = 1 + Math.floor(rand() * s.replace('-', '').length);
        const sign = s.startsWith('-') ? 1 : 0;
        s = s.slice(0, at + sign) + '.' + s.slice(at + sign);
      }
      if (rand() < 0.3) s += `e${Math.floor(rand() * 60) - 30}`;
      const expected = Number(s) === 0 ? 0 : Number(s);
      const got = float(s);
      if (!Object.is(got, expected)) mismatches.push(`${s}: ${got} != ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('int parsing', () => {
  test('whole numbers, signs, -0', () => {
    expect(int('42')).toBe(42);
    expect(int('+7')).toBe(7);
    expect(Object.is(int('-0'), 0)).toBe(true);
    expect(int('-9007199254740993')).toBe(Number(-9007199254740993n));
  });

  test('the 64-bit range, decimals and text', () => {
    expect(int('9223372036854775807')).toBe(Number(9223372036854775807n));
    expect(int('9223372036854775808')).toBe('OVERFLOW');
    expect(int('-9223372036854775809')).toBe('OVERFLOW');
    expect(int('1.5')).toBe('SYNTAX');
    expect(int('1e3')).toBe('SYNTAX');
    expect(int('NaN')).toBe('NOT_FINITE');
    expect(int('12a')).toBe('SYNTAX');
    expect(int(' 12')).toBe('SPACES');
  });
});

describe('bool and timestamp parsing', () => {
  test('bools', () => {
    const bool = (s: string) => (parseBoolBytes(b(s), 0, s.length) === OK ? parsed.value : -1);
    expect(['true', 'TRUE', 'True', '1', 'false', 'False', '0'].map(bool)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(['yes', 't', '2', ''].map(bool)).toEqual([-1, -1, -1, -1]);
    expect(parseBoolBytes(b(' true'), 0, 5)).toBe(SPACES);
  });

  test('ISO 8601 dates and date-times agree with Date.parse', () => {
    for (const s of ['2024-01-01', '2024-02-29T12:34:56Z', '2024-01-01T00:00:05Z', '2024-01-01 10:00', '2024-01-01T10:00:00.123Z', '2024-01-01T10:00:00+05:30', '2024-01-01T10:00:00-0800', '1969-12-31T23:59:59Z', '0001-01-01']) {
      const iso = s.length === 10 ? `${s}T00:00:00Z` : s.replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2') + (/[Z+-]\d*:?\d*$/.test(s.slice(10)) ? '' : 'Z');
      expect({ s, v: time(s) }).toEqual({ s, v: Date.parse(iso) });
    }
  });

  test('impossible dates and malformed text', () => {
    expect(time('2023-02-29')).toEqual([BAD_DATE]);
    expect(time('2024-13-01')).toEqual([BAD_DATE]);
    expect(time('2024-01-01T24:00:00Z')).toEqual([BAD_DATE]);
    expect(time('2024/01/01')).toEqual([SYNTAX]);
    expect(time('yesterday')).toEqual([SYNTAX]);
    expect(time('2024-01-01T10:00:00Zjunk')).toEqual([SYNTAX]);
  });

  test('formats timestamps like the profile does', () => {
    expect(formatTimestamp(Date.UTC(2024, 0, 1, 0, 0, 5))).toBe('2024-01-01T00:00:05Z');
    expect(formatTimestamp(Date.UTC(2024, 0, 1, 0, 0, 5, 250))).toBe('2024-01-01T00:00:05.250Z');
  });

  test('status codes are distinct', () => {
    expect(new Set([OK, SYNTAX, NOT_FINITE, OVERFLOW, SPACES, BAD_DATE]).size).toBe(6);
  });
});
