import { isBug, isDrawscopeError } from "../engine/node.ts";

/**
 * The text shown for an error: a spec error also quotes the query and underlines the culprit. An
 * error drawscope did not raise on purpose is a bug, said to be one; its stack only with `debug`.
 */
export function describeError(error: unknown, query: string, debug = false): string {
  if (isDrawscopeError(error, "spec")) {
    const width = Math.max(1, error.end - error.start);
    return `error: ${error.message}\n  ${query}\n  ${" ".repeat(error.start)}${"^".repeat(width)}`;
  }
  if (!isBug(error)) return `error: ${(error as Error).message}`;
  const message = error instanceof Error ? error.message : String(error);
  const details = debug && error instanceof Error && error.stack ? `\n${error.stack}` : "\n(run it again with --debug for the details)";
  return `error: internal error in drawscope, not a problem with your input: ${message}. Please report it with the command you ran.${details}`;
}
