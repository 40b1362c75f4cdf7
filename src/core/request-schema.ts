import { ColumnType } from './enums';
import { InvalidValuesError } from './problem';
import { ResolvedColumn, ResolvedConfig, ResolvedContract } from './resolved';

/** The JSON Schema dialect API Gateway models are written in. */
export const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/** The property of a request that holds its rows. */
export const INSTANCES_PROPERTY = 'instances';

/**
 * ISO 8601 date, or date and time with an optional fraction and zone: what the data engine reads
 * as a timestamp.
 */
export const TIMESTAMP_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$';

/**
 * The columns the model scores on: every column of the contract but the target, the keys and the
 * timestamps (training drops those too). A request must carry each of them.
 */
export function modelFeatures(contract: ResolvedContract): string[] {
  return contract.columns
    .filter((c) => c.name !== contract.targetColumn && !contract.keyColumns.includes(c.name) && c.type !== ColumnType.TIMESTAMP)
    .map((c) => c.name);
}

/**
 * The columns a request may carry: every column but the target. Keys and timestamps are allowed
 * (the model ignores them, data capture keeps them) but not required.
 */
export function requestColumns(contract: ResolvedContract): ResolvedColumn[] {
  return contract.columns.filter((c) => c.name !== contract.targetColumn);
}

function jsonType(type: ColumnType): string {
  switch (type) {
    case ColumnType.INT: return 'integer';
    case ColumnType.FLOAT: return 'number';
    case ColumnType.BOOL: return 'boolean';
    default: return 'string';
  }
}

/** The schema of one column's value, draft-04: type, bounds, allowed values, and null when the column is nullable. */
export function columnSchema(column: ResolvedColumn): Record<string, unknown> {
  const type = jsonType(column.type);
  const schema: Record<string, unknown> = { type: column.nullable ? [type, 'null'] : type };
  if (column.description) schema.description = column.description;
  if (column.min !== undefined) schema.minimum = column.min;
  if (column.max !== undefined) schema.maximum = column.max;
  if (column.allowedValues) {
    const values: unknown[] = column.type === ColumnType.INT ? column.allowedValues.map(Number) : [...column.allowedValues];
    schema.enum = column.nullable ? [...values, null] : values;
  }
  if (column.type === ColumnType.TIMESTAMP) schema.pattern = TIMESTAMP_PATTERN;
  return schema;
}

/**
 * The request body the inference API accepts, as a JSON Schema draft-04 document (the dialect of
 * API Gateway models): `{"instances": [ {<column>: <value>, ...}, ... ]}` with 1 to
 * `maxBatchSize` rows; each row carries every model feature, with the contract's type, bounds and
 * allowed values, and nothing the contract does not name. The target column is never accepted.
 */
export function requestSchema(contract: ResolvedContract, options: { maxBatchSize: number; title?: string }): Record<string, unknown> {
  if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) {
    throw new InvalidValuesError('requestSchema', [{ path: 'maxBatchSize', value: options.maxBatchSize, message: 'is not a positive whole number', fix: 'give the most rows a request may hold, e.g. 100' }]);
  }
  const properties: Record<string, unknown> = {};
  for (const column of requestColumns(contract)) properties[column.name] = columnSchema(column);
  // Draft-04 wants at least one name in `required`; a contract of keys alone has no feature.
  const features = modelFeatures(contract);
  return {
    $schema: DRAFT_04,
    title: options.title ?? 'Inference request',
    description: `Rows to score, 1 to ${options.maxBatchSize} per request. Every feature column is required; `
      + `${contract.targetColumn} (the label) is not accepted.`,
    type: 'object',
    required: [INSTANCES_PROPERTY],
    additionalProperties: false,
    properties: {
      [INSTANCES_PROPERTY]: {
        type: 'array',
        minItems: 1,
        maxItems: options.maxBatchSize,
        items: {
          type: 'object',
          ...(features.length > 0 ? { required: features } : {}),
          additionalProperties: false,
          properties,
        },
      },
    },
  };
}

/** The request schema of a resolved config: what the API validates and `data/request.schema.json` holds. */
export function requestSchemaOf(config: ResolvedConfig): Record<string, unknown> {
  return requestSchema(config.data.contract, {
    maxBatchSize: config.serving.api.maxBatchSize,
    title: `${config.modelName} inference request`,
  });
}
