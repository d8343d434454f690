import { useDeferredValue, useId, useMemo, useState } from "react";
import { isSamplerGroup, type TraceTree } from "../engine/trace-tree.ts";
import { formatCount, formatNumber } from "../panels/style.ts";
import type { DiagnosticsState } from "../state/diagnostics-slice.ts";
import { QUERY_SCOPE, WORST_RHAT_ROWS, type DiagnosticsView } from "../state/view.ts";
import { useActions, useApp } from "./context.ts";
import { DiagnosticsGrid, type RowClick } from "./DiagnosticsGrid.tsx";
import { countFlagged, filterByName, isSortKey, rowFlags, rowRange, shownRows, rowOrder, spansGroups, type SortKey } from "./diagnostics-view.ts";
import "./section-frame.css";
import "./DiagnosticsTable.css";

const NO_ROWS = new Int32Array(0);
const NO_FLAGS = new Uint8Array(0);
/** How many rows "Worst 20 by R-hat" keeps (the store's showWorstRhat sets the same limit). */

/** The groups a table can cover: those with draws, the model's first, then the sampler's. */
function scopeGroups(tree: TraceTree | undefined): { model: string[]; sampler: string[] } {
  const sampled = (tree?.groups ?? []).filter((g) => g.sampleDims.includes("draw")).map((g) => g.name);
  return { model: sampled.filter((g) => !isSamplerGroup(g)), sampler: sampled.filter(isSamplerGroup) };
}

function ScopeSelect({ scope, query }: { scope: string; query: string }) {
  const tree = useApp((s) => s.trace?.tree);
  const { setDiagnosticsView } = useActions();
  const { model, sampler } = scopeGroups(tree);
  const known = scope === QUERY_SCOPE || model.includes(scope) || sampler.includes(scope);
  return (
    <label>
      Scope
      <select value={scope} onChange={(e) => setDiagnosticsView({ scope: e.target.value })}>
        {!known && <option value={scope}>{scope}</option>}
        {model.length > 0 && (
          <optgroup label="Model">
            {model.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </optgroup>
        )}
        {sampler.length > 0 && (
          <optgroup label="Sampler">
            {sampler.map((g) => (
              <option key={g} value={g}>
                {g} (sampler)
              </option>
            ))}
          </optgroup>
        )}
        <option value={QUERY_SCOPE}>the query{query ? ` (${query})` : ""}</option>
      </select>
    </label>
  );
}

/** A number box that lets the user type freely ("1.0", "") and commits only valid numbers ≥ 0. */
function NumberField(props: { label: string; value: number; step: number; title: string; onChange(value: number): void }) {
  const [text, setText] = useState(String(props.value));
  const [seen, setSeen] = useState(props.value);
  if (props.value !== seen) {
    setSeen(props.value);
    setText(String(props.value));
  }
  return (
    <label title={props.title}>
      {props.label}
      <input
        type="number"
        min={0}
        step={props.step}
        value={text}
        onChange={(e) => {
          const typed = e.target.value;
          setText(typed);
          const number = Number(typed);
          if (typed !== "" && Number.isFinite(number) && number >= 0) {
            setSeen(number);
            props.onChange(number);
          }
        }}
      />
    </label>
  );
}

/** Elements done of the total with Cancel while computing; after, why it stopped if it did. */
function RunStatus({ state }: { state: DiagnosticsState }) {
  const { cancelDiagnostics } = useActions();
  const { running, done, total, error } = state;
  if (running) {
    const text = total ? `${formatNumber(done)} of ${formatCount(total, "element")}` : "starting";
    return (
      <div className="diag-progress">
        <progress aria-label="Diagnostics computed" max={total || 1} value={done} />
        <span>{text}</span>
        <button type="button" onClick={cancelDiagnostics}>
          Cancel
        </button>
      </div>
    );
  }
  if (error?.tag === "cancelled") {
    return (
      <p className="diag-stopped" role="status">
        Stopped after {formatNumber(done)} of {formatCount(total, "element")}: {error.message}.
      </p>
    );
  }
  if (error) {
    return (
      <p className="error" role="alert">
        The diagnostics could not be computed: {error.message}
      </p>
    );
  }
  return null;
}

/** The table's rows in display order, memoised so a new filter never re-sorts and a new sort never re-filters. */
function useShownRows(state: DiagnosticsState | undefined, view: DiagnosticsView, flaggedOnly: boolean) {
  const rows = state?.rows;
  const version = state?.version ?? -1;
  const sort: SortKey = isSortKey(view.sort) ? view.sort : "index";
  const filter = useDeferredValue(view.filter);
  const order = useMemo(() => (rows ? rowOrder(rows, sort, view.descending) : NO_ROWS), [rows, version, sort, view.descending]);
  const named = useMemo(() => (rows ? filterByName(rows, filter) : {}), [rows, version, filter]);
  const flags = useMemo(() => (rows ? rowFlags(rows, { rhat: view.rhat, ess: view.ess }) : NO_FLAGS), [rows, version, view.rhat, view.ess]);
  const flagged = useMemo(() => countFlagged(flags), [flags]);
  const shown = useMemo(() => shownRows(order, named.mask, flaggedOnly ? flags : undefined, view.limit), [order, named, flags, flaggedOnly, view.limit]);
  const groupColumn = useMemo(() => (rows ? spansGroups(rows) : false), [rows, version]);
  return { sort, shown, flags, flagged, problem: named.problem, groupColumn };
}

/** Why no row is shown though the table has rows. */
function emptyText(filter: string, flaggedOnly: boolean): string {
  if (filter && flaggedOnly) return `No flagged element matches the filter “${filter}”.`;
  if (filter) return `No element matches the filter “${filter}”.`;
  return "No element is flagged.";
}

/** Rows picked with ctrl/cmd- and shift-click, belonging to one computation of the table. */
interface Selection {
  rows?: DiagnosticsState["rows"];
  picked: Set<number>;
  /** Display position of the last plain or ctrl/cmd click: where a shift-click range starts. */
  anchor: number;
}

function DiagnosticsSection({ view }: { view: DiagnosticsView }) {
  const state = useApp((s) => s.diagnostics);
  const query = useApp((s) => s.result?.query ?? s.view.query);
  const { hideDiagnostics, setDiagnosticsView, showWorstRhat, openElements } = useActions();
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [selection, setSelection] = useState<Selection>({ picked: new Set(), anchor: -1 });
  const { sort, shown, flags, flagged, problem, groupColumn } = useShownRows(state, view, flaggedOnly);
  const headingId = useId();
  const filterHint = useId();

  // A new computation starts with nothing selected.
  const picked = selection.rows === state?.rows ? selection.picked : new Set<number>();
  const anchor = selection.rows === state?.rows ? selection.anchor : -1;
  const select = (next: Set<number>, at: number) => setSelection({ rows: state?.rows, picked: next, anchor: at });

  const onRowClick = ({ row, position, toggle, range }: RowClick) => {
    if (range && anchor >= 0) {
      select(new Set([...picked, ...rowRange(shown, anchor, position)]), anchor);
    } else if (toggle || range) {
      const next = new Set(picked);
      if (!next.delete(row)) next.add(row);
      select(next, position);
    } else {
      void openElements([row]);
    }
  };
  const toggleRow = (row: number) => {
    const next = new Set(picked);
    if (!next.delete(row)) next.add(row);
    select(next, shown.indexOf(row));
  };

  const onSort = (key: SortKey) => setDiagnosticsView(key === sort ? { descending: !view.descending } : { sort: key, descending: false });
  const narrowed = view.limit > 0 || view.filter !== "" || flaggedOnly || sort !== "index" || view.descending;
  const total = state?.rows.length ?? 0;

  return (
    <section className="diagnostics" aria-labelledby={headingId}>
      <header className="diag-header">
        <h2 id={headingId}>Diagnostics</h2>
        <span className="muted diag-label">{state?.label ?? "run a query to diagnose its variables"}</span>
        <button type="button" className="diag-close" aria-label="Close diagnostics" title="Close" onClick={hideDiagnostics}>
          ✕
        </button>
      </header>
      <div className="diag-controls">
        <ScopeSelect scope={view.scope} query={query} />
        <label>
          Filter
          <input
            type="search"
            value={view.filter}
            placeholder="name or regex: ^beta"
            aria-describedby={problem ? filterHint : undefined}
            aria-invalid={problem ? true : undefined}
            spellCheck={false}
            onChange={(e) => setDiagnosticsView({ filter: e.target.value })}
          />
        </label>
        {problem && (
          <span id={filterHint} className="diag-filter-problem error">
            {problem}
          </span>
        )}
        <NumberField label="R-hat >" value={view.rhat} step={0.01} title="Flag rows whose R-hat is above this" onChange={(rhat) => setDiagnosticsView({ rhat })} />
        <NumberField label="ESS <" value={view.ess} step={100} title="Flag rows whose bulk or tail ESS is below this" onChange={(ess) => setDiagnosticsView({ ess })} />
        <label>
          <input type="checkbox" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.target.checked)} />
          Flagged only
        </label>
        <button type="button" aria-pressed={view.limit === WORST_RHAT_ROWS && sort === "rhat" && view.descending} onClick={showWorstRhat}>
          Worst {WORST_RHAT_ROWS} by R-hat
        </button>
        <button
          type="button"
          disabled={!narrowed}
          title="Every row, in the trace's order"
          onClick={() => {
            setFlaggedOnly(false);
            setDiagnosticsView({ limit: 0, filter: "", sort: "index", descending: false });
          }}
        >
          All rows
        </button>
      </div>
      <div className="diag-status">
        {state && <RunStatus state={state} />}
        {state && (
          <span className="diag-counts">
            {formatCount(total, "element")} · {formatNumber(flagged)} flagged
            {shown.length !== total && ` · ${formatNumber(shown.length)} shown`}
            {view.limit > 0 && shown.length === view.limit && ` (the first ${formatNumber(view.limit)})`}
          </span>
        )}
        {picked.size > 0 && (
          <span className="diag-selection">
            <button type="button" onClick={() => void openElements([...picked])}>
              Open {formatNumber(picked.size)} selected
            </button>
            <button type="button" onClick={() => select(new Set(), -1)}>
              Clear selection
            </button>
          </span>
        )}
      </div>
      {state && (
        <DiagnosticsGrid
          rows={state.rows}
          version={state.version}
          shown={shown}
          flags={flags}
          thresholds={{ rhat: view.rhat, ess: view.ess }}
          sort={sort}
          descending={view.descending}
          groupColumn={groupColumn}
          arrangement={[sort, view.descending, view.filter, view.limit, flaggedOnly].join(" ")}
          selected={picked}
          onSort={onSort}
          onRowClick={onRowClick}
          onOpen={(row) => void openElements(picked.has(row) && picked.size > 1 ? [...picked] : [row])}
          onToggle={toggleRow}
        />
      )}
      {state && !state.running && total > 0 && shown.length === 0 && (
        <p className="diag-empty" role="status">
          {emptyText(view.filter, flaggedOnly)} Change the filter or the thresholds, or show <strong>All rows</strong>.
        </p>
      )}
      <p className="muted diag-hint">Click a row to open its trace and density; ctrl/⌘-click or shift-click to pick several, Space picks with the keyboard, Enter opens.</p>
    </section>
  );
}

/** The diagnostics table, when the view shows it: convergence diagnostics of every element in scope. */
export function DiagnosticsTable() {
  const view = useApp((s) => s.view.diagnostics);
  return view ? <DiagnosticsSection view={view} /> : null;
}
