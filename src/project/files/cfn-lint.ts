import { FileBase, IResolver, typescript } from 'projen';
import { ManagedNodeScript } from './build-scripts';
import { ResolvedConfig } from '../../config';
import { readTemplate } from '../../github/templates';

/** Lints `cdk.out` with cfn-lint, or says that cfn-lint is not installed. */
export const CFN_LINT_SCRIPT = 'scripts/cfn-lint.mjs';
/** cfn-lint's settings; cfn-lint also reads it when run by hand in the repository root. */
export const CFN_LINT_CONFIG = '.cfnlintrc.yaml';

/** A cfn-lint rule the generated templates are exempt from, and why. */
export interface CfnLintSuppression {
  readonly rule: string;
  readonly reason: string;
}

/**
 * The rules set aside for every generated template. Only warnings may be: an error is fixed where
 * it arises.
 */
export const CFN_LINT_SUPPRESSIONS: ReadonlyArray<CfnLintSuppression> = [
  {
    rule: 'W3005',
    reason: 'CDK makes a Lambda function, a CodePipeline, a CloudTrail trail or a SageMaker model depend on its IAM role, '
      + 'log bucket and their policies, so that the policies exist before the resource first acts. The entry for the role '
      + 'or bucket itself repeats the order its Ref or GetAtt already gives: redundant, and harmless.',
  },
];

const SETTINGS_LINE = /^const SETTINGS = .*;$/m;

/** The text of `.cfnlintrc.yaml` for a config: the templates, the config's region, the suppressions with their reasons. */
export function renderCfnLintConfig(config: ResolvedConfig, cdkOut = 'cdk.out'): string {
  const lines = [
    '# cfn-lint settings for the templates "cdk synth" writes; "npx projen lint:cfn" (part of the build) applies them.',
    'templates:',
    `  - ${cdkOut}/*.template.json`,
    'regions:',
    `  - ${config.aws.region}`,
    'ignore_checks:',
  ];
  for (const s of CFN_LINT_SUPPRESSIONS) {
    if (!/^W\d+$/.test(s.rule)) throw new Error(`cfn-lint rule ${s.rule} is not a warning: errors are fixed, never suppressed`);
    lines.push(...wrap(`${s.rule}: ${s.reason}`, 96).map((l) => `  # ${l}`), `  - ${s.rule}`);
  }
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return line ? [...out, line] : out;
}

/** `.cfnlintrc.yaml` (managed). */
export class CfnLintConfig extends FileBase {
  constructor(project: typescript.TypeScriptProject, private readonly config: ResolvedConfig, private readonly cdkOut: string) {
    super(project, CFN_LINT_CONFIG, { readonly: true });
  }

  protected synthesizeContent(_: IResolver): string | undefined {
    const text = renderCfnLintConfig(this.config, this.cdkOut);
    return this.marker ? `# ${this.marker}\n${text}` : text;
  }
}

/** `scripts/cfn-lint.mjs` (managed), reading the project's cloud assembly folder and `.cfnlintrc.yaml`. */
export class CfnLintScript extends ManagedNodeScript {
  constructor(project: typescript.TypeScriptProject, private readonly cdkOut: string) {
    super(project, CFN_LINT_SCRIPT);
  }

  protected render(): string {
    const template = readTemplate('scripts', 'cfn-lint.mjs');
    if (!SETTINGS_LINE.test(template)) throw new Error('templates/scripts/cfn-lint.mjs has no `const SETTINGS = ...;` line to set.');
    return template.replace(SETTINGS_LINE, `const SETTINGS = ${JSON.stringify({ cdkOut: this.cdkOut, config: CFN_LINT_CONFIG })};`);
  }
}
