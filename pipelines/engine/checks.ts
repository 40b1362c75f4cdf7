import { Contract } from './contract';
import { Example } from './examples';
import { ProfileResult } from './profiler';

/**
 * One broken rule of the contract. Ids follow `check:column` (`range:age`, `not_null:id`) or
 * name a dataset-wide check (`row_count`, `duplicate_rows`, `unique:a+b`, `schema:columns`,
 * `malformed_rows`, `drift:column`).
 */
export interface Violation {
  readonly id: string;
  readonly check: string;
  readonly column?: string;
  /** One sentence with the figures. */
  readonly message: string;
  /** Offending rows or values (for ratio and drift checks: the rows or columns concerned). */
  readonly count: number;
  /** The measured value when the check compares one (a ratio, a row count, a score). */
  readonly observed?: number;
  /** The contract's limit for `observed`. */
  readonly limit?: number;
  /** The first occurrences, with row, line and column. */
  readonly examples: Example[];
}

/**
 * The contract's verdict on a profiled dataset: every violated rule except drift (see
 * `driftViolations`), in a stable order.
 */
export function checkContract(contract: Contract, result: ProfileResult): Violation[] {
  const { profile, examples } = result;
  const out: Violation[] = [];
  const ex = (id: string) => examples.get(id);

  if (result.schemaProblems.length > 0) {
    out.push({
      id: 'schema:columns',
      check: 'schema',
      message: `the columns do not match the contract: ${result.schemaProblems.join('; ')}`,
      count: result.schemaProblems.length,
      examples: result.schemaProblems.map((m) => ({ message: m })),
    });
  }
  if (profile.malformedRows > 0) {
    out.push({
      id: 'malformed_rows',
      check: 'malformed_rows',
      message: `${fmt(profile.malformedRows)} row${plural(profile.malformedRows)} could not be read (wrong number of fields or broken quoting) and were left out of every other check`,
      count: profile.malformedRows,
      examples: ex('malformed_rows'),
    });
  }
  if (profile.rows < contract.minRows) {
    out.push({
      id: 'row_count',
      check: 'row_count',
      message: `${fmt(profile.rows)} row${plural(profile.rows)}, the contract needs at least ${fmt(contract.minRows)}`,
      count: profile.rows,
      observed: profile.rows,
      limit: contract.minRows,
      examples: [],
    });
  }
  const profiled = profile.rows - profile.malformedRows;
  for (const spec of contract.columns) {
    const c = profile.columns[spec.name];
    if (!c) continue;
    const name = spec.name;
    if (c.invalid > 0) {
      out.push({
        id: `type:${name}`,
        check: 'type',
        column: name,
        message: `${fmt(c.invalid)} value${plural(c.invalid)} in "${name}" ${c.invalid === 1 ? 'is' : 'are'} not of type ${spec.type}`,
        count: c.invalid,
        examples: ex(`type:${name}`),
      });
    }
    if (!spec.nullable && c.nulls > 0) {
      out.push({
        id: `not_null:${name}`,
        check: 'not_null',
        column: name,
        message: `${fmt(c.nulls)} empty value${plural(c.nulls)} in "${name}", which is not nullable`,
        count: c.nulls,
        examples: ex(`not_null:${name}`),
      });
    }
    if (spec.nullable && spec.maxNullRatio !== undefined && profiled > 0 && c.nulls / profiled > spec.maxNullRatio) {
      const ratio = c.nulls / profiled;
      out.push({
        id: `null_ratio:${name}`,
        check: 'null_ratio',
        column: name,
        message: `${pct(ratio)} of "${name}" is empty (${fmt(c.nulls)} of ${fmt(profiled)} rows), the contract allows ${pct(spec.maxNullRatio)}`,
        count: c.nulls,
        observed: ratio,
        limit: spec.maxNullRatio,
        examples: [],
      });
    }
    if ((c.outOfRange ?? 0) > 0) {
      out.push({
        id: `range:${name}`,
        check: 'range',
        column: name,
        message: `${fmt(c.outOfRange!)} value${plural(c.outOfRange!)} of "${name}" outside [${spec.min ?? '-inf'}, ${spec.max ?? '+inf'}] (observed ${c.min} to ${c.max})`,
        count: c.outOfRange!,
        examples: ex(`range:${name}`),
      });
    }
    if ((c.notAllowed ?? 0) > 0) {
      const known = new Set(spec.allowed ?? []);
      const unknown = Object.keys(c.categories?.values ?? {}).filter((v) => !known.has(v));
      out.push({
        id: `allowed:${name}`,
        check: 'allowed',
        column: name,
        message: `${fmt(c.notAllowed!)} value${plural(c.notAllowed!)} of "${name}" not in the allowed list${unknown.length ? ` (${unknown.slice(0, 5).map((v) => JSON.stringify(v)).join(', ')}${unknown.length > 5 ? ', ...' : ''})` : ''}`,
        count: c.notAllowed!,
        examples: ex(`allowed:${name}`),
      });
    }
  }
  if (profile.key.length > 0 && profile.duplicateKeys > 0) {
    const id = `unique:${profile.key.join('+')}`;
    out.push({
      id,
      check: 'unique',
      message: `${fmt(profile.duplicateKeys)} row${plural(profile.duplicateKeys)} repeat${profile.duplicateKeys === 1 ? 's' : ''} the key (${profile.key.join(', ')}) of an earlier row`,
      count: profile.duplicateKeys,
      examples: ex(id),
    });
  }
  if (profile.duplicateRows > contract.maxDuplicateRows) {
    out.push({
      id: 'duplicate_rows',
      check: 'duplicate_rows',
      message: `${fmt(profile.duplicateRows)} row${plural(profile.duplicateRows)} duplicate${profile.duplicateRows === 1 ? 's' : ''} an earlier row, the contract allows ${fmt(contract.maxDuplicateRows)}`,
      count: profile.duplicateRows,
      observed: profile.duplicateRows,
      limit: contract.maxDuplicateRows,
      examples: ex('duplicate_rows'),
    });
  }
  return out;
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.001 ? 3 : 2)} %`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
