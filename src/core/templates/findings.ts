/** One offending spot in a synthesized template. */
export interface TemplateFinding {
  /** Rule id, e.g. `IAM_WILDCARD_ACTION`. */
  readonly rule: string;
  readonly stack: string;
  readonly logicalId: string;
  /** Construct path, when the template records it. */
  readonly path?: string;
  /** Where inside the resource, e.g. `Policies[0].PolicyDocument.Statement[1]`. */
  readonly location: string;
  readonly message: string;
  /** Absolute template path, when read from disk. */
  readonly templatePath?: string;
}

/** Every finding on its own line, grouped by stack, so a failing test names each offender. */
export function formatFindings(findings: readonly TemplateFinding[]): string {
  if (findings.length === 0) return 'no findings';
  const sorted = [...findings].sort((a, b) =>
    a.stack.localeCompare(b.stack) || a.logicalId.localeCompare(b.logicalId) || a.location.localeCompare(b.location));
  const lines = [`${findings.length} finding(s):`];
  for (const f of sorted) {
    lines.push(`  [${f.rule}] ${f.stack}/${f.logicalId}${f.path ? ` (${f.path})` : ''} at ${f.location}: ${f.message}`);
  }
  return lines.join('\n');
}
