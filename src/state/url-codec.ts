import { formatOption, parseOption } from "../panels/options.ts";
import { panelKind } from "../panels/registry.ts";
import type { PanelOptions } from "../panels/types.ts";
import {
  DEFAULT_BUDGET_MB,
  DEFAULT_DIAGNOSTICS,
  DEFAULT_GROUPS,
  newPanel,
  parseBudget,
  type DiagnosticsView,
  type LinkedModel,
  type LooView,
  type PanelState,
  type SharedView,
  type TraceRef,
} from "./view.ts";

/**
 * The view as the page URL's fragment (never sent to a server):
 * `#trace=example&fp=…&q=beta[groups],%20sigma&g=posterior,prior&panel=density;facet=groups&panel=table`.
 * A panel is its kind, then `;key=value` per option the user set. The diagnostics table is
 * `diag=<scope>` then `;key=value` per setting that is not the default. The PSIS-LOO section is
 * `loo=<variable>` (empty for the group's only one), then `;reff=1` when r_eff is 1. With several
 * models, `name=` is the first's name and each other is a `model=` (see encodeModel).
 */

/** Percent-encode, but leave the characters specs are made of readable. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%5B/g, "[").replace(/%5D/g, "]").replace(/%2C/g, ",").replace(/%2F/g, "/").replace(/%3D/g, "=");
}

function decode(text: string, what: string, problems: string[]): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    problems.push(`the link's ${what} is not valid percent-encoding: '${text}'`);
    return undefined;
  }
}

function encodePanel(panel: PanelState): string {
  const kind = panelKind(panel.kind);
  const parts = [encode(panel.kind)];
  for (const spec of kind?.options ?? []) {
    const value = panel.options[spec.key];
    if (value !== undefined) parts.push(`${spec.key}=${encode(formatOption(spec, value))}`);
  }
  return parts.join(";");
}

function decodePanel(raw: string, position: number, problems: string[]): PanelState | undefined {
  const [kindText, ...parts] = raw.split(";");
  const name = decode(kindText, `panel ${position}`, problems);
  if (name === undefined) return undefined;
  const kind = panelKind(name);
  if (!kind) {
    problems.push(`panel ${position}: there is no panel kind '${name}'; it was left out`);
    return undefined;
  }
  const options: PanelOptions = {};
  for (const part of parts) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const spec = kind.options.find((o) => o.key === key);
    if (!spec) {
      problems.push(`panel ${position} (${kind.title}): no option '${key}'; it was ignored`);
      continue;
    }
    const text = decode(part.slice(eq + 1), `panel ${position} option '${key}'`, problems);
    if (text === undefined) continue;
    const parsed = parseOption(spec, text);
    if ("problem" in parsed) problems.push(`panel ${position} (${kind.title}): ${parsed.problem}; the default is used`);
    else options[key] = parsed.value;
  }
  return newPanel(kind.kind, options);
}

function encodeDiagnostics(table: DiagnosticsView): string {
  const parts = [encode(table.scope)];
  const defaults: Record<string, unknown> = DEFAULT_DIAGNOSTICS;
  for (const [key, value] of Object.entries(table)) {
    if (key === "scope" || value === defaults[key]) continue;
    parts.push(`${key}=${encode(typeof value === "boolean" ? (value ? "1" : "0") : String(value))}`);
  }
  return parts.join(";");
}

function decodeDiagnostics(raw: string, problems: string[]): DiagnosticsView | undefined {
  const [scopeText, ...parts] = raw.split(";");
  const scope = decode(scopeText, "diagnostics scope", problems);
  if (!scope) return undefined;
  const table: DiagnosticsView = { ...DEFAULT_DIAGNOSTICS, scope };
  for (const part of parts) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const text = decode(part.slice(eq + 1), `diagnostics setting '${key}'`, problems);
    if (text === undefined) continue;
    if (key === "filter" || key === "sort") table[key] = text;
    else if (key === "descending") table.descending = text === "1";
    else if (key === "rhat" || key === "ess" || key === "limit") {
      const number = Number(text);
      if (text !== "" && Number.isFinite(number) && number >= 0) table[key] = number;
      else problems.push(`the diagnostics table's '${key}' must be a number ≥ 0, not '${text}'; the default is used`);
    } else problems.push(`the diagnostics table has no setting '${key}'; it was ignored`);
  }
  return table;
}

function encodeLoo(loo: LooView): string {
  return `${encode(loo.variable ?? "")}${loo.rEff === 1 ? ";reff=1" : ""}`;
}

function decodeLoo(raw: string, problems: string[]): LooView | undefined {
  const [variableText, ...parts] = raw.split(";");
  const variable = decode(variableText, "LOO variable", problems);
  if (variable === undefined) return undefined;
  const loo: LooView = { variable: variable || undefined, rEff: "relative" };
  for (const part of parts) {
    if (part === "reff=1") loo.rEff = 1;
    else problems.push(`the LOO section has no setting '${part}'; it was ignored`);
  }
  return loo;
}

/** A model beside the first: `model=<name>;example`, `;url=<address>` or `;local=<label>`, then `;fp=<fingerprint>`. */
function encodeModel(model: LinkedModel): string {
  const trace = model.trace.kind === "example" ? "example" : model.trace.kind === "url" ? `url=${encode(model.trace.url)}` : `local=${encode(model.trace.label)}`;
  return [encode(model.name), trace, ...(model.fingerprint ? [`fp=${model.fingerprint}`] : [])].join(";");
}

function decodeModel(raw: string, position: number, problems: string[]): LinkedModel | undefined {
  const [nameText, ...parts] = raw.split(";");
  const name = decode(nameText, `model ${position}'s name`, problems);
  if (!name) return undefined;
  let trace: TraceRef | undefined;
  let fingerprint: string | undefined;
  for (const part of parts) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = decode(part.slice(eq + 1), `model ${position}'s '${key}'`, problems);
    if (value === undefined) continue;
    if (key === "example") trace = { kind: "example" };
    else if (key === "url") trace = { kind: "url", url: value };
    else if (key === "local") trace = { kind: "local", label: value };
    else if (key === "fp") fingerprint = value;
    else problems.push(`model ${position} (${name}) has no setting '${key}'; it was ignored`);
  }
  if (!trace) {
    problems.push(`model ${position} (${name}) names no trace; it was left out`);
    return undefined;
  }
  return { name, trace, fingerprint };
}

export function encodeView(shared: SharedView): string {
  const params: string[] = [];
  const { trace, fingerprint, view } = shared;
  if (trace?.kind === "example") params.push("trace=example");
  if (trace?.kind === "url") params.push(`url=${encode(trace.url)}`);
  if (trace?.kind === "local") params.push(`local=${encode(trace.label)}`);
  if (fingerprint) params.push(`fp=${fingerprint}`);
  if (view.query) params.push(`q=${encode(view.query)}`);
  if (view.groups.join() !== DEFAULT_GROUPS.join()) params.push(`g=${view.groups.map(encode).join(",")}`);
  for (const panel of view.panels) params.push(`panel=${encodePanel(panel)}`);
  if (view.diagnostics) params.push(`diag=${encodeDiagnostics(view.diagnostics)}`);
  if (view.loo) params.push(`loo=${encodeLoo(view.loo)}`);
  if (view.budgetMB !== undefined && view.budgetMB !== DEFAULT_BUDGET_MB) params.push(`mem=${view.budgetMB}`);
  if (shared.firstModel) params.push(`name=${encode(shared.firstModel)}`);
  for (const model of shared.models ?? []) params.push(`model=${encodeModel(model)}`);
  return params.length ? `#${params.join("&")}` : "";
}

export interface DecodedLink {
  shared: SharedView;
  /** What in the link could not be used, in words; the rest of the view still applies. */
  problems: string[];
}

/** Read a view back from a URL fragment; undefined when the fragment holds no view. */
export function decodeView(hash: string): DecodedLink | undefined {
  const text = hash.replace(/^#/, "");
  if (!text) return undefined;
  const problems: string[] = [];
  const shared: SharedView = { view: { query: "", groups: [...DEFAULT_GROUPS], panels: [] } };
  let known = false;
  for (const param of text.split("&")) {
    const eq = param.indexOf("=");
    const key = eq < 0 ? param : param.slice(0, eq);
    const raw = eq < 0 ? "" : param.slice(eq + 1);
    if (key === "panel") {
      const panel = decodePanel(raw, shared.view.panels.length + 1, problems);
      if (panel) shared.view.panels.push(panel);
      known = true;
      continue;
    }
    if (key === "model") {
      const model = decodeModel(raw, (shared.models?.length ?? 0) + 2, problems);
      if (model) shared.models = [...(shared.models ?? []), model];
      known = true;
      continue;
    }
    if (key === "loo") {
      shared.view.loo = decodeLoo(raw, problems);
      known = true;
      continue;
    }
    if (key === "diag") {
      shared.view.diagnostics = decodeDiagnostics(raw, problems);
      known = true;
      continue;
    }
    const value = decode(raw, `'${key}'`, problems);
    if (value === undefined) continue;
    switch (key) {
      case "trace":
        if (value === "example") shared.trace = { kind: "example" };
        else problems.push(`the link names an unknown trace '${value}'`);
        break;
      case "url":
        shared.trace = { kind: "url", url: value } satisfies TraceRef;
        break;
      case "local":
        shared.trace = { kind: "local", label: value };
        break;
      case "fp":
        shared.fingerprint = value;
        break;
      case "q":
        shared.view.query = value;
        break;
      case "name":
        shared.firstModel = value;
        break;
      case "mem": {
        shared.view.budgetMB = parseBudget(value);
        if (shared.view.budgetMB === undefined) problems.push(`the memory budget '${value}' is not a number of megabytes; ${DEFAULT_BUDGET_MB} MB applies`);
        break;
      }
      case "g":
        shared.view.groups = value.split(",").filter((g) => g !== "");
        if (!shared.view.groups.length) shared.view.groups = [...DEFAULT_GROUPS];
        break;
      default:
        problems.push(`the link has an unknown part '${key}'; it was ignored`);
        continue;
    }
    known = true;
  }
  return known || problems.length ? { shared, problems } : undefined;
}
