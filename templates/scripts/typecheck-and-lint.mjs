// Type-checks the app, the tests and .projenrc.ts, then lints them with eslint, on one TypeScript
// program. eslint's typed rules need a program of their own otherwise, and building one (parsing
// and binding every declaration file of aws-cdk-lib) is most of the cost of either tool.
//
//   node scripts/typecheck-and-lint.mjs             type check, then lint; fixable problems are fixed
//   node scripts/typecheck-and-lint.mjs --no-lint   type check only
//
// Exits 1 on a type error or an eslint error.
import ts from 'typescript';

// Written by projen from the project: the tsconfig files whose files are checked (the last one's
// compiler options apply to all), and eslint's patterns and extensions (null: no eslint).
const SETTINGS = { tsconfigs: ['tsconfig.json', 'projenrc/tsconfig.json', 'test/tsconfig.json'], lint: { patterns: ['src', 'test', '.projenrc.ts'], extensions: ['.ts', '.tsx'] } };

function typecheck() {
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  };
  const configs = SETTINGS.tsconfigs.map((path) => ts.getParsedCommandLineOfConfigFile(path, {}, host));
  const rootNames = [...new Set(configs.flatMap((c) => c.fileNames))];
  const program = ts.createProgram({ rootNames, options: { ...configs[configs.length - 1].options, noEmit: true } });
  const diagnostics = [...configs.flatMap((c) => c.errors), ...ts.getPreEmitDiagnostics(program)];
  if (diagnostics.length > 0) {
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    console.log(format(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => '\n' }));
  }
  return { program, ok: diagnostics.every((d) => d.category !== ts.DiagnosticCategory.Error) };
}

async function lint(program) {
  // The project's .eslintrc.json, as projen writes it.
  const { loadESLint } = await import('eslint');
  const ESLint = await loadESLint({ useFlatConfig: false });
  const options = { extensions: SETTINGS.lint.extensions, errorOnUnmatchedPattern: false };
  // The shared program stands for the files as they are now, so it cannot follow eslint's fixes:
  // files with fixable problems are linted again, and fixed, on a program of eslint's own.
  const shared = new ESLint({ ...options, overrideConfig: { parserOptions: { programs: [program], projectService: false } } });
  let results = await shared.lintFiles(SETTINGS.lint.patterns);
  const fixable = results.filter((r) => r.fixableErrorCount + r.fixableWarningCount > 0).map((r) => r.filePath);
  if (fixable.length > 0) {
    const fixing = new ESLint({ ...options, fix: true });
    const fixed = await fixing.lintFiles(fixable);
    await ESLint.outputFixes(fixed);
    results = [...results.filter((r) => !fixable.includes(r.filePath)), ...fixed];
  }
  const text = await (await shared.loadFormatter('stylish')).format(results);
  if (text) console.log(text);
  return results.every((r) => r.errorCount === 0);
}

const { program, ok: typesOk } = typecheck();
const lintOk = SETTINGS.lint && !process.argv.includes('--no-lint') ? await lint(program) : true;
process.exit(typesOk && lintOk ? 0 : 1);
