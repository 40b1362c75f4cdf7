/**
 * The few places where the SQL of Athena (engine version 3, Trino) and of DuckDB differ. The gate's
 * compiled queries are written once against this interface; everything else in them (CASE,
 * count_if, FILTER, min_by(x, y, n), try_cast, log2, power, floor, substr, rpad, GROUPING SETS,
 * grouping(), window functions, ROW(...), count(DISTINCT ...), double literals like 1.5E0) is
 * spelled the same in both.
 *
 * | what                       | Athena / Trino                      | DuckDB                          |
 * |----------------------------|-------------------------------------|---------------------------------|
 * | regular expression test    | regexp_like(s, p) (search)          | regexp_matches(s, p) (search)   |
 * | group of a regexp match    | regexp_extract(s, p, g): NULL when  | regexp_extract(s, p, g): '' when |
 * |                            | the group did not take part         | the group did not take part     |
 * | whole-number division      | a / b on bigint (truncates)         | a // b (truncates)              |
 * | distinct-count estimate    | approx_distinct(x)                  | approx_count_distinct(x)        |
 * | an array as JSON text      | json_format(CAST(a AS JSON))        | to_json(a)                      |
 * | column names               | lower case (the Glue catalog's)     | as given                        |
 *
 * Patterns use only the syntax both regex engines (Joni/re2j in Trino, RE2 in DuckDB) read alike:
 * anchors, character classes, counted repetition, non-capturing groups and alternation; DuckDB
 * extracts capture groups 0-9 only, so a pattern has at most 9 groups.
 *
 * Differences the queries avoid instead of spelling twice:
 * - `try_cast` accepts different texts in each engine (Trino's double cast takes `NaN`, `1d`,
 *   hex floats and padding; DuckDB's takes others): every cast sits behind the engine's grammar
 *   as a regular expression, so only texts both read alike reach it.
 * - `approx_percentile` and `histogram`/`width_bucket` are approximate or close their bins on
 *   different sides: bins are counted exactly with count_if over the baseline's edges, and the
 *   profile's quantile bins come from exact sketch buckets (log2, power and floor, as
 *   `Sketch.addBits` does on the float64 bits; DuckDB has no to_ieee754_64).
 * - Integer division truncates in both, and differs on negatives: the day count shifts years by
 *   one 400-year era so every division is of non-negative numbers.
 */
export interface SqlDialect {
  readonly name: 'trino' | 'duckdb';
  /** Whether `s` contains a match of `pattern` (anchor it with ^ and $ for a whole match). */
  regexpLike(s: string, pattern: string): string;
  /** Capture group `group` of the first match, NULL when the group did not take part. */
  regexpGroup(s: string, pattern: string, group: number): string;
  /** Whole-number division of non-negative bigints. */
  intDiv(a: string, b: string): string;
  /** Estimated number of distinct non-null values. */
  approxDistinct(x: string): string;
  /** An array value as JSON text (so values with commas survive the trip as text). */
  jsonArray(a: string): string;
  /** The identifier of a data column. */
  column(name: string): string;
}

/** A quoted identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal. */
export function str(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A double literal that reads back as exactly `x` (finite): the shortest round-trip digits in
 * exponent form, which both engines type as DOUBLE (a plain `1.5` is a DECIMAL in Trino).
 */
export function dbl(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`no SQL literal for ${x}`);
  return x.toExponential().replace('e+', 'E').replace('e', 'E');
}

/** Athena engine version 3 (Trino). */
export const TRINO: SqlDialect = {
  name: 'trino',
  regexpLike: (s, p) => `regexp_like(${s}, ${str(p)})`,
  // NULL for a group that did not take part; nullif also covers an engine version that gives ''.
  regexpGroup: (s, p, g) => `nullif(regexp_extract(${s}, ${str(p)}, ${g}), '')`,
  intDiv: (a, b) => `(${a}) / (${b})`,
  approxDistinct: (x) => `approx_distinct(${x})`,
  jsonArray: (a) => `json_format(CAST(${a} AS JSON))`,
  // The Glue catalog keeps column names in lower case, and Athena matches them that way.
  column: (name) => ident(name.toLowerCase()),
};

/** DuckDB: runs the same queries offline (tests and the benchmark). */
export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  regexpLike: (s, p) => `regexp_matches(${s}, ${str(p)})`,
  // DuckDB gives '' for a group that did not take part; NULL makes both dialects agree.
  regexpGroup: (s, p, g) => `nullif(regexp_extract(${s}, ${str(p)}, ${g}), '')`,
  intDiv: (a, b) => `(${a}) // (${b})`,
  approxDistinct: (x) => `approx_count_distinct(${x})`,
  jsonArray: (a) => `to_json(${a})`,
  column: (name) => ident(name),
};
