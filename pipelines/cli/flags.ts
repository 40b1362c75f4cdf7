import { UsageError } from './command';

/** Kinds of flag: a value, a switch, or a value that may repeat. */
export type FlagKind = 'string' | 'boolean' | 'list';

/** The flags a command takes, by name (without the leading `--`). */
export interface FlagSpec {
  readonly [name: string]: FlagKind;
}

/** What else a command line may hold besides flags. */
export interface ArgumentSpec {
  /** Words that are not flags (`aidlc lineage <arn>`): how many, at most. @default 0 */
  readonly positionals?: number;
}

const HELP = 'run the command with --help for what it takes';

/**
 * The command line of an `aidlc` command: `--name value`, `--name=value`, `--switch`, repeated
 * `--list a --list b`, and as many words as the command takes. Anything else is a usage error
 * that names the flag, what was given and the fix.
 */
export class Flags {
  /** Parses argv against the known flags. */
  public static parse(argv: string[], spec: FlagSpec, args: ArgumentSpec = {}): Flags {
    const values = new Map<string, string[]>();
    const positionals: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith('--')) {
        if (positionals.length >= (args.positionals ?? 0)) {
          throw new UsageError({ path: 'argument', value: arg, message: 'is not a flag, and the command takes no more words', fix: `remove it, or write it as the value of a flag; ${HELP}` });
        }
        positionals.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const kind = spec[name];
      if (!kind) throw new UsageError({ path: `--${name}`, value: eq === -1 ? undefined : arg.slice(eq + 1), message: 'is not a flag of this command', fix: HELP });
      let value: string;
      if (kind === 'boolean') {
        if (eq !== -1) throw new UsageError({ path: `--${name}`, value: arg.slice(eq + 1), message: 'is a switch and takes no value', fix: `write --${name} alone` });
        value = 'true';
      } else if (eq !== -1) {
        value = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--')) throw new UsageError({ path: `--${name}`, message: 'needs a value', fix: `write --${name} VALUE` });
        value = next;
        i++;
      }
      const earlier = values.get(name);
      if (kind !== 'list' && earlier) {
        throw new UsageError({ path: `--${name}`, value, message: `is given twice (first ${JSON.stringify(earlier[0])})`, fix: 'give it once' });
      }
      values.set(name, [...(earlier ?? []), value]);
    }
    return new Flags(values, positionals);
  }

  private constructor(private readonly values: Map<string, string[]>, public readonly positionals: readonly string[]) {}

  public string(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  public required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw new UsageError({ path: `--${name}`, value, message: 'is required', fix: `pass --${name} VALUE; ${HELP}` });
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
    if (!Number.isInteger(n) || n < min) {
      throw new UsageError({ path: `--${name}`, value: text, message: `must be a whole number of at least ${min}`, fix: `pass a whole number, e.g. --${name} ${Math.max(fallback, min)}` });
    }
    return n;
  }

  /** `NAME=VALUE` pairs of a list flag. */
  public pairs(name: string): { name: string; value: string }[] {
    return this.list(name).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError({ path: `--${name}`, value: pair, message: 'is not NAME=VALUE', fix: `write --${name} NAME=VALUE` });
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
  }
}
