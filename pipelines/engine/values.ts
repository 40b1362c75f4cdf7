/* eslint-disable no-bitwise -- digit and ASCII case tests on bytes */
/**
 * Strict parsers for field bytes: int, float, bool and ISO 8601 timestamps. Each returns a status
 * code (`OK` or a reason) and leaves the value in `parsed.value`, so the hot path allocates nothing.
 * Accepted forms:
 *   int        [+-]?digits, within the signed 64-bit range
 *   float      [+-]?(digits[.digits]|.digits)([eE][+-]?digits)?, finite after rounding
 *   bool       true/false (any case), 1/0
 *   timestamp  YYYY-MM-DD, optionally [T ]HH:MM[:SS[.fraction]] and Z or a ±HH[:MM] offset
 *              (no offset: UTC). Values are epoch milliseconds.
 * `-0` parses as 0. `NaN`, `Infinity`, `1e309` and leading or trailing spaces are rejected.
 */

export const OK = 0;
export const SYNTAX = 1;
export const NOT_FINITE = 2;
export const OVERFLOW = 3;
export const SPACES = 4;
export const BAD_DATE = 5;

/**
 * The value of the last parse (`PARSED[0]`): a double kept in a typed array needs no heap box,
 * where one stored in an object field allocates on every store.
 */
export const PARSED = new Float64Array(1);

/** Result of the last parse: `value` (the same as `PARSED[0]`), and `code` for the scan functions. */
export const parsed = {
  get value(): number { return PARSED[0]; },
  set value(v: number) { PARSED[0] = v; },
  code: 0,
};

const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(10 ** i);

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * Reads a float from `s`, stopping at the first byte that cannot continue it (or at `limit`), and
 * returns where it stopped. `parsed.code` is `OK` (value in `parsed.value`), `SYNTAX` (no digits,
 * or an exponent without digits) or `OVERFLOW`. The caller checks that it stopped at the field end.
 */
export function scanFloat(buf: Uint8Array, s: number, limit: number): number {
  let i = s;
  let neg = false;
  if (i < limit) {
    const c = buf[i];
    if (c === MINUS) { neg = true; i++; } else if (c === PLUS) { i++; }
  }
  const body = i;
  // Digits accumulate unchecked; up to 15 of them (leading zeros included) the mantissa is exact.
  let mant = 0;
  let count = 0;
  let fraction = 0;
  while (i < limit) {
    const d = buf[i] - ZERO;
    if ((d >>> 0) > 9) break;
    mant = mant * 10 + d;
    i++;
  }
  count = i - body;
  if (i < limit && buf[i] === DOT) {
    i++;
    const f0 = i;
    while (i < limit) {
      const d = buf[i] - ZERO;
      if ((d >>> 0) > 9) break;
      mant = mant * 10 + d;
      i++;
    }
    fraction = i - f0;
    count += fraction;
  }
  if (count === 0) {
    parsed.code = SYNTAX;
    return i;
  }
  let exp10 = -fraction;
  if (i < limit && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (i < limit && (buf[i] === MINUS || buf[i] === PLUS)) { eneg = buf[i] === MINUS; i++; }
    let ex = 0;
    const e0 = i;
    while (i < limit) {
      const d = buf[i] - ZERO;
      if ((d >>> 0) > 9) break;
      if (ex < 100000) ex = ex * 10 + d;
      i++;
    }
    if (i === e0) {
      parsed.code = SYNTAX;
      return i;
    }
    exp10 += eneg ? -ex : ex;
  }
  let v: number;
  if (count <= 15 && exp10 >= -22 && exp10 <= 22) {
    // Exact operands and one rounding: the correctly rounded result (Clinger's fast path).
    v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
  } else {
    v = Number(latin1(buf, body, i));
  }
  if (v === Infinity) {
    parsed.code = OVERFLOW;
    return i;
  }
  PARSED[0] = neg ? (v === 0 ? 0 : -v) : v;
  parsed.code = OK;
  return i;
}

/** Parses a float; `OK` with `parsed.value`, or the reason it is not one. */
export function parseFloatBytes(buf: Uint8Array, s: number, e: number): number {
  const stop = scanFloat(buf, s, e);
  if (stop !== e || parsed.code === SYNTAX) return nonNumberReason(buf, s, e);
  return parsed.code;
}

/**
 * Reads a whole number from `s` up to the first non-digit (or `limit`) and returns where it
 * stopped; `parsed.code` is `OK`, `SYNTAX` (no digits) or `OVERFLOW` (beyond 64 bits).
 */
export function scanInt(buf: Uint8Array, s: number, limit: number): number {
  let i = s;
  let neg = false;
  if (i < limit) {
    const c = buf[i];
    if (c === MINUS) { neg = true; i++; } else if (c === PLUS) { i++; }
  }
  const first = i;
  let v = 0;
  while (i < limit) {
    const d = buf[i] - ZERO;
    if ((d >>> 0) > 9) break;
    v = v * 10 + d;
    i++;
  }
  if (i === first) {
    parsed.code = SYNTAX;
    return i;
  }
  if (i - first > 15) {
    const big = BigInt(latin1(buf, s, i));
    if (big > 9223372036854775807n || big < -9223372036854775808n) {
      parsed.code = OVERFLOW;
      return i;
    }
    v = Number(big);
    PARSED[0] = v === 0 ? 0 : v;
    parsed.code = OK;
    return i;
  }
  PARSED[0] = neg && v !== 0 ? -v : v;
  parsed.code = OK;
  return i;
}

/** Parses a whole number in the signed 64-bit range (beyond 2^53 the value is rounded). */
export function parseIntBytes(buf: Uint8Array, s: number, e: number): number {
  const stop = scanInt(buf, s, e);
  if (stop === e && parsed.code !== SYNTAX) return parsed.code;
  const f = parseFloatBytes(buf, s, e);
  return f === OK || f === OVERFLOW ? SYNTAX : f;
}

/** Parses true/false (any case) or 1/0 into 1 or 0. */
export function parseBoolBytes(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 1) {
    if (buf[s] === 49) { PARSED[0] = 1; return OK; }
    if (buf[s] === 48) { PARSED[0] = 0; return OK; }
  } else if (n === 4 && lowerEquals(buf, s, 'true')) {
    PARSED[0] = 1;
    return OK;
  } else if (n === 5 && lowerEquals(buf, s, 'false')) {
    PARSED[0] = 0;
    return OK;
  }
  return hasOuterSpace(buf, s, e) ? SPACES : SYNTAX;
}

/** Parses an ISO 8601 date or date-time into epoch milliseconds. */
export function parseTimestampBytes(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n < 10) return hasOuterSpace(buf, s, e) ? SPACES : SYNTAX;
  const year = digits(buf, s, 4);
  const month = digits(buf, s + 5, 2);
  const day = digits(buf, s + 8, 2);
  if (year < 0 || month < 0 || day < 0 || buf[s + 4] !== MINUS || buf[s + 7] !== MINUS) return hasOuterSpace(buf, s, e) ? SPACES : SYNTAX;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return BAD_DATE;
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  let i = s + 10;
  if (i === e) { PARSED[0] = ms; return OK; }
  const sep = buf[i];
  if (sep !== 84 && sep !== 116 && sep !== 32) return SYNTAX;
  if (e - i < 6) return SYNTAX;
  const hh = digits(buf, i + 1, 2);
  const mm = digits(buf, i + 4, 2);
  if (hh < 0 || mm < 0 || buf[i + 3] !== 58) return SYNTAX;
  if (hh > 23 || mm > 59) return BAD_DATE;
  ms += hh * 3_600_000 + mm * 60_000;
  i += 6;
  if (i < e && buf[i] === 58) {
    const ss = e - i >= 3 ? digits(buf, i + 1, 2) : -1;
    if (ss < 0) return SYNTAX;
    if (ss > 59) return BAD_DATE;
    ms += ss * 1000;
    i += 3;
    if (i < e && (buf[i] === DOT || buf[i] === 44)) {
      i++;
      let scale = 100;
      let frac = 0;
      const start = i;
      while (i < e && buf[i] >= ZERO && buf[i] <= ZERO + 9) {
        if (scale >= 1) frac += (buf[i] - ZERO) * scale;
        scale /= 10;
        i++;
      }
      if (i === start || i - start > 9) return SYNTAX;
      ms += Math.floor(frac);
    }
  }
  if (i < e) {
    const z = buf[i];
    if ((z === 90 || z === 122) && i + 1 === e) {
      i++;
    } else if (z === PLUS || z === MINUS) {
      const oh = e - i >= 3 ? digits(buf, i + 1, 2) : -1;
      let om = 0;
      let j = i + 3;
      if (j < e && buf[j] === 58) j++;
      if (j < e) { om = e - j === 2 ? digits(buf, j, 2) : -1; j += 2; }
      if (oh < 0 || om < 0 || j !== e) return SYNTAX;
      if (oh > 23 || om > 59) return BAD_DATE;
      ms -= (z === PLUS ? 1 : -1) * (oh * 3_600_000 + om * 60_000);
      i = e;
    } else {
      return SYNTAX;
    }
  }
  if (i !== e) return SYNTAX;
  PARSED[0] = ms;
  return OK;
}

/** Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (with `.mmm` only when there are milliseconds). */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** Why a text that failed to parse is not a value of `type`, for messages. */
export function describeProblem(code: number, type: string): string {
  switch (code) {
    case NOT_FINITE: return 'is not a finite number (NaN and Infinity are not allowed)';
    case OVERFLOW: return type === 'int' ? 'is outside the 64-bit integer range' : 'is outside the float64 range';
    case SPACES: return 'has leading or trailing spaces';
    case BAD_DATE: return 'is not a real calendar date or time';
    default:
      switch (type) {
        case 'int': return 'is not a whole number';
        case 'float': return 'is not a number';
        case 'bool': return 'is not true/false or 1/0';
        case 'timestamp': return 'is not an ISO 8601 date or date-time';
        default: return `is not a ${type}`;
      }
  }
}

function nonNumberReason(buf: Uint8Array, s: number, e: number): number {
  if (hasOuterSpace(buf, s, e)) return SPACES;
  const t = latin1(buf, s, Math.min(e, s + 12)).toLowerCase().replace(/^[+-]/, '');
  return t === 'nan' || t === 'inf' || t === 'infinity' ? NOT_FINITE : SYNTAX;
}

function hasOuterSpace(buf: Uint8Array, s: number, e: number): boolean {
  return e > s && (isSpace(buf[s]) || isSpace(buf[e - 1]));
}

function lowerEquals(buf: Uint8Array, s: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((buf[s + k] | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function digits(buf: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = buf[s + k] - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}
