import { UsageError } from './command';

/** Kinds of flag: a value, a switch, or a value that may repeat. */
export type FlagKind = 'string' | 'boolean' | 'list';

/** Parsed flags: `--name value`, `--name=value`, `--switch`, repeated `--list a --list b`. */
export class Flags {
  /** Parses argv against the known flags; anything else is a usage error. */
  public static parse(argv: string[], spec: { readonly [name: string]: FlagKind }): Flags {
    const values = new Map<string, string[]>();
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const kind = spec[name];
      if (!kind) throw new UsageError(`unknown option --${name}`);
      let value: string;
      if (kind === 'boolean') {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        value = 'true';
      } else if (eq !== -1) {
        value = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        value = next;
        i++;
      }
      if (kind !== 'list' && values.has(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, [...(values.get(name) ?? []), value]);
    }
    return new Flags(values);
  }

  private constructor(private readonly values: Map<string, string[]>) {}

  public string(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  public required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
    return value;
  }

  public boolean(name: string): boolean {
    return this.values.has(name);
  }

  public list(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  /** A whole number of at least `min`, or the default. */
  public number(name: string, fallback: number, min = 0): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${text}"`);
    return n;
  }

  /** `NAME=VALUE` pairs of a list flag. */
  public pairs(name: string): { name: string; value: string }[] {
    return this.list(name).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--${name} takes NAME=VALUE, got "${pair}"`);
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
  }
}
