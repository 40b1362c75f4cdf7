import { fmt } from './checks';
import { Example } from './examples';
import { GateReport } from './report';
import { formatBytes } from './sql/cost';

/**
 * The report as GitHub-flavoured Markdown for a job summary (`$GITHUB_STEP_SUMMARY`): verdict,
 * counts, each violation with its first examples, drift scores and a per-column overview.
 */
export function renderMarkdown(report: GateReport): string {
  const icon = report.verdict === 'pass' ? '✅' : report.verdict === 'fail' ? '❌' : '⚠️';
  const out: string[] = [];
  out.push(`## ${icon} Data gate: ${report.verdict} · ${esc(report.dataset)}`);
  out.push('');
  out.push(`Source \`${code(report.source)}\` · ${fmt(report.rows)} rows · checked in ${report.seconds.toFixed(2)} s`);
  out.push('');
  if (report.cost) {
    const c = report.cost;
    out.push(`Checked on Athena: ${formatBytes(c.bytesScanned)} scanned in ${c.queries.length} quer${c.queries.length === 1 ? 'y' : 'ies'}, about $${c.estimatedUsd.toFixed(4)} at $${c.usdPerTb} per TB`);
    out.push('');
  }
  if (report.error) {
    out.push(`**The data could not be read:** ${esc(report.error.message)}`);
    out.push('');
    return out.join('\n');
  }
  const p = report.profile;
  if (p) {
    out.push(`Duplicate rows: ${fmt(p.duplicateRows)}${p.key.length ? ` · duplicate keys (${p.key.map(esc).join(', ')}): ${fmt(p.duplicateKeys)}` : ''}${p.malformedRows ? ` · malformed rows: ${fmt(p.malformedRows)}` : ''}`);
    out.push('');
  }
  if (report.violations.length === 0) {
    out.push('No violations of the data contract.');
    out.push('');
  } else {
    out.push(`### Violations (${report.violations.length})`);
    out.push('');
    out.push('| check | count | what |');
    out.push('|---|---:|---|');
    for (const v of report.violations) out.push(`| \`${code(v.id)}\` | ${fmt(v.count)} | ${esc(v.message)} |`);
    out.push('');
    for (const v of report.violations) {
      if (v.examples.length === 0) continue;
      out.push(`<details><summary><code>${html(v.id)}</code>: first ${v.examples.length} example${v.examples.length === 1 ? '' : 's'}</summary>`);
      out.push('');
      out.push('| row | line | column | value | problem |');
      out.push('|---:|---:|---|---|---|');
      for (const e of v.examples) out.push(exampleRow(e));
      out.push('');
      out.push('</details>');
      out.push('');
    }
  }
  const d = report.drift;
  if (d && Object.keys(d.columns).length > 0) {
    out.push(`### Drift against the baseline (PSI > ${d.thresholds.psiThreshold} or KS > ${d.thresholds.ksThreshold})`);
    out.push('');
    out.push('| column | kind | PSI | KS | drifted |');
    out.push('|---|---|---:|---:|---|');
    for (const [name, c] of Object.entries(d.columns)) {
      out.push(`| ${esc(name)} | ${c.kind} | ${c.psi.toFixed(4)} | ${c.ks === undefined ? '' : c.ks.toFixed(4)} | ${c.drifted ? '**yes**' : 'no'} |`);
    }
    out.push('');
    const skipped = Object.entries(d.skipped);
    if (skipped.length) {
      out.push(`Not scored: ${skipped.map(([n, why]) => `${esc(n)} (${esc(why)})`).join('; ')}`);
      out.push('');
    }
  }
  if (p) {
    out.push('<details><summary>Column profile</summary>');
    out.push('');
    out.push('| column | type | nulls | invalid | distinct | min | max | mean |');
    out.push('|---|---|---:|---:|---:|---|---|---:|');
    for (const [name, c] of Object.entries(p.columns)) {
      const min = c.min ?? c.earliest ?? '';
      const max = c.max ?? c.latest ?? '';
      out.push(`| ${esc(name)} | ${c.type} | ${fmt(c.nulls)} | ${fmt(c.invalid)} | ${c.distinctExact ? '' : '~'}${fmt(c.distinct)} | ${esc(String(min))} | ${esc(String(max))} | ${c.mean === undefined ? '' : round(c.mean)} |`);
    }
    out.push('');
    out.push('</details>');
    out.push('');
  }
  return out.join('\n');
}

function exampleRow(e: Example): string {
  return `| ${e.row ?? ''} | ${e.line ?? ''} | ${esc(e.column ?? '')} | ${e.value === undefined ? '' : `\`${code(e.value)}\``} | ${esc(e.message)} |`;
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

/** Escapes text for a Markdown table cell. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** Text inside backticks: no backticks or pipes to break the cell. */
function code(s: string): string {
  return s.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
