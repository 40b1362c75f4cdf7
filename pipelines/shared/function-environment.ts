import { InvalidValuesError } from '../../src/core/problem';

/**
 * A Lambda function's settings, read from the environment its construct sets. A variable that is
 * missing or unusable means the function was deployed some other way, or edited since: the error
 * names the variable, its value and the construct that sets it.
 */
export class FunctionEnvironment {
  /**
   * @param env the process environment
   * @param construct the construct that deploys the function and sets its variables
   */
  constructor(private readonly env: Record<string, string | undefined>, private readonly construct: string) {}

  /** A variable that must be set and not empty. */
  public text(name: string): string {
    const value = this.env[name];
    if (!value) throw this.invalid(name, 'is not set');
    return value;
  }

  /** A variable that must hold a number. */
  public number(name: string): number {
    const value = Number(this.text(name));
    if (!Number.isFinite(value)) throw this.invalid(name, 'is not a number');
    return value;
  }

  /** A variable that must hold a JSON array of one or more names. */
  public names(name: string): string[] {
    const raw = this.text(name);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw this.invalid(name, 'is not JSON');
    }
    if (!Array.isArray(value) || value.length === 0 || !value.every((x) => typeof x === 'string')) throw this.invalid(name, 'is not a JSON array of names');
    return value;
  }

  /** The error for a variable the function cannot use: `message` says why, `expected` what it takes. */
  public invalid(name: string, message: string, expected?: string): InvalidValuesError {
    return new InvalidValuesError('function environment', [{
      path: name,
      value: this.env[name],
      message,
      fix: `${expected ? `set it to ${expected}; ` : ''}the ${this.construct} construct sets it: deploy the function with it`,
    }]);
  }
}
