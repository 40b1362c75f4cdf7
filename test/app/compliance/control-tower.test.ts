import { readFileSync, readdirSync, statSync } from 'fs';
import { dirname, join } from 'path';
import { APP_WIDE_DISABLED_CONTROLS, controlTowerValidator } from '../../../src/app/compliance/control-tower';

const RULES_DIR = join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

function guardFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? guardFiles(p) : [p];
  });
}

describe('the app-wide disabled Control Tower controls', () => {
  const files = guardFiles(RULES_DIR);

  test.each(APP_WIDE_DISABLED_CONTROLS.map((c) => [c.control, c]))('%s names a bundled rule file, its rule and its control id', (_id, control) => {
    const file = files.find((f) => f.endsWith(`/${control.file}.guard`));
    expect(file).toBeDefined();
    const text = readFileSync(file!, 'utf8');
    expect(text).toContain(`rule ${control.rule} when`);
    expect(text).toContain(`[${control.control}]:`);
    expect(control.reason.length).toBeGreaterThan(80);
  });

  test('lists each control once', () => {
    const ids = APP_WIDE_DISABLED_CONTROLS.map((c) => c.control);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the validator evaluates every bundled control except the disabled ones', () => {
    const validator = controlTowerValidator();
    const ruleIds = new Set(validator.ruleIds);
    expect(ruleIds.size).toBe(files.length - APP_WIDE_DISABLED_CONTROLS.length);
    for (const c of APP_WIDE_DISABLED_CONTROLS) {
      expect(ruleIds.has(c.file.replace('ct-', '').replace(/-/g, ''))).toBe(false);
    }
    expect(ruleIds.has('s3pr1')).toBe(true);
  });
});
