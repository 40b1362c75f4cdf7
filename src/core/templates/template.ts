import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

/**
 * A plain reader of synthesized CloudFormation templates. No CDK import: the `aidlc` CLI bundles
 * this file to read `cdk.out` in a generated repository.
 */

/** One resource of a synthesized template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** A synthesized template (the parts the checks read). */
export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResourceJson>;
}

/** One stack of a cloud assembly. */
export interface StackTemplate {
  /** The stack name (`churn-data`). */
  readonly stackName: string;
  readonly template: CfnTemplateJson;
  /** Absolute path of the template file, when read from disk. */
  readonly templatePath?: string;
}

/** A resource with where it lives. */
export interface LocatedResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** The construct path (`aws:cdk:path` metadata), when the template has it. */
  readonly path?: string;
  readonly properties: Record<string, unknown>;
  readonly resource: CfnResourceJson;
  readonly templatePath?: string;
}

/** Every resource of the stacks, optionally of the given types only. */
export function resourcesOf(stacks: readonly StackTemplate[], ...types: string[]): LocatedResource[] {
  const out: LocatedResource[] = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (types.length > 0 && !types.includes(resource.Type)) continue;
      const path = resource.Metadata?.['aws:cdk:path'];
      out.push({
        stack: stack.stackName,
        logicalId,
        type: resource.Type,
        path: typeof path === 'string' ? path : undefined,
        properties: resource.Properties ?? {},
        resource,
        templatePath: stack.templatePath,
      });
    }
  }
  return out;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string; readonly stackName?: string };
}

/**
 * Reads every stack template of a cloud assembly directory (`cdk.out`), nested stage assemblies
 * included. Uses `manifest.json` for stack names; without one, every `*.template.json`.
 */
export function readCloudAssembly(dir: string): StackTemplate[] {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .sort()
      .map((f) => readStack(dir, f, f.replace(/\.template\.json$/, '')));
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const stacks: StackTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      stacks.push(readStack(dir, artifact.properties.templateFile, artifact.properties.stackName ?? artifact.displayName ?? id));
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readCloudAssembly(join(dir, artifact.properties.directoryName)));
    }
  }
  return stacks.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

function readStack(dir: string, file: string, stackName: string): StackTemplate {
  const templatePath = join(dir, file);
  return { stackName, templatePath, template: JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplateJson };
}

/**
 * A template value as a string: literals as they are, references and other intrinsics as
 * `${...}` placeholders (`Fn::Join` and `Fn::Sub` are flattened). Undefined for objects and
 * arrays that are not intrinsics.
 */
export function renderValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  const arg = value[key];
  switch (key) {
    case 'Ref':
      return `\${${String(arg)}}`;
    case 'Fn::GetAtt':
      return `\${${Array.isArray(arg) ? arg.join('.') : String(arg)}}`;
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2 || !Array.isArray(arg[1])) return undefined;
      return (arg[1] as unknown[]).map((part) => renderValue(part) ?? '${?}').join(String(arg[0]));
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return arg;
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
      const vars = isRecord(arg[1]) ? arg[1] : {};
      return arg[0].replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
        const bound = renderValue(vars[name]);
        return bound ?? whole;
      });
    }
    case 'Fn::ImportValue':
      return `\${Import:${renderValue(arg) ?? '?'}}`;
    default:
      return key.startsWith('Fn::') || key === 'Condition' ? `\${${key}}` : undefined;
  }
}

/** Whether a value is a CloudFormation intrinsic (`{ Ref }`, `{ Fn::... }`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** Whether a value is a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that may be one item or a list, as a list. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads a nested property by a dotted path (`a.b.c`); undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[step];
  }
  return current;
}

/**
 * Parses JSON embedded in a template value (a string or an `Fn::Join` of literal JSON and
 * references, as CDK writes a SageMaker pipeline definition or a schedule input). References
 * become `${...}` placeholder strings. Undefined when the result is not valid JSON.
 */
export function parseEmbeddedJson(value: unknown): unknown {
  const text = renderValue(value);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
