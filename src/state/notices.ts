import type { EngineErrorData } from "../worker/protocol.ts";
import type { TraceRef } from "./view.ts";

export type NoticeAction = "apply-link" | "dismiss";

/** A message above the panels: what happened, and what the user can do about it. */
export interface Notice {
  tone: "error" | "info";
  title: string;
  text: string;
  actions: NoticeAction[];
  /** About a linked view: dismissing it also drops the view that waits for its trace. */
  aboutLink?: boolean;
  /** Said until the next query has run. */
  untilQuery?: boolean;
  /** An internal error's stack, shown folded. */
  details?: string;
}

/** The bundled example's file name, as the notices and the opened trace name it. */
export const EXAMPLE_NAME = "grouped_regression.zarr.zip";

/** A message as a sentence, ending with a full stop. */
export function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** A trace as a notice names it. */
export function describeRef(ref: TraceRef | undefined): string {
  if (!ref) return "a trace";
  if (ref.kind === "example") return `the example (${EXAMPLE_NAME})`;
  if (ref.kind === "url") return ref.url;
  return `‘${ref.label}’`;
}

/** An error the user can only dismiss: its message as a sentence, then `more`, and a bug's stack folded. */
export function errorNotice(title: string, error: EngineErrorData, more = ""): Notice {
  return { tone: "error", title, text: `${sentence(error.message)}${more}`, details: error.details, actions: ["dismiss"] };
}

/** Something said in passing, to dismiss. */
export function infoNotice(title: string, text: string): Notice {
  return { tone: "info", title, text, actions: ["dismiss"] };
}
