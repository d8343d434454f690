import type { PanelOptions } from "../panels/types.ts";

export interface PanelState {
  id: string;
  kind: string;
  /** The user's choices only; defaults are filled in per table when drawn. */
  options: PanelOptions;
}

/** How the diagnostics table is shown: what it covers, its order, filter and flag thresholds. */
export interface DiagnosticsView {
  /** QUERY_SCOPE for the query's variables, or a group's name for all of its sampled variables. */
  scope: string;
  /** A regular expression (or plain text) matched against element names such as `theta[Choate, 2019]`. */
  filter: string;
  /** "index" (the trace's order), "element", or a diagnostic's name. */
  sort: string;
  descending: boolean;
  /** Rows with R-hat above this are flagged. */
  rhat: number;
  /** Rows with bulk or tail ESS below this are flagged. */
  ess: number;
  /** Only the first rows after sorting and filtering (0 for all): "the worst 20 by R-hat". */
  limit: number;
}

export const QUERY_SCOPE = "query";

/** Rows the "Worst by R-hat" view keeps. */
export const WORST_RHAT_ROWS = 20;

export const DEFAULT_DIAGNOSTICS: Omit<DiagnosticsView, "scope"> = { filter: "", sort: "index", descending: false, rhat: 1.01, ess: 400, limit: 0 };

/** The PSIS-LOO section: which log_likelihood variable (the group's only one when unset), and r_eff. */
export interface LooView {
  variable?: string;
  /** loo's relative_eff over the chains (as R loo's default workflow), or 1. */
  rEff: "relative" | 1;
  /** With several models, the one the comparison is against (the best when unset). */
  reference?: string;
}

/** Everything a link restores. */
export interface ViewState {
  query: string;
  /** Groups that specs without a group prefix read from; several stack with a `source` column. */
  groups: string[];
  panels: PanelState[];
  /** The diagnostics table, when it is shown. */
  diagnostics?: DiagnosticsView;
  /** The PSIS-LOO section, when it is shown. */
  loo?: LooView;
  /** Megabytes a query's table may take in the browser, when not DEFAULT_BUDGET_MB. */
  budgetMB?: number;
}

/** What a query's table may take by default: well inside what a browser tab can hold. */
export const DEFAULT_BUDGET_MB = 1000;

/** A memory budget as typed in the page or a link: a positive number of megabytes, else undefined. */
export function parseBudget(text: string): number | undefined {
  const megabytes = Number(text);
  return text.trim() !== "" && megabytes > 0 && Number.isFinite(megabytes) ? megabytes : undefined;
}

/** Where the trace of a view came from: the bundled example, a URL, or a file only the user has. */
export type TraceRef = { kind: "example" } | { kind: "url"; url: string } | { kind: "local"; label: string };

export interface SharedView {
  view: ViewState;
  trace?: TraceRef;
  fingerprint?: string;
  /** With several models: the first's name, and the others (in order) with their traces and fingerprints. */
  firstModel?: string;
  models?: LinkedModel[];
}

/** A model a link names beside its first trace. */
export interface LinkedModel {
  name: string;
  trace: TraceRef;
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
