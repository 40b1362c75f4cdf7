#!/usr/bin/env node
// Converts the benchmark's neutral contract.json (../shared/bench/README.md) into this engine's
// contract (pipelines/engine/contract.ts) and its drift section into a baseline profile
// (pipelines/engine/profile.ts).
//
//   node bench/neutral-contract.mjs NEUTRAL.json OUT-CONTRACT.json OUT-BASELINE.json
//
// The neutral drift baseline gives bin edges and proportions; the baseline profile keeps the
// proportions as bin weights (drift normalises by their sum). KS is informational in the neutral
// semantics, so its threshold is 1 (never exceeded).
import fs from 'node:fs';

const [src, outContract, outBaseline] = process.argv.slice(2);
if (!src || !outContract || !outBaseline) {
  process.stderr.write('usage: node neutral-contract.mjs NEUTRAL.json OUT-CONTRACT.json OUT-BASELINE.json\n');
  process.exit(2);
}
const n = JSON.parse(fs.readFileSync(src, 'utf8'));
const TYPES = { int64: 'int', float64: 'float', string: 'string', timestamp: 'timestamp' };
const columns = n.columns.map((c) => {
  if (!TYPES[c.type]) throw new Error(`column ${c.name}: no engine type for ${c.type}`);
  return {
    name: c.name,
    type: TYPES[c.type],
    nullable: Boolean(c.nullable),
    ...(c.max_null_ratio !== undefined ? { maxNullRatio: c.max_null_ratio } : {}),
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
    ...(c.allowed ? { allowed: c.allowed.map(String) } : {}),
  };
});
const f = n.format ?? {};
const drift = n.drift ?? {};
const contract = {
  version: 1,
  dataset: n.name ?? 'bench',
  format: { type: f.type ?? 'csv', delimiter: f.delimiter ?? ',', header: f.header ?? true, nullValues: f.null_values ?? [''] },
  columns,
  key: n.primary_key ?? [],
  target: columns[columns.length - 1].name,
  minRows: n.min_rows ?? 0,
  maxDuplicateRows: n.max_duplicate_rows ?? 0,
  drift: { psiThreshold: drift.threshold ?? 0.2, ksThreshold: 1, bins: 10, epsilon: drift.epsilon ?? 1e-4 },
};

const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
const baselineColumns = {};
for (const [name, d] of Object.entries(drift.columns ?? {})) {
  const base = { type: byName[name].type, count: drift.baseline_rows ?? 0, nulls: 0, invalid: 0, distinct: 0, distinctExact: false };
  if (d.kind === 'numeric') {
    baselineColumns[name] = { ...base, bins: { edges: d.edges, counts: d.proportions } };
  } else {
    baselineColumns[name] = { ...base, distinct: Object.keys(d.proportions).length, distinctExact: true, categories: { values: d.proportions, other: 0, complete: true } };
  }
}
const baseline = {
  format: 'aidlc-profile',
  version: 1,
  dataset: contract.dataset,
  rows: drift.baseline_rows ?? 0,
  malformedRows: 0,
  duplicateRows: 0,
  duplicateKeys: 0,
  key: contract.key,
  columns: baselineColumns,
};
fs.writeFileSync(outContract, JSON.stringify(contract, null, 2) + '\n');
fs.writeFileSync(outBaseline, JSON.stringify(baseline, null, 2) + '\n');
