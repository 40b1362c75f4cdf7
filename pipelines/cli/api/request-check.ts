import Ajv, { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import { INSTANCES_PROPERTY } from '../../../src/core/request-schema';

/** One thing wrong with a request, located the way a person reads a file: row and column. */
export interface RequestProblem {
  /** 1-based row within the request, when the problem is in a row. */
  readonly row?: number;
  /** The column, when the problem is in one. */
  readonly column?: string;
  readonly message: string;
}

/**
 * The request schema compiled once (JSON Schema draft-04, as API Gateway validates it), to check
 * a request before it is sent: the same rules, with the row and column named.
 */
export class RequestCheck {
  private readonly validate: ValidateFunction;

  constructor(schema: Record<string, unknown>) {
    // Union types (`["integer", "null"]`) are draft-04; strict mode would only warn about them.
    const ajv = new Ajv({ allErrors: true, strict: false });
    this.validate = ajv.compile(schema);
  }

  /** Every problem with a request body; empty when the API would accept it. */
  public problems(body: unknown): RequestProblem[] {
    if (this.validate(body)) return [];
    return (this.validate.errors ?? []).map(describe);
  }
}

function describe(error: ErrorObject): RequestProblem {
  const parts = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const inRow = parts[0] === INSTANCES_PROPERTY && parts.length >= 2 ? Number(parts[1]) + 1 : undefined;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return { row: inRow, column: params.missingProperty, message: 'is missing' };
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return { row: inRow, column: params.additionalProperty, message: 'is not a column the API accepts' };
  }
  const column = inRow !== undefined ? parts[2] : undefined;
  const allowed = error.keyword === 'enum' && Array.isArray(params.allowedValues) ? ` ${JSON.stringify(params.allowedValues)}` : '';
  return { row: inRow, column, message: `${error.message ?? error.keyword}${allowed}` };
}

/** `row 3, column "age": must be <= 100`. */
export function formatProblem(p: RequestProblem): string {
  const where = [p.row !== undefined ? `row ${p.row}` : undefined, p.column !== undefined ? `column "${p.column}"` : undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
