import type { DiagnosticsScope } from "../engine/diagnose.ts";
import { isDrawscopeError } from "../engine/errors.ts";
import { isExpression } from "../engine/expression.ts";
import { selectionSpec } from "../engine/spec-text.ts";
import { parseSpec } from "../engine/spec.ts";
import type { TraceTree } from "../engine/trace-tree.ts";
import { errorDataOf, type EngineClient, type EngineJob } from "../worker/client.ts";
import type { EngineErrorData } from "../worker/protocol.ts";
import { DiagnosticsRows } from "./diagnostics-rows.ts";
import { DEFAULT_DIAGNOSTICS, newPanel, QUERY_SCOPE, WORST_RHAT_ROWS, type DiagnosticsView, type ViewState } from "./view.ts";

/** The diagnostics table's rows, streaming in from the worker. */
export interface DiagnosticsState {
  /** What was asked for, in words (`group posterior`, `query beta[groups]`). */
  label: string;
  rows: DiagnosticsRows;
  /** Bumped on every appended block, so views re-render (the rows object itself is mutable). */
  version: number;
  done: number;
  total: number;
  running: boolean;
  error?: EngineErrorData;
}

export interface DiagnosticsActions {
  /** Show the diagnostics table for a scope (a group's name or QUERY_SCOPE; a sensible default without). */
  showDiagnostics(scope?: string): void;
  hideDiagnostics(): void;
  /** Change how the table is shown; a new scope computes it again. */
  setDiagnosticsView(change: Partial<DiagnosticsView>): void;
  /** The WORST_RHAT_ROWS rows with the highest R-hat, one click away. */
  showWorstRhat(): void;
  cancelDiagnostics(): void;
  /** Open rows of the diagnostics table in the panels: query just those elements, with trace and density panels. */
  openElements(rows: readonly number[]): Promise<void>;
}

/** While diagnostics stream in, the table shows new rows at most this often. */
const ROWS_SHOWN_MS = 150;

/** Panels a clicked row opens in: its trace first, then its density. */
const ELEMENT_PANELS = ["trace", "density"];

/**
 * The query that reads some rows of the diagnostics table: one spec per variable selecting the
 * labels its rows have (so two rows of theta[school, year] may bring a few neighbours along), and
 * each expression's rows as the expression.
 */
export function elementsQuery(specs: readonly { group: string; spec: string }[], defaultGroup: string): string {
  const byVariable = new Map<string, { name: string; dims: string[]; labels: string[][] }>();
  const expressions = new Set<string>();
  for (const { group, spec } of specs) {
    if (isExpression(spec, 0, spec.length)) {
      expressions.add(spec);
      continue;
    }
    const parsed = parseSpec(spec);
    const key = `${group === defaultGroup ? "" : `${group}/`}${parsed.name.text}`;
    const dims = parsed.selections.map((s) => s.dim.text);
    let entry = byVariable.get(key);
    if (!entry) byVariable.set(key, (entry = { name: key, dims, labels: dims.map(() => []) }));
    parsed.selections.forEach((s, k) => {
      for (const label of s.labels) if (!entry.labels[k].includes(label.text)) entry.labels[k].push(label.text);
    });
  }
  return [...[...byVariable.values()].map((v) => selectionSpec(v.name, v.dims, v.labels)), ...expressions].join(", ");
}

interface Store {
  get(): {
    view: ViewState;
    diagnostics?: DiagnosticsState;
    trace?: { tree: TraceTree };
    models: readonly unknown[];
    result?: { query: string; groups: string[] };
  };
  set(change: { diagnostics?: DiagnosticsState | undefined }): void;
  setView(change: Partial<ViewState>): void;
  runQuery(): Promise<void>;
  /** The scope a table opens on for a trace: its first group with draws. */
  defaultScope(tree: TraceTree): string;
}

/**
 * The diagnostics table's actions and its run: computed in the worker for the view's scope when
 * shown (and when the scope, the models or, for the query's scope, the query change), rows
 * streamed into the state as they come, one run at a time, apart from queries so that neither
 * stops the other.
 */
export function createDiagnosticsSlice(engine: EngineClient, store: Store): DiagnosticsActions & { runDiagnostics(): void; stopDiagnostics(): void; scopeLabel(scope: string): string | undefined } {
  const { get, set, setView } = store;
  let diagnosing: EngineJob<number> | undefined;

  function diagnosticsScope(scope: string): { scope: DiagnosticsScope; label: string } | undefined {
    // With several models open, the table has every model's rows: the label says how many.
    const models = get().models;
    const of = models.length > 1 ? ` (${models.length} models)` : "";
    if (scope !== QUERY_SCOPE) return { scope: { kind: "group", group: scope }, label: `every variable of ${scope}${of}` };
    const ran = get().result;
    const query = ran?.query ?? get().view.query;
    if (!query) return undefined;
    const groups = ran?.groups ?? get().view.groups;
    return { scope: { kind: "query", query, groups }, label: `${query}${of}` };
  }

  function stopDiagnostics(): void {
    diagnosing?.cancel();
    diagnosing = undefined;
  }

  /** (Re)compute the diagnostics table for the view's scope, streaming rows into the state. */
  function runDiagnostics(): void {
    stopDiagnostics();
    const view = get().view.diagnostics;
    if (!view || !get().trace) return;
    const asked = diagnosticsScope(view.scope);
    if (!asked) {
      set({ diagnostics: undefined });
      return;
    }
    const state: DiagnosticsState = { label: asked.label, rows: new DiagnosticsRows(), version: 0, done: 0, total: 0, running: true };
    set({ diagnostics: state });
    const update = (change: Partial<DiagnosticsState>) => {
      if (diagnosing === running) set({ diagnostics: { ...get().diagnostics!, ...change } });
    };
    // Rows are appended as they come, but shown (re-sorted, re-filtered) at most every
    // ROWS_SHOWN_MS: a new version per block would sort the whole table once per block.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const showRows = (change: Partial<DiagnosticsState> = {}) => {
      clearTimeout(pending);
      pending = undefined;
      if (diagnosing === running) update({ ...change, version: get().diagnostics!.version + 1 });
    };
    const running = engine.diagnose(
      asked.scope,
      (rows) => {
        if (diagnosing !== running) return;
        get().diagnostics!.rows.append(rows);
        pending ??= setTimeout(showRows, ROWS_SHOWN_MS);
      },
      (progress) => update({ done: progress.done, total: progress.total }),
    );
    diagnosing = running;
    running.result.then(
      (total) => showRows({ running: false, done: total, total }),
      (error) => showRows({ running: false, error: isDrawscopeError(error, "cancelled") ? { tag: "cancelled", message: "stopped before every row was computed" } : errorDataOf(error) }),
    );
  }

  const setDiagnostics = (change: Partial<DiagnosticsView>) => {
    const current = get().view.diagnostics;
    if (current) setView({ diagnostics: { ...current, ...change } });
  };

  return {
    runDiagnostics,
    stopDiagnostics,
    scopeLabel: (scope) => diagnosticsScope(scope)?.label,

    showDiagnostics(scope) {
      const { trace, view } = get();
      if (!trace) return;
      const chosen = scope ?? view.diagnostics?.scope ?? store.defaultScope(trace.tree);
      const same = view.diagnostics?.scope === chosen && get().diagnostics;
      setView({ diagnostics: { ...DEFAULT_DIAGNOSTICS, ...view.diagnostics, scope: chosen } });
      if (!same) runDiagnostics();
    },

    hideDiagnostics() {
      stopDiagnostics();
      setView({ diagnostics: undefined });
      set({ diagnostics: undefined });
    },

    setDiagnosticsView(change) {
      const before = get().view.diagnostics?.scope;
      setDiagnostics(change);
      if (change.scope !== undefined && change.scope !== before) runDiagnostics();
    },

    showWorstRhat: () => setDiagnostics({ sort: "rhat", descending: true, limit: WORST_RHAT_ROWS, filter: "" }),

    cancelDiagnostics() {
      diagnosing?.cancel();
    },

    async openElements(rows) {
      const table = get().diagnostics?.rows;
      if (!table || !rows.length) return;
      const picked = rows.map((r) => ({ group: table.group(r), spec: table.spec(r) }));
      // The group chips stay as they are: a row of another group is written with its group
      // (sample_stats/lp), so the next query typed still reads the groups it did.
      const { groups, panels } = get().view;
      let query = elementsQuery(picked, groups[0]);
      const stats = get().trace?.tree.groups.find((g) => g.name === "sample_stats");
      if (picked[0].group === "posterior" && stats?.variables.some((v) => v.name === "diverging")) query += ", sample_stats/diverging";
      const missing = ELEMENT_PANELS.filter((kind) => !panels.some((p) => p.kind === kind)).map((kind) => newPanel(kind));
      setView({ query, panels: [...missing, ...panels] });
      await store.runQuery();
    },
  };
}
