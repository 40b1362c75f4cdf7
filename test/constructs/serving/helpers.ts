import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { AidlcConfig, AidlcConfigOptions, ResolvedConfig } from '../../../src/config';

export const ENV = { account: '111111111111', region: 'us-east-1' };

/** A config as a generated repository resolves it. */
export function testConfig(overrides: Partial<AidlcConfigOptions> = {}): ResolvedConfig {
  return AidlcConfig.resolve({ modelName: 'churn', githubRepository: 'acme/churn', awsRegion: ENV.region, awsAccount: ENV.account, ...overrides });
}

/** An app that synthesizes into a fresh temporary directory. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'aidlc-serving-')), context });
}

/** A stack of the test app in the test account and region. */
export function testStack(app: App, id = 'Under-Test'): Stack {
  return new Stack(app, id, { env: ENV });
}

/** Adds the four compliance packs of the design to the app: synthesis fails on any unacknowledged finding. */
export function withCompliancePacks(app: App): App {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app));
  return app;
}

/** Synthesizes the app and returns the template of a stack. */
export function templateOf(app: App, stack: Stack): Template {
  const assembly = app.synth();
  return Template.fromJSON(assembly.getStackByName(stack.stackName).template);
}

/** The logical ids a value references (Ref, Fn::GetAtt, Fn::Sub placeholders). */
function references(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) {out.add(v);} else if (k === 'Fn::GetAtt' && Array.isArray(v)) {out.add(String(v[0]));} else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        for (const m of String(text).matchAll(/\$\{([^}.!]+)[^}]*\}/g)) if (!m[1].startsWith('AWS::')) out.add(m[1]);
        references(v, out);
      } else {references(v, out);}
    }
  }
  return out;
}

/** Dependency cycles among a template's resources (references and DependsOn), as lists of logical ids. */
export function dependencyCycles(template: { Resources?: Record<string, any>; Parameters?: Record<string, unknown> }): string[][] {
  const resources = template.Resources ?? {};
  const edges = new Map<string, string[]>();
  for (const [id, r] of Object.entries(resources)) {
    const refs = references(r.Properties ?? {}, new Set<string>());
    for (const d of [r.DependsOn ?? []].flat()) refs.add(d);
    edges.set(id, [...refs].filter((x) => x in resources));
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'visiting') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of edges.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
