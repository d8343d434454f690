import { isDrawscopeError } from "../engine/errors.ts";
import type { EngineErrorData } from "./protocol.ts";

/**
 * An error as it crosses to the page: a cancel as such; a drawscope error (bad input, a refused
 * query) with its tag, message and, for a spec, where it is; anything else is a bug, said to be
 * one, its stack kept to be shown folded for a report.
 */
export function errorData(error: unknown, signal: AbortSignal): EngineErrorData {
  if (signal.aborted) return { tag: "cancelled", message: "cancelled" };
  if (isDrawscopeError(error, "spec")) {
    const { tag, message, kind, start, end, suggestion } = error;
    return { tag, message, kind, start, end, suggestion };
  }
  if (isDrawscopeError(error)) return { tag: error.tag, message: error.message };
  return internalErrorData(error);
}

/** A bug as the page shows it: said to be drawscope's, not the input's, with its stack for a report. */
export function internalErrorData(error: unknown): EngineErrorData {
  const message = error instanceof Error ? error.message : String(error);
  return {
    tag: "internal",
    message: `internal error in drawscope, not a problem with your input: ${message}. Please report it, with what you opened and did`,
    details: error instanceof Error ? error.stack : undefined,
  };
}
