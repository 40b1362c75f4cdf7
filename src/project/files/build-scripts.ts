import { FileBase, IResolver, typescript } from 'projen';
import { readTemplate } from '../../github/templates';

/** Runs the commands it is given at the same time. */
export const SIDE_BY_SIDE_SCRIPT = 'scripts/side-by-side.mjs';
/** Type-checks and lints on one TypeScript program. */
export const TYPECHECK_AND_LINT_SCRIPT = 'scripts/typecheck-and-lint.mjs';
/** Runs Python with `$PYTHON`, else `python3`. */
export const PYTHON_SCRIPT = 'scripts/python.mjs';

const SETTINGS_LINE = /^const SETTINGS = .*;$/m;

/** A Node script from the package's `templates/scripts/`, managed by projen, its marker first. */
export abstract class ManagedNodeScript extends FileBase {
  constructor(project: typescript.TypeScriptProject, filePath: string) {
    super(project, filePath, { readonly: true });
  }

  protected synthesizeContent(_: IResolver): string | undefined {
    const text = this.render();
    return this.marker ? `// ${this.marker}\n${text}` : text;
  }

  protected abstract render(): string;
}

/** `scripts/side-by-side.mjs` (managed): each argument a shell command, all at once. */
export class SideBySideScript extends ManagedNodeScript {
  constructor(project: typescript.TypeScriptProject) {
    super(project, SIDE_BY_SIDE_SCRIPT);
  }

  protected render(): string {
    return readTemplate('scripts', 'side-by-side.mjs');
  }
}

/** `scripts/python.mjs` (managed): Python with `$PYTHON`, else `python3` (the task shell has no `${VAR:-default}`). */
export class PythonScript extends ManagedNodeScript {
  constructor(project: typescript.TypeScriptProject) {
    super(project, PYTHON_SCRIPT);
  }

  protected render(): string {
    return readTemplate('scripts', 'python.mjs');
  }
}

/**
 * `scripts/typecheck-and-lint.mjs` (managed): the type check of the app, the tests and
 * `.projenrc.ts` (with `projenrc/`), and eslint over the same files, on one TypeScript program.
 * Its settings are read from the project when files are written, so eslint patterns added in
 * `.projenrc.ts` count.
 */
export class TypecheckAndLintScript extends ManagedNodeScript {
  constructor(private readonly tsProject: typescript.TypeScriptProject) {
    super(tsProject, TYPECHECK_AND_LINT_SCRIPT);
  }

  protected render(): string {
    const template = readTemplate('scripts', 'typecheck-and-lint.mjs');
    if (!SETTINGS_LINE.test(template)) {
      throw new Error('templates/scripts/typecheck-and-lint.mjs has no `const SETTINGS = ...;` line to set.');
    }
    const projenrc = this.tsProject.components.find((c): c is typescript.Projenrc => c instanceof typescript.Projenrc);
    const settings = {
      // The dev config last: its options (the tests' types, rootDir of the whole repo) apply to all.
      tsconfigs: [this.tsProject.tsconfig?.fileName, projenrc?.tsconfig.fileName, this.tsProject.tsconfigDev.fileName].filter((f) => f !== undefined),
      lint: this.tsProject.eslint ? eslintTargets(this.tsProject.eslint.eslintTask.steps) : null,
    };
    return template.replace(SETTINGS_LINE, `const SETTINGS = ${JSON.stringify(settings)};`);
  }
}

/** What projen's `eslint` task lints: the paths after its `$@` and the `--ext` extensions. */
export function eslintTargets(steps: ReadonlyArray<{ execArgs?: string[] }>): { patterns: string[]; extensions: string[] } {
  const args = steps.find((s) => s.execArgs?.[0] === 'eslint')?.execArgs;
  const rest = args?.indexOf('$@') ?? -1;
  const ext = args?.indexOf('--ext') ?? -1;
  if (!args || rest < 0 || ext < 0) {
    throw new Error(`The eslint task no longer reads "eslint --ext <exts> ... $@ <paths>" (${JSON.stringify(args)}); ${TYPECHECK_AND_LINT_SCRIPT} cannot tell what to lint.`);
  }
  return { patterns: args.slice(rest + 1), extensions: args[ext + 1].split(',') };
}
