import { Component, FileBase, IResolver, Project, SampleFile } from 'projen';
import { ResolvedConfig } from '../config';
import { readTemplate } from './templates';

/** Where the generated repository keeps the wrapper. */
export const TRIVY_SCRIPT = 'scripts/trivy.sh';

/** The ignore file the wrapper passes to trivy. */
export const TRIVY_IGNORE = '.trivyignore';

const THRESHOLD_LINE = /^FAIL_ON_SEVERITY=[A-Z]+$/m;

/**
 * The wrapper script with the config's failing severity, from the package's
 * `templates/scripts/trivy.sh`.
 */
export function renderTrivyScript(config: ResolvedConfig): string {
  const template = readTemplate('scripts', 'trivy.sh');
  if (!THRESHOLD_LINE.test(template)) {
    throw new Error('templates/scripts/trivy.sh has no FAIL_ON_SEVERITY=<SEVERITY> line to set.');
  }
  return template.replace(THRESHOLD_LINE, `FAIL_ON_SEVERITY=${config.security.failOnSeverity}`);
}

/** An executable shell script, managed by projen, its marker right after the shebang. */
class ManagedScript extends FileBase {
  constructor(project: Project, filePath: string, private readonly text: string) {
    super(project, filePath, { executable: true, readonly: true });
  }

  protected synthesizeContent(_: IResolver): string | undefined {
    if (!this.marker) return this.text;
    const [shebang, ...rest] = this.text.split('\n');
    return [shebang, `# ${this.marker}`, ...rest].join('\n');
  }
}

const TRIVYIGNORE_TEXT = [
  '# Findings trivy leaves out of scripts/trivy.sh reports (fs, config and image scans).',
  '# One ID a line: a vulnerability (CVE-2026-12345), a misconfiguration check (AVD-AWS-0086),',
  '# or a secret rule (aws-access-key-id). Say why on the line above, and give each an end date:',
  '#',
  '#   # Only reachable from the build, never at run time; fix expected in the next release.',
  '#   CVE-2026-12345 exp:2027-01-31',
  '#',
  '# After the date trivy reports the finding again. This file is yours: projen writes it once.',
  '',
].join('\n');

/**
 * `scripts/trivy.sh` (managed, executable) and `.trivyignore` (written once, user-owned).
 */
export class TrivyScript extends Component {
  constructor(project: Project, config: ResolvedConfig) {
    super(project, 'TrivyScript');
    new ManagedScript(project, TRIVY_SCRIPT, renderTrivyScript(config));
    new SampleFile(project, TRIVY_IGNORE, { contents: TRIVYIGNORE_TEXT });
    project.gitignore.exclude('/trivy-results/');
  }
}
