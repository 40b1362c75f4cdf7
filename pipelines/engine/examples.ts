/** One occurrence of a violation, for reports: where it is and what was found. */
export interface Example {
  /** Data row (1-based, header excluded). */
  readonly row?: number;
  /** Physical line of the file where the row starts. */
  readonly line?: number;
  readonly column?: string;
  /** The offending text (shortened), when there is one. */
  readonly value?: string;
  readonly message: string;
}

/** Keeps the first few examples of each violation id. */
export class ExampleLog {
  private readonly byId = new Map<string, Example[]>();

  constructor(readonly maxPerId = 5) {}

  /** Whether another example of `id` would be kept (check before building one). */
  wants(id: string): boolean {
    const list = this.byId.get(id);
    return list === undefined || list.length < this.maxPerId;
  }

  add(id: string, example: Example): void {
    let list = this.byId.get(id);
    if (!list) {
      list = [];
      this.byId.set(id, list);
    }
    if (list.length < this.maxPerId) list.push(example);
  }

  get(id: string): Example[] {
    return this.byId.get(id) ?? [];
  }

  /** Every id with its examples (to send to another thread). */
  entries(): Array<[string, Example[]]> {
    return [...this.byId.entries()];
  }

  /** Appends examples found in a later part of the input, shifting their row and line numbers. */
  mergeShifted(entries: Array<[string, Example[]]>, rowOffset: number, lineOffset: number): void {
    for (const [id, list] of entries) {
      for (const e of list) {
        if (!this.wants(id)) break;
        this.add(id, {
          ...e,
          ...(e.row !== undefined ? { row: e.row + rowOffset } : {}),
          ...(e.line !== undefined ? { line: e.line + lineOffset } : {}),
        });
      }
    }
  }
}

/** Shortens a value for a message: at most `max` characters, control characters made visible. */
export function shorten(text: string, max = 80): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
