import { ResolvedConfig } from './resolved';

/**
 * `data/contract.json`: the data contract in the data engine's own format (pipelines/engine
 * reads it; see its `contract.ts`). Managed from the config so the gate, the monitor and the
 * Glue table never disagree.
 */
export function contractFile(config: ResolvedConfig): Record<string, unknown> {
  const c = config.data.contract;
  return {
    version: 1,
    dataset: config.modelName,
    format: { type: 'csv', delimiter: ',', header: true, nullValues: [''] },
    columns: c.columns.map((col) => ({
      name: col.name,
      type: col.type,
      nullable: col.nullable,
      ...(col.nullable ? { maxNullRatio: col.maxNullRatio } : {}),
      ...(col.min !== undefined ? { min: col.min } : {}),
      ...(col.max !== undefined ? { max: col.max } : {}),
      ...(col.allowedValues ? { allowed: col.allowedValues } : {}),
    })),
    key: c.keyColumns,
    target: c.targetColumn,
    minRows: c.minRows,
    maxDuplicateRows: c.maxDuplicateRows,
    drift: {
      psiThreshold: config.data.driftPsiThreshold,
      ksThreshold: config.data.driftKsThreshold,
      bins: 10,
      epsilon: 0.0001,
    },
  };
}
