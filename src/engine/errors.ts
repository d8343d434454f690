/** Every error the engine raises on purpose derives from this, so callers can tell them from bugs. */
export class DrawscopeError extends Error {
  override name = "DrawscopeError";
}

/** What to check when a server cannot be read at all (a network error, or a refused cross-origin read). */
export const SERVER_REACH_HINT =
  "Check the address and that the server is reachable; a server on another site must allow this page to read it (CORS).";

/** A store that cannot be opened or read: not Zarr, missing metadata, a corrupt zip. */
export class StoreError extends DrawscopeError {
  override name = "StoreError";
  constructor(
    message: string,
    /** The key or path inside the store the problem is about, when there is one. */
    readonly path?: string,
  ) {
    super(message);
  }
}

/** An array whose data type the engine cannot represent faithfully. */
export class DTypeError extends DrawscopeError {
  override name = "DTypeError";
}

export type SpecErrorKind = "syntax" | "unknown-group" | "unknown-variable" | "dims" | "label" | "duplicate";

/**
 * A query the trace cannot answer. `start`/`end` index the offending text in the query string
 * the user typed, so the UI can underline it.
 */
export class SpecError extends DrawscopeError {
  override name = "SpecError";
  constructor(
    readonly kind: SpecErrorKind,
    message: string,
    readonly start: number,
    readonly end: number,
    /** The nearest valid name, when one is close enough to be a likely typo. */
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

/** A query whose table would not fit the memory budget; refused before anything is read. */
export class BudgetError extends DrawscopeError {
  override name = "BudgetError";
}

/** What kind of problem a CmdStanError is, for callers (and tests) that tell them apart. */
export type CmdStanErrorKind =
  | "not-cmdstan"
  | "not-sample"
  | "header"
  | "header-mismatch"
  | "value"
  | "row-length"
  | "unequal-chains"
  | "no-draws";

/**
 * CmdStan CSV files that cannot be read as the chains of one run. The message says what is wrong,
 * where (the file, and the line when there is one), and what to do.
 */
export class CmdStanError extends StoreError {
  override name = "CmdStanError";
  readonly file: string;
  readonly line?: number;

  constructor(
    readonly kind: CmdStanErrorKind,
    where: { file: string; line?: number },
    problem: string,
    remedy: string,
  ) {
    super(`${where.file}${where.line === undefined ? "" : `, line ${where.line}`}: ${problem}. ${remedy}.`, where.file);
    this.file = where.file;
    this.line = where.line;
  }
}

/** What PSIS-LOO cannot be computed from: no log_likelihood group, no such variable, draws that are not finite. */
export class LooError extends DrawscopeError {
  override name = "LooError";
}
