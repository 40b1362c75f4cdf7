import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './support/repo-paths';

/** Every file under a folder, as paths relative to the repository. */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(relative) : [relative];
  });
}

const TESTS = filesUnder('test').filter((f) => f.endsWith('.ts'));

test('every TypeScript file under test/ is a test suite or a helper in test/support/', () => {
  expect(TESTS.filter((f) => !f.endsWith('.test.ts') && !f.startsWith('test/support/'))).toEqual([]);
  expect(TESTS.filter((f) => f.endsWith('.test.ts') && f.startsWith('test/support/'))).toEqual([]);
});

test('construct tests mirror src/constructs, stack tests src/app/stacks', () => {
  const constructAreas = TESTS.filter((f) => f.startsWith('test/constructs/')).map((f) => path.posix.dirname(f).slice('test/'.length));
  expect([...new Set(constructAreas)].filter((dir) => !fs.existsSync(path.join(REPO_ROOT, 'src', dir)))).toEqual([]);
  const stacks = fs.readdirSync(path.join(REPO_ROOT, 'src', 'app', 'stacks')).map((f) => /^([a-z]+)-stack\.ts$/.exec(f)?.[1]).filter((s) => s !== undefined);
  const stackTests = TESTS.filter((f) => f.startsWith('test/app/stacks/'));
  expect(stackTests.length).toBeGreaterThan(0);
  // Each is named for the stack it tests: <name>-stack.test.ts, or <name>-... for more than one.
  expect(stackTests.filter((f) => !stacks.some((s) => path.posix.basename(f).startsWith(`${s}-`)))).toEqual([]);
  expect(TESTS.filter((f) => /-stacks?(-[a-z-]+)?\.test\.ts$/.test(f) && !f.startsWith('test/app/stacks/'))).toEqual([]);
});
