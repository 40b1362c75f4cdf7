import { readFileSync } from 'node:fs';
import { ContractError } from './errors';

/**
 * The data contract in the engine's format: `data/contract.json` of a generated repository
 * (written from the typed config by `src/config/contract-file.ts`).
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "dataset": "churn",
 *   "format": { "type": "csv", "delimiter": ",", "header": true, "nullValues": [""] },
 *   "columns": [                      // in file order
 *     { "name": "customer_id", "type": "int", "nullable": false, "min": 1 },
 *     { "name": "total_charges", "type": "float", "nullable": true, "maxNullRatio": 0.1, "min": 0 },
 *     { "name": "contract", "type": "string", "nullable": false, "allowed": ["month-to-month", "one-year"] },
 *     { "name": "churned", "type": "int", "nullable": false, "allowed": ["0", "1"] }
 *   ],
 *   "key": ["customer_id"],           // may be empty
 *   "target": "churned",
 *   "minRows": 1000,
 *   "maxDuplicateRows": 0,
 *   "drift": { "psiThreshold": 0.2, "ksThreshold": 0.1, "bins": 10, "epsilon": 0.0001 }
 * }
 * ```
 */
export interface Contract {
  readonly version: 1;
  /** Name of the dataset (the model name); names reports and the Glue table. */
  readonly dataset: string;
  readonly format: ContractFormat;
  /** Columns in file order. */
  readonly columns: ContractColumn[];
  /** Columns that together identify a row (empty: no key). */
  readonly key: string[];
  /** The column the model predicts. */
  readonly target: string;
  /** Fewest data rows a dataset may have. */
  readonly minRows: number;
  /** Most fully duplicated rows a dataset may have. */
  readonly maxDuplicateRows: number;
  readonly drift: DriftSettings;
}

/** File format of the datasets. Only `type` applies to JSON Lines and Parquet. */
export interface ContractFormat {
  readonly type: DataFormat;
  /** One ASCII character. */
  readonly delimiter: string;
  /** Whether the first CSV record names the columns. */
  readonly header: boolean;
  /** Field texts that mean "no value" (after unquoting). */
  readonly nullValues: string[];
}

export type DataFormat = 'csv' | 'jsonl' | 'parquet';
export type ColumnKind = 'int' | 'float' | 'string' | 'bool' | 'timestamp';

export interface ContractColumn {
  readonly name: string;
  readonly type: ColumnKind;
  readonly nullable: boolean;
  /** Largest share (0..1) of nulls among the rows; only for nullable columns. Absent: no limit. */
  readonly maxNullRatio?: number;
  /** Smallest allowed value (inclusive), int and float columns. */
  readonly min?: number;
  /** Largest allowed value (inclusive), int and float columns. */
  readonly max?: number;
  /** The only values allowed, string and int columns (ints compare as numbers). */
  readonly allowed?: string[];
  /** What the column holds (for the catalog). */
  readonly description?: string;
}

/** Drift thresholds and binning, shared by the gate and the monitor. */
export interface DriftSettings {
  /** A column drifted when its PSI is above this. */
  readonly psiThreshold: number;
  /** A numeric column drifted when its KS statistic is above this. */
  readonly ksThreshold: number;
  /** Quantile bins per numeric column in a profile. */
  readonly bins: number;
  /** Floor of every bin proportion in PSI (keeps empty bins finite). */
  readonly epsilon: number;
}

const KINDS: readonly ColumnKind[] = ['int', 'float', 'string', 'bool', 'timestamp'];
const FORMATS: readonly DataFormat[] = ['csv', 'jsonl', 'parquet'];

/** Reads and validates a contract file; every problem is reported at once in a `ContractError`. */
export function loadContract(path: string): Contract {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ContractError(`cannot read the contract ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ContractError(`the contract ${path} is not JSON: ${(e as Error).message}`);
  }
  return parseContract(doc, path);
}

/** Validates a parsed contract document and returns it typed, with defaults filled in. */
export function parseContract(doc: unknown, source = 'contract'): Contract {
  const problems: string[] = [];
  const v = new Checker(problems);
  if (!isObject(doc)) throw new ContractError(`${source}: must be a JSON object`);
  if (doc.version !== 1) problems.push(`version: must be 1, got ${JSON.stringify(doc.version)}`);
  const dataset = v.string(doc.dataset, 'dataset') ?? '';

  const f = isObject(doc.format) ? doc.format : {};
  if (doc.format !== undefined && !isObject(doc.format)) problems.push('format: must be an object');
  const type = (f.type ?? 'csv') as DataFormat;
  if (!FORMATS.includes(type)) problems.push(`format.type: must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(f.type)}`);
  const delimiter = (f.delimiter ?? ',') as string;
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    problems.push(`format.delimiter: must be one ASCII character other than a quote or line break, got ${JSON.stringify(f.delimiter)}`);
  }
  const header = f.header ?? true;
  if (typeof header !== 'boolean') problems.push('format.header: must be true or false');
  const nullValues = f.nullValues ?? [''];
  if (!Array.isArray(nullValues) || !nullValues.every((x) => typeof x === 'string')) problems.push('format.nullValues: must be a list of strings');

  const columns: ContractColumn[] = [];
  if (!Array.isArray(doc.columns) || doc.columns.length === 0) {
    problems.push('columns: must be a non-empty list');
  } else {
    const seen = new Set<string>();
    doc.columns.forEach((c: unknown, i: number) => {
      const col = parseColumn(c, `columns[${i}]`, v);
      if (!col) return;
      if (seen.has(col.name)) problems.push(`columns[${i}].name: "${col.name}" appears twice`);
      seen.add(col.name);
      columns.push(col);
    });
  }
  const names = new Set(columns.map((c) => c.name));
  const key = doc.key ?? [];
  if (!Array.isArray(key) || !key.every((k) => typeof k === 'string')) {
    problems.push('key: must be a list of column names');
  } else {
    key.forEach((k, i) => { if (!names.has(k)) problems.push(`key[${i}]: "${k}" is not a column`); });
  }
  const target = v.string(doc.target, 'target') ?? '';
  if (target && !names.has(target)) problems.push(`target: "${target}" is not a column`);
  const minRows = v.number(doc.minRows ?? 1, 'minRows', { min: 0, integer: true }) ?? 0;
  const maxDuplicateRows = v.number(doc.maxDuplicateRows ?? 0, 'maxDuplicateRows', { min: 0, integer: true }) ?? 0;

  const d = isObject(doc.drift) ? doc.drift : {};
  if (doc.drift !== undefined && !isObject(doc.drift)) problems.push('drift: must be an object');
  const drift: DriftSettings = {
    psiThreshold: v.number(d.psiThreshold ?? 0.2, 'drift.psiThreshold', { min: 0 }) ?? 0.2,
    ksThreshold: v.number(d.ksThreshold ?? 0.1, 'drift.ksThreshold', { min: 0, max: 1 }) ?? 0.1,
    bins: v.number(d.bins ?? 10, 'drift.bins', { min: 2, max: 100, integer: true }) ?? 10,
    epsilon: v.number(d.epsilon ?? 0.0001, 'drift.epsilon', { min: 1e-12, max: 0.1 }) ?? 0.0001,
  };

  if (problems.length > 0) {
    throw new ContractError(`${source} is not a valid data contract:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return {
    version: 1,
    dataset,
    format: { type, delimiter, header: header as boolean, nullValues: nullValues as string[] },
    columns,
    key: key as string[],
    target,
    minRows,
    maxDuplicateRows,
    drift,
  };
}

function parseColumn(c: unknown, path: string, v: Checker): ContractColumn | undefined {
  if (!isObject(c)) {
    v.problems.push(`${path}: must be an object`);
    return undefined;
  }
  const name = v.string(c.name, `${path}.name`);
  const type = c.type as ColumnKind;
  if (!KINDS.includes(type)) v.problems.push(`${path}.type: must be one of ${KINDS.join(', ')}, got ${JSON.stringify(c.type)}`);
  const nullable = c.nullable ?? false;
  if (typeof nullable !== 'boolean') v.problems.push(`${path}.nullable: must be true or false`);
  const numeric = type === 'int' || type === 'float';
  const col: { -readonly [K in keyof ContractColumn]: ContractColumn[K] } = { name: name ?? '', type, nullable: nullable === true };
  if (c.maxNullRatio !== undefined) col.maxNullRatio = v.number(c.maxNullRatio, `${path}.maxNullRatio`, { min: 0, max: 1 });
  for (const bound of ['min', 'max'] as const) {
    if (c[bound] === undefined) continue;
    if (!numeric) v.problems.push(`${path}.${bound}: applies only to int and float columns`);
    col[bound] = v.number(c[bound], `${path}.${bound}`);
  }
  if (col.min !== undefined && col.max !== undefined && col.min > col.max) v.problems.push(`${path}: min ${col.min} is above max ${col.max}`);
  if (c.allowed !== undefined) {
    if (!Array.isArray(c.allowed) || c.allowed.length === 0) {
      v.problems.push(`${path}.allowed: must be a non-empty list`);
    } else if (type !== 'string' && type !== 'int') {
      v.problems.push(`${path}.allowed: applies only to string and int columns`);
    } else {
      const allowed = c.allowed.map((x: unknown) => (typeof x === 'number' ? String(x) : x));
      if (!allowed.every((x: unknown) => typeof x === 'string')) v.problems.push(`${path}.allowed: must list strings`);
      else if (type === 'int' && !allowed.every((x: string) => /^[+-]?\d+$/.test(x))) v.problems.push(`${path}.allowed: an int column allows whole numbers only`);
      else col.allowed = allowed;
    }
  }
  if (c.description !== undefined) col.description = v.string(c.description, `${path}.description`);
  return col;
}

class Checker {
  constructor(readonly problems: string[]) {}

  string(x: unknown, path: string): string | undefined {
    if (typeof x === 'string' && x.length > 0) return x;
    this.problems.push(`${path}: must be a non-empty string, got ${JSON.stringify(x)}`);
    return undefined;
  }

  number(x: unknown, path: string, o: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      this.problems.push(`${path}: must be a finite number, got ${JSON.stringify(x)}`);
      return undefined;
    }
    if (o.integer && !Number.isInteger(x)) this.problems.push(`${path}: must be a whole number, got ${x}`);
    if (o.min !== undefined && x < o.min) this.problems.push(`${path}: must be at least ${o.min}, got ${x}`);
    if (o.max !== undefined && x > o.max) this.problems.push(`${path}: must be at most ${o.max}, got ${x}`);
    return x;
  }
}

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
