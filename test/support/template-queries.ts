import { Template } from 'aws-cdk-lib/assertions';

/** Resources of the training pipeline itself, not of its signing step (which has a role and policy of its own). */
export const PIPELINE_OWN = (logicalId: string): boolean => !logicalId.includes('Signer');

/** The one resource of a type in a template (among those `keep` accepts), with its logical id. */
export function only(
  template: Template, type: string, keep: (logicalId: string) => boolean = () => true,
): { id: string; properties: any; dependsOn: string[] } {
  const found = Object.entries(template.findResources(type)).filter(([id]) => keep(id));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0] as [string, any];
  return { id, properties: resource.Properties, dependsOn: [resource.DependsOn ?? []].flat() };
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
