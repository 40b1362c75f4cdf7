#!/usr/bin/env node
// Turns a gate report (pipelines/engine/report.ts) into the benchmark harness's result JSON
// (../shared/bench/README.md, "Result JSON") and prints it on one line.
//
//   node bench/result-json.mjs REPORT.json NEUTRAL-CONTRACT.json
import fs from 'node:fs';

const [reportPath, neutralPath] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const neutral = JSON.parse(fs.readFileSync(neutralPath, 'utf8'));
if (report.verdict === 'error') {
  process.stdout.write(JSON.stringify({ engine: 'aidlc', error: report.error.message, verdict: 'fail', violations: ['schema:types'] }) + '\n');
  process.exit(0);
}
const p = report.profile;
const topK = neutral.profile?.top_k ?? 10;
const drift = report.drift ?? { columns: {}, drifted: [] };
const nulls = {};
const outOfRange = {};
const unknown = {};
const columns = {};
for (const c of neutral.columns) {
  const col = p.columns[c.name];
  nulls[c.name] = col.nulls;
  if (c.min !== undefined && c.max !== undefined) outOfRange[c.name] = col.outOfRange;
  const out = { nulls: col.nulls };
  if (c.type === 'timestamp') {
    out.min = col.earliest ?? null;
    out.max = col.latest ?? null;
  } else if (c.type === 'int64' || c.type === 'float64') {
    out.min = col.min ?? null;
    out.max = col.max ?? null;
    out.mean = col.mean ?? null;
  }
  if (c.allowed) {
    unknown[c.name] = col.notAllowed;
    const entries = Object.entries(col.categories.values);
    out.distinct = entries.length;
    out.top = entries.slice(0, topK);
  }
  const d = drift.columns[c.name];
  if (d && d.kind === 'numeric') out.hist = { edges: col.reference.edges, counts: col.reference.counts };
  if (d) out.psi = d.psi;
  columns[c.name] = out;
}
process.stdout.write(JSON.stringify({
  engine: 'aidlc',
  counts: {
    rows: p.rows,
    duplicate_rows: p.duplicateRows,
    duplicate_keys: p.duplicateKeys,
    nulls,
    out_of_range: outOfRange,
    unknown_category: unknown,
    drifted: drift.drifted,
  },
  verdict: report.verdict,
  violations: report.violations.map((v) => v.id).sort(),
  profile: { rows: p.rows, columns },
  seconds: { total: report.seconds },
}) + '\n');
