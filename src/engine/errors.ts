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
