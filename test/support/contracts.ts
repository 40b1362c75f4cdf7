import { Contract, parseContract } from '../../pipelines/engine';

/** A minimal contract document, as data/contract.json holds it. */
export const CONTRACT = {
  version: 1,
  dataset: 'churn-model',
  format: { type: 'csv', delimiter: ',', header: true, nullValues: [''] },
  columns: [
    { name: 'customer_id', type: 'int', nullable: false },
    { name: 'signup_date', type: 'timestamp', nullable: false },
    { name: 'monthly_charges', type: 'float', nullable: false, min: 0 },
    { name: 'contract', type: 'string', nullable: false, allowed: ['a', 'b'], description: 'Contract term' },
    { name: 'is_senior', type: 'bool', nullable: false },
    { name: 'Churned', type: 'int', nullable: false, allowed: ['0', '1'] },
  ],
  key: ['customer_id'],
  target: 'Churned',
  minRows: 10,
  maxDuplicateRows: 0,
  drift: { psiThreshold: 0.2, ksThreshold: 0.1, bins: 10, epsilon: 0.0001 },
};

/** A small contract over the given columns (defaults for the rest). */
export function contract(columns: unknown[], extra: Record<string, unknown> = {}): Contract {
  return parseContract({
    version: 1,
    dataset: 'test',
    format: { type: 'csv', delimiter: ',', header: true, nullValues: [''] },
    columns,
    key: [],
    target: (columns[columns.length - 1] as { name: string }).name,
    minRows: 1,
    maxDuplicateRows: 0,
    drift: { psiThreshold: 0.2, ksThreshold: 0.1, bins: 10, epsilon: 0.0001 },
    ...extra,
  });
}
