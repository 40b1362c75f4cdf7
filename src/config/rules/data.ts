import { Problem } from '../../core/problem';
import { ColumnType, GateEngine } from '../enums';
import { ColumnOptions, DataContractOptions, DataOptions } from '../options';
import { checkEnum, checkNumber, checkString } from './checks';

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const COLUMN_TYPES = Object.values(ColumnType) as string[];
const NUMERIC = [ColumnType.INT, ColumnType.FLOAT] as string[];

function columnRules(c: ColumnOptions, path: string): Problem[] {
  const problems: Problem[] = [];
  problems.push(...checkString(`${path}.name`, c.name, COLUMN_NAME, 'a column name (letters, digits, underscores; not starting with a digit)', 'monthly_charges'));
  if (!COLUMN_TYPES.includes(c.type as string)) {
    problems.push({ path: `${path}.type`, value: c.type, message: 'is not a column type', fix: `use one of ${COLUMN_TYPES.map((t) => `ColumnType.${t.toUpperCase()}`).join(', ')}` });
  }
  const numeric = NUMERIC.includes(c.type as string);
  for (const bound of ['min', 'max'] as const) {
    const v = c[bound];
    if (v === undefined) continue;
    if (!numeric) {
      problems.push({ path: `${path}.${bound}`, value: v, message: `applies only to int and float columns, this one is ${c.type}`, fix: `remove ${bound} or change the type` });
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push({ path: `${path}.${bound}`, value: v, message: 'must be a finite number', fix: 'set a number' });
    }
  }
  if (typeof c.min === 'number' && typeof c.max === 'number' && c.min > c.max) {
    problems.push({ path: `${path}.min`, value: c.min, message: `is above max (${c.max})`, fix: 'swap min and max' });
  }
  if (c.maxNullRatio !== undefined) {
    if (!c.nullable) {
      problems.push({ path: `${path}.maxNullRatio`, value: c.maxNullRatio, message: 'is set on a column that is not nullable', fix: 'set nullable: true or remove maxNullRatio' });
    } else {
      problems.push(...checkNumber(`${path}.maxNullRatio`, c.maxNullRatio, 0, 1));
    }
  }
  if (c.allowedValues !== undefined) {
    if (!Array.isArray(c.allowedValues) || c.allowedValues.length === 0) {
      problems.push({ path: `${path}.allowedValues`, value: c.allowedValues, message: 'must be a non-empty list', fix: 'list the allowed values or remove allowedValues' });
    } else if (c.type === ColumnType.FLOAT || c.type === ColumnType.BOOL || c.type === ColumnType.TIMESTAMP) {
      problems.push({ path: `${path}.allowedValues`, value: c.allowedValues, message: `applies only to string and int columns, this one is ${c.type}`, fix: 'remove allowedValues or use min/max' });
    } else {
      if (c.type === ColumnType.INT) {
        const bad = c.allowedValues.filter((v) => !/^-?\d+$/.test(String(v)));
        if (bad.length) problems.push({ path: `${path}.allowedValues`, value: bad, message: 'holds values that are not whole numbers', fix: 'list whole numbers as strings, e.g. ["0", "1"]' });
      }
      const dupes = c.allowedValues.filter((v, i, all) => all.indexOf(v) !== i);
      if (dupes.length) problems.push({ path: `${path}.allowedValues`, value: dupes, message: 'lists a value twice', fix: 'remove the repeated values' });
    }
  }
  return problems;
}

export function contractRules(contract: DataContractOptions, base: string): Problem[] {
  const problems: Problem[] = [];
  if (!Array.isArray(contract.columns) || contract.columns.length === 0) {
    return [{ path: `${base}.columns`, value: contract.columns, message: 'must list at least one column', fix: 'describe the columns of your dataset in file order' }];
  }
  const seen = new Map<string, number>();
  contract.columns.forEach((c, i) => {
    const path = `${base}.columns[${i}]`;
    problems.push(...columnRules(c, path));
    if (seen.has(c.name)) {
      problems.push({ path: `${path}.name`, value: c.name, message: `duplicates columns[${seen.get(c.name)}]`, fix: 'give every column a unique name' });
    } else {
      seen.set(c.name, i);
    }
  });
  const names = contract.columns.map((c) => c.name);
  const known = `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`;
  if (!names.includes(contract.targetColumn)) {
    problems.push({ path: `${base}.targetColumn`, value: contract.targetColumn, message: 'is not a column of the contract', fix: `use ${known}` });
  }
  (contract.keyColumns ?? []).forEach((k, i) => {
    if (!names.includes(k)) {
      problems.push({ path: `${base}.keyColumns[${i}]`, value: k, message: 'is not a column of the contract', fix: `use ${known}` });
    } else if (k === contract.targetColumn) {
      problems.push({ path: `${base}.keyColumns[${i}]`, value: k, message: 'is the target column', fix: 'keys identify rows; choose another column' });
    }
  });
  problems.push(...checkNumber(`${base}.minRows`, contract.minRows, 1, Number.MAX_SAFE_INTEGER, { integer: true }));
  problems.push(...checkNumber(`${base}.maxDuplicateRows`, contract.maxDuplicateRows, 0, Number.MAX_SAFE_INTEGER, { integer: true }));
  return problems;
}

export function dataRules(d: DataOptions | undefined): Problem[] {
  if (!d) return [];
  const problems: Problem[] = [];
  if (d.contract) problems.push(...contractRules(d.contract, 'data.contract'));
  problems.push(...checkString('data.samplePath', d.samplePath, /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+\.(csv|jsonl|parquet)$/, 'a relative path to a .csv, .jsonl or .parquet file', 'data/sample.csv'));
  problems.push(...checkString('data.s3Prefix', d.s3Prefix, /^[A-Za-z0-9!_.*'()/-]+\/$/, 'an S3 key prefix ending in "/"', 'raw/churn/'));
  problems.push(...checkNumber('data.driftPsiThreshold', d.driftPsiThreshold, 0.01, 10));
  problems.push(...checkNumber('data.driftKsThreshold', d.driftKsThreshold, 0.01, 1));
  problems.push(...checkNumber('data.rawToGlacierDays', d.rawToGlacierDays, 1, 3650, { integer: true }));
  problems.push(...checkNumber('data.validatedRetentionDays', d.validatedRetentionDays, 1, 3650, { integer: true }));
  problems.push(...checkEnum('data.gateEngine', d.gateEngine, Object.values(GateEngine), 'GateEngine'));
  // Athena refuses a per-query limit under 10 MB.
  problems.push(...checkNumber('data.gateScanLimitGb', d.gateScanLimitGb, 0.01, 1024 * 1024));
  problems.push(...checkNumber('data.gateAthenaThresholdGb', d.gateAthenaThresholdGb, 0.001, 1024 * 1024));
  if (d.gateEngine === GateEngine.STREAMING && d.gateAthenaThresholdGb !== undefined) {
    problems.push({
      path: 'data.gateAthenaThresholdGb',
      value: d.gateAthenaThresholdGb,
      message: 'only applies with GateEngine.AUTO, but data.gateEngine is STREAMING',
      fix: 'set data.gateEngine to GateEngine.AUTO or remove gateAthenaThresholdGb',
    });
  }
  return problems;
}

