import type { PanelOptions } from "../panels/types.ts";

export interface PanelState {
  id: string;
  kind: string;
  /** The user's choices only; defaults are filled in per table when drawn. */
  options: PanelOptions;
}

/** Everything a link restores. */
export interface ViewState {
  query: string;
  /** Groups that specs without a group prefix read from; several stack with a `source` column. */
  groups: string[];
  panels: PanelState[];
}

/** Where the trace of a view came from: the bundled example, a URL, or a file only the user has. */
export type TraceRef = { kind: "example" } | { kind: "url"; url: string } | { kind: "local"; label: string };

export interface SharedView {
  view: ViewState;
  trace?: TraceRef;
  fingerprint?: string;
}

let panelCounter = 0;

export function newPanel(kind: string, options: PanelOptions = {}): PanelState {
  panelCounter += 1;
  return { id: `p${panelCounter}`, kind, options };
}

export const DEFAULT_GROUPS = ["posterior"];

export function initialView(): ViewState {
  return { query: "", groups: [...DEFAULT_GROUPS], panels: [newPanel("density"), newPanel("table")] };
}
