/**
 * What kind of error it is. Every error drawscope raises on purpose has one tag (as zarrita's
 * errors do), which crosses the worker with it; "cancelled" is work the user stopped, and
 * "internal" a bug drawscope reports about itself, never the input's fault.
 */
export type DrawscopeErrorTag =
  | "request"
  | "store"
  | "dtype"
  | "spec"
  | "budget"
  | "loo"
  | "corrupt-chunk"
  | "bounds"
  | "diagnostics"
  | "contrast"
  | "summary"
  | "parquet"
  | "models"
  | "fit"
  | "pairs"
  | "chain-draws"
  | "ppc"
  | "export"
  | "usage"
  | "cancelled"
  | "internal";

/**
 * Every error drawscope raises on purpose: bad input, a refused query, a file it cannot write.
 * A plain one is a request that cannot be done as asked; the subclasses carry their own tag and
 * what they say about where (a spec's position, a CmdStan file's line).
 */
export class DrawscopeError extends Error {
  override name = "DrawscopeError";
  readonly tag: DrawscopeErrorTag = "request";
}

/** The tags whose errors say more than their message. */
interface TaggedErrors {
  spec: SpecError;
  store: StoreError;
}

/** Whether `error` is a drawscope error, and of `tag` when one is given: tell errors by this, not by class or name. */
export function isDrawscopeError<T extends DrawscopeErrorTag>(error: unknown, tag?: T): error is T extends keyof TaggedErrors ? TaggedErrors[T] : DrawscopeError & { tag: T } {
  return error instanceof DrawscopeError && (tag === undefined || error.tag === tag);
}

/** Whether `error` is a bug, not a problem with the input: drawscope's own "internal" error, or anything not raised on purpose. */
export const isBug = (error: unknown): boolean => !isDrawscopeError(error) || error.tag === "internal";

/** What to check when a server cannot be read at all (a network error, or a refused cross-origin read). */
export const SERVER_REACH_HINT = "Check the address and that the server is reachable; a server on another site must allow this page to read it (CORS).";

/** A store that cannot be opened or read: not Zarr, missing metadata, a corrupt zip. */
export class StoreError extends DrawscopeError {
  override name = "StoreError";
  override readonly tag: DrawscopeErrorTag = "store";
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
  override readonly tag = "dtype";
}

export type SpecErrorKind = "syntax" | "unknown-group" | "unknown-variable" | "dims" | "label" | "duplicate";

/**
 * A query the trace cannot answer. `start`/`end` index the offending text in the query string
 * the user typed, so the UI can underline it.
 */
export class SpecError extends DrawscopeError {
  override name = "SpecError";
  override readonly tag = "spec";
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
  override readonly tag = "budget";
}

/** What kind of problem a CmdStanError is, for callers (and tests) that tell them apart. */
export type CmdStanErrorKind = "not-cmdstan" | "not-sample" | "header" | "header-mismatch" | "value" | "row-length" | "unequal-chains" | "no-draws";

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
  override readonly tag = "loo";
}
