/**
 * Errors for bad city input. Every message names the file, the record (feature index and id) and
 * the field, so that a planner can find and fix the line in a ledger of thousands.
 */
export interface CimErrorLocation {
  /** Path or name of the input file. */
  file?: string;
  /** Record: "feature 12 (id 'b-33')", "row 8", "node 4411". */
  record?: string;
  /** Field or property name: "properties.height", "geometry.coordinates[0]", column "安装高度". */
  field?: string;
}

export class CimError extends Error {
  readonly file?: string;
  readonly record?: string;
  readonly field?: string;
  readonly reason: string;

  constructor(reason: string, loc: CimErrorLocation = {}) {
    const parts = [loc.file, loc.record, loc.field ? `field '${loc.field}'` : undefined].filter(Boolean);
    super(parts.length ? `${parts.join(', ')}: ${reason}` : reason);
    this.name = 'CimError';
    this.reason = reason;
    this.file = loc.file;
    this.record = loc.record;
    this.field = loc.field;
  }

  /** The same error with missing location parts filled in from `loc`. */
  withLocation(loc: CimErrorLocation): CimError {
    return new CimError(this.reason, {
      file: this.file ?? loc.file,
      record: this.record ?? loc.record,
      field: this.field ?? loc.field,
    });
  }
}

/** Describes a record for messages: `feature 12 (id 'b-33')`. */
export function recordName(kind: string, index: number, id?: unknown): string {
  return id === undefined || id === null || id === '' ? `${kind} ${index}` : `${kind} ${index} (id '${String(id)}')`;
}
