import { DrawscopeError, SpecError } from "../engine/errors.ts";

/** The text shown for an error: a spec error also quotes the query and underlines the culprit. */
export function describeError(error: unknown, query: string): string {
  if (error instanceof SpecError) {
    const width = Math.max(1, error.end - error.start);
    return `error: ${error.message}\n  ${query}\n  ${" ".repeat(error.start)}${"^".repeat(width)}`;
  }
  if (error instanceof DrawscopeError) return `error: ${error.message}`;
  return `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
