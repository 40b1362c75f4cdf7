/**
 * The contract file is missing, not JSON, or not a valid contract. Unusable input: exit code 2.
 */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

/**
 * A baseline profile is missing, not JSON, or not a profile this engine wrote. Exit code 2.
 */
export class ProfileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileFormatError';
  }
}

/** Where in the input a problem sits. All numbers are 1-based. */
export interface InputLocation {
  /** Physical line of the file (a quoted field may span lines). */
  readonly line?: number;
  /** Data row (the header is not a row). */
  readonly row?: number;
  /** Column name, when the problem is in one field. */
  readonly column?: string;
  /** Byte offset in the line, for problems inside one record. */
  readonly offset?: number;
}

/**
 * The data cannot be read at all (empty file, unterminated quote, a record longer than the limit,
 * an unreadable Parquet footer...). Unusable input: the gate reports an error, exit code 2.
 * Problems confined to single rows are never thrown; they become violations.
 */
export class InputError extends Error {
  readonly location: InputLocation;

  constructor(message: string, location: InputLocation = {}) {
    super(`${describeLocation(location)}${message}`);
    this.name = 'InputError';
    this.location = location;
  }
}

/** `line 4, row 3, column "age": ` (only the parts that are known). */
export function describeLocation(l: InputLocation): string {
  const parts: string[] = [];
  if (l.line !== undefined) parts.push(`line ${l.line}`);
  if (l.row !== undefined) parts.push(`row ${l.row}`);
  if (l.column !== undefined) parts.push(`column "${l.column}"`);
  if (l.offset !== undefined) parts.push(`byte ${l.offset}`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}
