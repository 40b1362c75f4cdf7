import { Instance } from './rows';
import { ResolvedColumn, ResolvedContract } from '../../../src/config/resolved';
import { ColumnType } from '../../../src/core/enums';
import { INSTANCES_PROPERTY, modelFeatures } from '../../../src/core/request-schema';

/** One request of the smoke test and the answer it must get. */
export interface SmokeCase {
  readonly name: string;
  readonly payload: unknown;
  /** 200 for rows of the sample, 400 for requests the schema forbids. */
  readonly expectStatus: 200 | 400;
  /** A field the 400 answer must name (API Gateway names missing and unexpected properties). */
  readonly mentions?: string;
  /** For a 200: how many predictions the answer should hold. */
  readonly rows?: number;
}

/** A column name no contract has (columns are letters, digits and underscores). */
export const UNKNOWN_COLUMN = 'not_a_contract_column';

function withValue(instance: Instance, column: string, value: unknown): Instance {
  return { ...instance, [column]: value };
}

function without(instance: Instance, column: string): Instance {
  const out = { ...instance };
  delete out[column];
  return out;
}

function body(instances: unknown[]): unknown {
  return { [INSTANCES_PROPERTY]: instances };
}

function feature(contract: ResolvedContract, test: (c: ResolvedColumn) => boolean): ResolvedColumn | undefined {
  const features = new Set(modelFeatures(contract));
  return contract.columns.find((c) => features.has(c.name) && test(c));
}

const isNumeric = (c: ResolvedColumn) => c.type === ColumnType.INT || c.type === ColumnType.FLOAT;

/**
 * The smoke test's requests, derived from the contract: the sample rows (must be scored), and one
 * request per rule of the request schema, each breaking only that rule in an otherwise valid row
 * (must be rejected with 400 before the model sees it). Rules the contract does not use (no
 * bounds, no allowed values) have no case.
 */
export function smokeCases(contract: ResolvedContract, valid: Instance[], maxBatchSize: number): SmokeCase[] {
  if (valid.length === 0) throw new Error('the smoke test needs at least one valid row');
  const row = valid[0];
  const cases: SmokeCase[] = [{ name: `${valid.length} row(s) of the sample`, payload: body(valid), expectStatus: 200, rows: valid.length }];
  const bad = (name: string, payload: unknown, mentions?: string) =>
    cases.push({ name, payload, expectStatus: 400, ...(mentions ? { mentions } : {}) });

  const [first] = modelFeatures(contract);
  if (first) bad(`missing feature "${first}"`, body([without(row, first)]), first);
  bad(`unknown column "${UNKNOWN_COLUMN}"`, body([withValue(row, UNKNOWN_COLUMN, 1)]), UNKNOWN_COLUMN);
  bad(`the target column "${contract.targetColumn}"`, body([withValue(row, contract.targetColumn, row[contract.targetColumn] ?? 1)]), contract.targetColumn);

  const numeric = feature(contract, isNumeric);
  if (numeric) bad(`text in number column "${numeric.name}"`, body([withValue(row, numeric.name, 'not-a-number')]));
  const bounded = feature(contract, (c) => isNumeric(c) && c.max !== undefined);
  if (bounded) bad(`"${bounded.name}" above its maximum ${bounded.max}`, body([withValue(row, bounded.name, bounded.max! + 1)]));
  const floored = feature(contract, (c) => isNumeric(c) && c.min !== undefined);
  if (floored) bad(`"${floored.name}" below its minimum ${floored.min}`, body([withValue(row, floored.name, floored.min! - 1)]));
  const categorical = feature(contract, (c) => c.allowedValues !== undefined);
  if (categorical) {
    const value = categorical.type === ColumnType.INT ? Math.max(...categorical.allowedValues!.map(Number)) + 1 : '__not_an_allowed_value__';
    bad(`"${categorical.name}" outside its allowed values`, body([withValue(row, categorical.name, value)]));
  }
  const required = feature(contract, (c) => !c.nullable);
  if (required) bad(`null in non-nullable "${required.name}"`, body([withValue(row, required.name, null)]));
  bad(`${maxBatchSize + 1} rows, one above maxBatchSize`, body(Array.from({ length: maxBatchSize + 1 }, () => row)));
  bad('no rows', body([]));
  bad('rows without the "instances" wrapper', [row]);
  return cases;
}
