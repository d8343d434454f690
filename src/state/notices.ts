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

/** An error said in passing, to dismiss. */
export function problemNotice(title: string, text: string): Notice {
  return { tone: "error", title, text, actions: ["dismiss"] };
}

/** The notices of opening a trace and of links, worded once here. `stillOpen` names the trace that stays open, if one does. */
export const NOTICES = {
  openingCancelled: (what: string, stillOpen: string) => infoNotice("Opening cancelled", `${what} was not opened.${stillOpen}`),
  cannotOpen: (message: string, stillOpen: string) => problemNotice("Cannot open that", `${sentence(message)}${stillOpen}`),
  exampleMissing: (url: string, message: string) => problemNotice("The bundled example is missing", `${url} could not be loaded: ${message}. Start the app with npm start, which bundles it.`),
  readyToRead: (query: string, rows: number): Notice => ({
    ...infoNotice("Ready to read", `${query} is ${rows.toLocaleString("en-US")} values, so it was not read yet: press Enter in the query bar to read it, or ask for less.`),
    untilQuery: true,
  }),
  linkProblems: (problems: readonly string[]) => infoNotice("Parts of the link could not be used", `${problems.join(". ")}.`),
  linkedTraceElsewhere: (trace: TraceRef | undefined): Notice => ({
    ...infoNotice(
      "Open the trace to see this view",
      `This link shows a view of ${describeRef(trace)}, a trace on the computer it was made on. ` +
        `Drop that trace on this page, or open it with Open folder or Open file; the view is applied once its structure matches.`,
    ),
    aboutLink: true,
  }),
  notTheLinkedTrace: (linked: TraceRef | undefined, opened: TraceRef, fingerprint: string, linkFingerprint: string | undefined): Notice => ({
    tone: "error",
    title: "This is not the trace the link was made for",
    text:
      `The link shows a view of ${describeRef(linked)}, but ${describeRef(opened)} has different groups, variables or shapes ` +
      `(fingerprint ${fingerprint}, the link's is ${linkFingerprint}). The linked view was not applied: ` +
      `open the matching trace, or apply the view anyway.`,
    actions: ["apply-link", "dismiss"],
    aboutLink: true,
  }),
  notTheLinkedModel: (name: string, label: string) =>
    infoNotice(`${name} is not the trace the link was made with`, `${label} has different groups, variables or shapes than the link's model ${name}; it was added all the same.`),
  couldNotOpen: (label: string, error: EngineErrorData, stillOpen: string) => errorNotice(`Could not open ${label}`, error, stillOpen),
  modelsNotChanged: (error: EngineErrorData) => errorNotice("The models could not be changed", error),
  /** A link's models that could not be added as they are: `local` ones (‘label’ as name) to open by hand, `changed` ones opened but of another structure. */
  linkComparesModels(local: readonly string[], changed: readonly string[]): Notice | undefined {
    const parts = [
      local.length ? `Drop or open ${local.join(", ")}: ${local.length === 1 ? "it is" : "they are"} on the computer the link was made on, and will be added beside the first.` : "",
      changed.length ? `${changed.join(", ")} ${changed.length === 1 ? "is not the trace" : "are not the traces"} the link was made with (different structure).` : "",
    ].filter(Boolean);
    return parts.length ? infoNotice("This link compares several models", parts.join(" ")) : undefined;
  },
  modelNameTaken: (name: string) => problemNotice("Two models cannot share a name", `Another model is named ${name}: choose a name of its own.`),
};
