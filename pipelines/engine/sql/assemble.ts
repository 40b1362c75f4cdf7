import { ColumnStateData } from '../column-state';
import { Contract } from '../contract';
import { Example, shorten } from '../examples';
import { Profile } from '../profile';
import { ProfileResult, Profiler } from '../profiler';
import { OK, describeProblem, parseBoolBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes } from '../values';
import { CompiledGate } from './compile';

/** One result row of a query: column name to text (as Athena returns every value), or null. */
export type ResultRow = Record<string, string | null>;

/** The result rows of each compiled query, by query name. */
export interface QueryResults {
  readonly summary: ResultRow[];
  readonly frequencies?: ResultRow[];
}

export interface AssembleOptions {
  readonly baseline?: Profile;
  /** Problems of the dataset's header against the contract (read outside SQL). */
  readonly schemaProblems?: string[];
}

/**
 * Turns the results of the compiled queries into what the streaming profiler returns: the
 * figures are merged into a fresh `Profiler` as if a thread had counted them, so the profile
 * (sketch compaction, quantile bins, categories, reference bins) is built by the same code.
 *
 * What SQL cannot give: rows that are not well-formed CSV (the table's SerDe reads them as best it
 * can, so they count as rows with nulls or invalid values instead of `malformed_rows`), and the
 * row and line of examples (examples carry the offending values, the smallest ones first).
 * Distinct counts of columns without a complete category list are the SQL engine's estimate.
 */
export function assembleProfile(contract: Contract, plan: CompiledGate, results: QueryResults, options: AssembleOptions = {}): ProfileResult {
  const s = results.summary[0];
  if (!s) throw new Error('the summary query returned no row');
  const rows = int(s.rows);
  const frequencies = groupFrequencies(results.frequencies ?? []);
  const examples: Array<[string, Example[]]> = [];
  const columns: ColumnStateData[] = plan.columns.map(({ index: i, spec, referenceEdges, categoryMask, bucketMask }) => {
    const count = int(s[`c${i}_count`]);
    const numeric = spec.type === 'int' || spec.type === 'float';
    const timestamp = spec.type === 'timestamp';
    const min = numeric || timestamp ? num(s[`c${i}_min`], Infinity) : Infinity;
    const max = numeric || timestamp ? num(s[`c${i}_max`], -Infinity) : -Infinity;
    const category = categoryMask !== undefined ? frequencies.get(categoryMask) : undefined;
    const categories = category
      ? { other: count - category.entries.reduce((t, [, n]) => t + n, 0), complete: category.distinct <= plan.maxCategories }
      : undefined;
    const sketch = bucketMask !== undefined
      ? (frequencies.get(bucketMask)?.entries ?? []).map(([k, n]): [number, number] => [Number(k), n]).sort((x, y) => x[0] - y[0])
      : undefined;

    const addExamples = (id: string, alias: string, message: (text: string) => string) => {
      const texts = jsonList(s[alias]);
      if (texts.length) examples.push([id, texts.map((text) => ({ column: spec.name, value: shorten(text), message: `value "${shorten(text, 40)}" ${message(text)}` }))]);
    };
    if (spec.type !== 'string') addExamples(`type:${spec.name}`, `c${i}_ex_type`, (text) => describeProblem(parseCode(spec.type, text), spec.type));
    if (spec.min !== undefined || spec.max !== undefined) addExamples(`range:${spec.name}`, `c${i}_ex_range`, () => `is outside [${spec.min ?? '-inf'}, ${spec.max ?? '+inf'}]`);
    if (spec.allowed) addExamples(`allowed:${spec.name}`, `c${i}_ex_allowed`, () => 'is not an allowed value');

    return {
      count,
      nulls: int(s[`c${i}_nulls`]),
      invalid: spec.type === 'string' ? 0 : int(s[`c${i}_invalid`]),
      registers: new Uint8Array(0),
      min: zero(min),
      max: zero(max),
      sum: numeric ? num(s[`c${i}_sum`], 0) : 0,
      comp: 0,
      outOfRange: spec.min !== undefined || spec.max !== undefined ? int(s[`c${i}_range`]) : 0,
      notAllowed: spec.allowed ? int(s[`c${i}_allowed`]) : 0,
      trues: spec.type === 'bool' ? int(s[`c${i}_trues`]) : 0,
      falses: spec.type === 'bool' ? int(s[`c${i}_falses`]) : 0,
      ...(sketch ? { sketch } : {}),
      ...(referenceEdges ? { refCounts: Float64Array.from(referenceEdges.concat(0).map((_, k) => int(s[`c${i}_ref${k}`]))) } : {}),
      ...(category && spec.type === 'string' ? { dict: { entries: category.entries, ...categories! } } : {}),
      ...(category && spec.type === 'int' ? { numbers: { entries: category.entries.map(([v, n]): [number, number] => [zero(Number(v)), n]), ...categories! } } : {}),
    };
  });

  const profiler = new Profiler(contract, { baseline: options.baseline });
  for (const p of options.schemaProblems ?? []) profiler.addSchemaProblem(p);
  const empty = { slots: new Int32Array(0), count: 0, hasZero: false };
  profiler.mergeState({
    rows,
    malformed: 0,
    duplicateRows: rows - int(s.distinct_rows),
    duplicateKeys: contract.key.length > 0 ? rows - int(s.distinct_keys) : 0,
    rowSet: empty,
    keySet: empty,
    keyInts: new Uint8Array(0),
    columns,
    examples,
  }, 0, 0);
  const result = profiler.finish();
  // Distinct counts the profiler cannot know exactly come from the SQL engine's estimate.
  const profileColumns: Profile['columns'] = {};
  for (const { index: i, spec } of plan.columns) {
    const c = result.profile.columns[spec.name];
    if (!c) continue;
    profileColumns[spec.name] = c.distinctExact ? c : { ...c, distinct: Math.min(int(s[`c${i}_distinct`]), c.count) };
  }
  return { ...result, profile: { ...result.profile, columns: profileColumns } };
}

interface Frequencies {
  readonly entries: Array<[string, number]>;
  /** Distinct values in the set (may exceed the entries kept). */
  readonly distinct: number;
}

function groupFrequencies(rows: ResultRow[]): Map<number, Frequencies> {
  const out = new Map<number, { entries: Array<[string, number]>; distinct: number }>();
  for (const r of rows) {
    const g = int(r.g);
    let f = out.get(g);
    if (!f) {
      f = { entries: [], distinct: int(r.distinct_values) };
      out.set(g, f);
    }
    f.entries.push([r.v ?? '', int(r.n)]);
  }
  return out;
}

/** The engine parser's status for a text that SQL found not to be of the type. */
function parseCode(type: string, text: string): number {
  const b = Buffer.from(text, 'utf8');
  const st = type === 'int' ? parseIntBytes(b, 0, b.length)
    : type === 'float' ? parseFloatBytes(b, 0, b.length)
      : type === 'bool' ? parseBoolBytes(b, 0, b.length)
        : parseTimestampBytes(b, 0, b.length);
  return st === OK ? -1 : st;
}

function int(x: string | null | undefined): number {
  if (x === null || x === undefined || x === '') return 0;
  const n = Number(x);
  if (!Number.isFinite(n)) throw new Error(`expected a number in the query result, got "${x}"`);
  return n;
}

function num(x: string | null | undefined, absent: number): number {
  if (x === null || x === undefined || x === '') return absent;
  const n = Number(x);
  if (Number.isNaN(n)) throw new Error(`expected a number in the query result, got "${x}"`);
  return n;
}

/** -0 as 0 (the engine never produces -0). */
function zero(x: number): number {
  return x === 0 ? 0 : x;
}

function jsonList(x: string | null | undefined): string[] {
  if (x === null || x === undefined || x === '' || x === 'null') return [];
  const v = JSON.parse(x);
  return Array.isArray(v) ? v.filter((e) => e !== null).map(String) : [];
}
