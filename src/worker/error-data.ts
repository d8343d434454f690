import { DrawscopeError, SpecError } from "../engine/errors.ts";
import { CANCELLED, type EngineErrorData } from "./protocol.ts";

/**
 * An error as it crosses to the page: a cancel as such; a drawscope error (bad input, a refused
 * query) with its name, message and, for a spec, where it is; anything else is a bug, said to be
 * one, its stack kept to be shown folded for a report.
 */
export function errorData(error: unknown, signal: AbortSignal): EngineErrorData {
  if (signal.aborted) return { name: CANCELLED, message: "cancelled" };
  if (error instanceof SpecError) {
    const { name, message, kind, start, end, suggestion } = error;
    return { name, message, kind, start, end, suggestion };
  }
  if (error instanceof DrawscopeError) return { name: error.name, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: "InternalError",
    message: `internal error in drawscope, not a problem with your input: ${message}. Please report it, with what you opened and did`,
    details: error instanceof Error ? error.stack : undefined,
  };
}
