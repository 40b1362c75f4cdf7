import { referenceEdgesOf } from '../column-state';
import { ContractColumn, Contract } from '../contract';
import { Profile } from '../profile';
import { SqlDialect, dbl, ident, str } from './dialect';

/**
 * Compiles the data contract and a baseline profile into SQL that computes, where the data lives,
 * the figures the streaming profiler counts row by row: two scans of the dataset.
 *
 * 1. `summary`: one row of aggregates. Rows; per column nulls, values that are not of the type,
 *    valid values, min/max/sum, values outside [min, max], values outside the allowed list,
 *    counts on the baseline's bin edges (PSI), true/false counts, a distinct estimate and the
 *    smallest offending values as examples; distinct rows and distinct keys (duplicates).
 * 2. `frequencies`: one GROUP BY GROUPING SETS over the category columns (the 10,000 most frequent
 *    values of each, and how many there are) and the sketch bucket of every numeric value (KS and
 *    the quantile bins of the profile).
 *
 * Every column is read as text and parsed in SQL by the engine's own grammar (see `values.ts`):
 * int `[+-]?digits` within 64 bits, float `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?` and
 * finite, bool `true`/`false` (any case) or `1`/`0`, timestamps `YYYY-MM-DD[(T| )HH:MM[:SS[.f]]]`
 * with `Z` or an offset, checked against the calendar and turned into epoch milliseconds with
 * integer arithmetic. So counts, ranges and duplicates agree with the streaming engine exactly;
 * `assemble.ts` turns the results into the same profile, and the same checks and drift code make
 * the report.
 */

/** Where the dataset's rows come from. */
export interface SqlRelation {
  /** What follows FROM: a table (`"db"."table"`) or a table function. */
  readonly from: string;
  /** A condition that selects the dataset (a partition, one file). @default every row */
  readonly where?: string;
}

export interface CompileOptions {
  /** The baseline drift is scored against: numeric columns are also counted on its bin edges. */
  readonly baseline?: Profile;
  /** Most frequent values kept per category column. @default 10000 (as the streaming profiler) */
  readonly maxCategories?: number;
  /** Example values kept per violation. @default 5 */
  readonly maxExamples?: number;
}

export interface CompiledQuery {
  readonly name: 'summary' | 'frequencies';
  readonly sql: string;
}

/** What the compiler decided per column, which the assembly of the results needs too. */
export interface ColumnPlan {
  readonly index: number;
  readonly spec: ContractColumn;
  /** Baseline bin edges counted in SQL (as the profiler's `reference`), when any. */
  readonly referenceEdges?: number[];
  /** GROUPING mask of the column's category set in `frequencies`, when it has one. */
  readonly categoryMask?: number;
  /** GROUPING mask of the column's sketch buckets in `frequencies`, when numeric. */
  readonly bucketMask?: number;
}

export interface CompiledGate {
  readonly queries: CompiledQuery[];
  readonly columns: ColumnPlan[];
  readonly maxCategories: number;
  readonly maxExamples: number;
}

/** The engine's int grammar. */
export const INT_PATTERN = '^[+-]?[0-9]+$';
/** The engine's float grammar (finiteness is checked after the cast). */
export const FLOAT_PATTERN = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';
/**
 * The engine's timestamp grammar. Groups: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second,
 * 7 fraction, 8 offset (`+HH`, `+HH:`, `+HHMM` or `+HH:MM`); DuckDB extracts groups 0-9 only.
 */
export const TIMESTAMP_PATTERN = '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(?:[Zz]|([+-][0-9]{2}(?::?[0-9]{2}|:)?))?)?$';

const MAX_DOUBLE = '1.7976931348623157E308';
/** Half the sketch's index space (SKETCH_BITS = 7): indexes of values >= 0 start here. */
const SKETCH_HALF = 2 ** 18;

/** Compiles the contract (and baseline) for one dataset. */
export function compileGate(contract: Contract, relation: SqlRelation, dialect: SqlDialect, options: CompileOptions = {}): CompiledGate {
  const maxCategories = options.maxCategories ?? 10000;
  const maxExamples = options.maxExamples ?? 5;
  const specs = contract.columns;
  // Grouping sets of `frequencies`, in order: category values, then numeric sketch buckets.
  const sets: Array<{ column: number; what: 'category' | 'bucket' }> = [];
  specs.forEach((c, i) => { if (c.type === 'string' || (c.type === 'int' && c.allowed)) sets.push({ column: i, what: 'category' }); });
  specs.forEach((c, i) => { if (c.type === 'int' || c.type === 'float') sets.push({ column: i, what: 'bucket' }); });
  const maskOf = (k: number) => (2 ** sets.length - 1) - 2 ** (sets.length - 1 - k);
  const columns: ColumnPlan[] = specs.map((spec, index) => {
    const category = sets.findIndex((s) => s.column === index && s.what === 'category');
    const bucket = sets.findIndex((s) => s.column === index && s.what === 'bucket');
    const referenceEdges = referenceEdgesOf(spec, options.baseline);
    return {
      index,
      spec,
      ...(referenceEdges ? { referenceEdges } : {}),
      ...(category >= 0 ? { categoryMask: maskOf(category) } : {}),
      ...(bucket >= 0 ? { bucketMask: maskOf(bucket) } : {}),
    };
  });

  const values = valuesRelation(contract, relation, dialect);
  const queries: CompiledQuery[] = [{ name: 'summary', sql: summarySql(contract, columns, values, dialect, maxExamples) }];
  if (sets.length > 0) {
    queries.push({ name: 'frequencies', sql: frequenciesSql(columns, sets, values, maxCategories, maskOf) });
  }
  return { queries, columns, maxCategories, maxExamples };
}

/**
 * The rows with every column parsed: per column i, `t{i}` the text, `n{i}` whether it is null,
 * `v{i}` the value (double for int and float, boolean, epoch ms for timestamps, text for
 * strings; NULL when null or not of the type) and `x{i}` the text of a value that is not of the
 * type.
 */
function valuesRelation(contract: Contract, relation: SqlRelation, d: SqlDialect): string {
  const specs = contract.columns;
  const tokens = contract.format.nullValues;
  const src = `SELECT ${specs.map((c, i) => `${d.column(c.name)} AS t${i}`).join(', ')} FROM ${relation.from}${relation.where ? ` WHERE ${relation.where}` : ''}`;

  // Level 1: null flags, casts behind the grammar, timestamp parts.
  const l1: string[] = [];
  specs.forEach((c, i) => {
    const t = `t${i}`;
    const isNull = tokens.length > 0 ? `(${t} IS NULL OR ${t} IN (${tokens.map(str).join(', ')}))` : `(${t} IS NULL)`;
    l1.push(t, `${isNull} AS n${i}`);
    switch (c.type) {
      case 'int':
        l1.push(`CASE WHEN ${d.regexpLike(t, INT_PATTERN)} THEN try_cast(${t} AS bigint) END AS i${i}`);
        break;
      case 'float':
        l1.push(`CASE WHEN ${d.regexpLike(t, FLOAT_PATTERN)} THEN try_cast(${t} AS double) END AS d${i}`);
        break;
      case 'bool':
        l1.push(`CASE WHEN ${t} = '1' OR lower(${t}) = 'true' THEN true WHEN ${t} = '0' OR lower(${t}) = 'false' THEN false END AS b${i}`);
        break;
      case 'timestamp':
        // One match of the grammar; the fixed-position parts are cut out below, the fraction and
        // the offset (which move) come from the match's groups.
        l1.push(`${d.regexpLike(t, TIMESTAMP_PATTERN)} AS tm${i}`, `${d.regexpGroup(t, TIMESTAMP_PATTERN, 7)} AS fr${i}`, `${d.regexpGroup(t, TIMESTAMP_PATTERN, 8)} AS of${i}`);
        break;
      default:
        break;
    }
  });

  // Level 1b: timestamp parts at their fixed positions, when the text matched the grammar.
  const l1b: string[] = [];
  specs.forEach((c, i) => {
    const t = `t${i}`;
    l1b.push(t, `n${i}`);
    if (c.type === 'int') l1b.push(`i${i}`);
    if (c.type === 'float') l1b.push(`d${i}`);
    if (c.type === 'bool') l1b.push(`b${i}`);
    if (c.type === 'timestamp') {
      const cut = (from: number, when: string, name: string) => `CASE WHEN ${when} THEN CAST(substr(${t}, ${from}, 2) AS bigint) END AS ${name}${i}`;
      const tm = `tm${i}`;
      l1b.push(`CASE WHEN ${tm} THEN CAST(substr(${t}, 1, 4) AS bigint) END AS y${i}`, cut(6, tm, 'mo'), cut(9, tm, 'dd'));
      const time = `${tm} AND length(${t}) > 10`;
      l1b.push(cut(12, time, 'hh'), cut(15, time, 'mi'), cut(18, `${time} AND substr(${t}, 17, 1) = ':'`, 'ss'), `fr${i}`, `of${i}`);
    }
  });

  // Level 2: validity of timestamps (calendar and clock) and the terms of the day count.
  const l2: string[] = [];
  specs.forEach((c, i) => {
    l2.push(`t${i}`, `n${i}`);
    if (c.type === 'int') l2.push(`i${i}`);
    if (c.type === 'float') l2.push(`d${i}`);
    if (c.type === 'bool') l2.push(`b${i}`);
    if (c.type === 'timestamp') {
      const y = `y${i}`;
      const mo = `mo${i}`;
      const leap = `((${y} % 4 = 0 AND ${y} % 100 <> 0) OR ${y} % 400 = 0)`;
      const dim = `CASE WHEN ${mo} = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN ${mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
      const ok = `${y} IS NOT NULL AND ${mo} BETWEEN 1 AND 12 AND dd${i} BETWEEN 1 AND ${dim}`
        + ` AND coalesce(hh${i}, 0) <= 23 AND coalesce(mi${i}, 0) <= 59 AND coalesce(ss${i}, 0) <= 59`;
      l2.push(`(${ok}) AS ok${i}`);
      // Years shifted by 400 (one era) keep every division on non-negative numbers.
      l2.push(`${y} - (CASE WHEN ${mo} <= 2 THEN 1 ELSE 0 END) + 400 AS ye${i}`);
      l2.push(`${mo} + (CASE WHEN ${mo} > 2 THEN -3 ELSE 9 END) AS mp${i}`);
      l2.push(`dd${i}`, `hh${i}`, `mi${i}`, `ss${i}`, `fr${i}`, `substr(of${i}, 1, 1) AS sg${i}`, `CAST(substr(of${i}, 2, 2) AS bigint) AS oh${i}`);
      // Offset minutes are the last two digits of +HHMM or +HH:MM.
      l2.push(`CAST(CASE WHEN length(of${i}) >= 5 THEN substr(of${i}, length(of${i}) - 1, 2) END AS bigint) AS om${i}`);
    }
  });

  // Level 3: values and invalid texts.
  const l3: string[] = [];
  specs.forEach((c, i) => {
    const n = `n${i}`;
    let v: string;
    switch (c.type) {
      case 'int':
        v = `CASE WHEN NOT ${n} AND i${i} IS NOT NULL THEN CAST(i${i} AS double) + 0E0 END`;
        break;
      case 'float':
        // + 0E0 turns -0 into 0, as the engine's parser does.
        v = `CASE WHEN NOT ${n} AND abs(d${i}) <= ${MAX_DOUBLE} THEN d${i} + 0E0 END`;
        break;
      case 'bool':
        v = `CASE WHEN NOT ${n} THEN b${i} END`;
        break;
      case 'timestamp': {
        const ye = `ye${i}`;
        const era = d.intDiv(ye, '400');
        const yoe = `(${ye} - ${era} * 400)`;
        const doy = `(${d.intDiv(`153 * mp${i} + 2`, '5')} + dd${i} - 1)`;
        const doe = `(${yoe} * 365 + ${d.intDiv(yoe, '4')} - ${d.intDiv(yoe, '100')} + ${doy})`;
        const days = `(${era} * 146097 + ${doe} - 719468 - 146097)`;
        const frac = `coalesce(CAST(rpad(substr(fr${i}, 1, 3), 3, '0') AS bigint), 0)`;
        const offset = `(CASE WHEN sg${i} = '+' THEN 1 WHEN sg${i} = '-' THEN -1 ELSE 0 END) * (coalesce(oh${i}, 0) * 3600000 + coalesce(om${i}, 0) * 60000)`;
        const ms = `${days} * 86400000 + coalesce(hh${i}, 0) * 3600000 + coalesce(mi${i}, 0) * 60000 + coalesce(ss${i}, 0) * 1000 + ${frac} - ${offset}`;
        v = `CASE WHEN NOT ${n} AND ok${i} AND coalesce(oh${i}, 0) <= 23 AND coalesce(om${i}, 0) <= 59 THEN ${ms} END`;
        break;
      }
      default:
        v = `CASE WHEN NOT ${n} THEN t${i} END`;
    }
    l3.push(`t${i}`, `${n}`, `${v} AS v${i}`);
  });
  const l4 = specs.map((c, i) => [`t${i}`, `n${i}`, `v${i}`, c.type === 'string' ? `CAST(NULL AS varchar) AS x${i}` : `CASE WHEN NOT n${i} AND v${i} IS NULL THEN t${i} END AS x${i}`].join(', '));
  return `SELECT ${l4.join(', ')} FROM (SELECT ${l3.join(', ')} FROM (SELECT ${l2.join(', ')} FROM (SELECT ${l1b.join(', ')} FROM (SELECT ${l1.join(', ')} FROM (${src}) AS src) AS l1) AS l1b) AS l2) AS l3`;
}

function summarySql(contract: Contract, columns: ColumnPlan[], values: string, d: SqlDialect, maxExamples: number): string {
  const sel: string[] = ['count(*) AS "rows"'];
  const examples = (alias: string, text: string, when: string) =>
    sel.push(`${d.jsonArray(`min_by(${text}, ${text}, ${maxExamples}) FILTER (WHERE ${when})`)} AS "${alias}"`);
  for (const { index: i, spec, referenceEdges } of columns) {
    const v = `v${i}`;
    sel.push(`count_if(n${i}) AS "c${i}_nulls"`, `count(${v}) AS "c${i}_count"`);
    if (spec.type !== 'string') {
      sel.push(`count(x${i}) AS "c${i}_invalid"`);
      examples(`c${i}_ex_type`, `x${i}`, `x${i} IS NOT NULL`);
    }
    if (spec.type === 'int' || spec.type === 'float' || spec.type === 'timestamp') {
      sel.push(`min(${v}) AS "c${i}_min"`, `max(${v}) AS "c${i}_max"`);
    }
    if (spec.type === 'int' || spec.type === 'float') {
      sel.push(`sum(${v}) AS "c${i}_sum"`);
      if (spec.min !== undefined || spec.max !== undefined) {
        const out = [spec.min !== undefined ? `${v} < ${dbl(spec.min)}` : '', spec.max !== undefined ? `${v} > ${dbl(spec.max)}` : ''].filter((x) => x).join(' OR ');
        sel.push(`count_if(${out}) AS "c${i}_range"`);
        examples(`c${i}_ex_range`, `t${i}`, out);
      }
    }
    if (spec.allowed) {
      const list = spec.type === 'int' ? spec.allowed.map((a) => dbl(Number(a))) : spec.allowed.map(str);
      const outside = `${v} NOT IN (${list.join(', ')})`;
      sel.push(`count_if(${outside}) AS "c${i}_allowed"`);
      examples(`c${i}_ex_allowed`, `t${i}`, outside);
    }
    if (spec.type === 'bool') sel.push(`count_if(${v}) AS "c${i}_trues"`, `count_if(NOT ${v}) AS "c${i}_falses"`);
    if (spec.type !== 'bool') sel.push(`${d.approxDistinct(v)} AS "c${i}_distinct"`);
    if (referenceEdges) {
      const e = referenceEdges.map(dbl);
      sel.push(`count_if(${v} < ${e[0]}) AS "c${i}_ref0"`);
      for (let k = 1; k < e.length; k++) sel.push(`count_if(${v} >= ${e[k - 1]} AND ${v} < ${e[k]}) AS "c${i}_ref${k}"`);
      sel.push(`count_if(${v} >= ${e[e.length - 1]}) AS "c${i}_ref${e.length}"`);
    }
  }
  // A value's identity as the engine hashes it: the parsed value, or the text when it is not
  // of the type; nulls compare equal (DISTINCT treats NULL fields of a row as equal).
  const identity = (i: number) => (contract.columns[i].type === 'string' ? [`v${i}`] : [`v${i}`, `x${i}`]);
  sel.push(`count(DISTINCT ROW(${columns.flatMap((c) => identity(c.index)).join(', ')})) AS "distinct_rows"`);
  if (contract.key.length > 0) {
    const keyCols = contract.key.map((k) => contract.columns.findIndex((c) => c.name === k));
    sel.push(`count(DISTINCT ROW(${keyCols.flatMap(identity).join(', ')})) AS "distinct_keys"`);
  }
  return `SELECT ${sel.join(',\n  ')}\nFROM (${values}) AS vals`;
}

function frequenciesSql(
  columns: ColumnPlan[], sets: Array<{ column: number; what: 'category' | 'bucket' }>, values: string, maxCategories: number, maskOf: (k: number) => number,
): string {
  const numeric = columns.filter((c) => c.bucketMask !== undefined).map((c) => c.index);
  // Sketch bucket of each numeric value, exactly as `Sketch.addBits` on its float64 bits:
  // exponent e = floor(log2 |v|) (corrected where log2 rounds), 7 mantissa bits below it.
  const a = numeric.map((i) => `abs(v${i}) AS a${i}`);
  const lg = numeric.map((i) => `CASE WHEN a${i} > 0 THEN floor(log2(a${i})) END AS l${i}`);
  const ex = numeric.map((i) => `CASE WHEN power(2E0, l${i}) > a${i} THEN l${i} - 1 WHEN power(2E0, l${i} + 1) <= a${i} THEN l${i} + 1 ELSE l${i} END AS e${i}`);
  const fr = numeric.map((i) => [
    `CASE WHEN a${i} = 0 THEN 0E0 WHEN e${i} < -1022 THEN a${i} * power(2E0, 1022) * 128 ELSE (a${i} / power(2E0, e${i}) - 1) * 128 END AS f${i}`,
    `CASE WHEN a${i} = 0 OR e${i} < -1022 THEN 0 ELSE e${i} + 1023 END AS be${i}`,
  ].join(', '));
  const bucket = numeric.map((i) => {
    const mk = `(be${i} * 128 + floor(f${i}))`;
    return `CAST(CASE WHEN v${i} >= 0 THEN ${SKETCH_HALF} + ${mk} ELSE ${SKETCH_HALF - 1} - ${mk} + (CASE WHEN f${i} = floor(f${i}) THEN 1 ELSE 0 END) END AS bigint) AS k${i}`;
  });
  const carry = (extra: string[]) => [...columns.map((c) => `v${c.index}`), ...extra].join(', ');
  const keep = (prefix: string) => numeric.map((i) => `${prefix}${i}`);
  let base = `SELECT ${carry(a)} FROM (${values}) AS vals`;
  base = `SELECT ${carry([...keep('a'), ...lg])} FROM (${base}) AS s1`;
  base = `SELECT ${carry([...keep('a'), ...ex])} FROM (${base}) AS s2`;
  base = `SELECT ${carry(fr)} FROM (${base}) AS s3`;
  base = `SELECT ${[...columns.map((c) => `v${c.index}`), ...bucket].join(', ')} FROM (${base}) AS s4`;

  const groups = sets.map((s, k) => `${s.what === 'category' ? `v${s.column}` : `k${s.column}`} AS g${k}`);
  const gs = sets.map((_, k) => `g${k}`);
  const grouped = `SELECT grouping(${gs.join(', ')}) AS g, coalesce(${gs.map((g) => `CAST(${g} AS varchar)`).join(', ')}) AS v, count(*) AS n`
    + ` FROM (SELECT ${groups.join(', ')} FROM (${base}) AS s5) AS s6 GROUP BY GROUPING SETS (${gs.map((g) => `(${g})`).join(', ')})`;
  const bucketMasks = sets.map((s, k) => (s.what === 'bucket' ? maskOf(k) : -1)).filter((m) => m >= 0);
  const unlimited = bucketMasks.length ? ` OR g IN (${bucketMasks.join(', ')})` : '';
  return `SELECT g, v, n, distinct_values FROM (\n  SELECT g, v, n, row_number() OVER (PARTITION BY g ORDER BY n DESC, v) AS r, count(*) OVER (PARTITION BY g) AS distinct_values\n  FROM (${grouped}) AS grouped WHERE v IS NOT NULL\n) AS ranked\nWHERE r <= ${maxCategories}${unlimited}\nORDER BY g, r`;
}

/** `"db"."table"` for a catalog table. */
export function tableName(database: string, table: string): string {
  return `${ident(database)}.${ident(table)}`;
}
