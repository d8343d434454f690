import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { completionsAt, type Completions } from "./completion.ts";
import { LooButton } from "./LooSection.tsx";
import { useActions, useApp } from "./context.ts";
import { DEFAULT_BUDGET_MB, parseBudget } from "../state/view.ts";
import { OversizeNote, QueryError } from "./QueryError.tsx";
import "./QueryBar.css";

/** Groups with draws that specs without a prefix can read from; several stack with `source`. */
function GroupPicker() {
  const trace = useApp((s) => s.trace);
  const groups = useApp((s) => s.view.groups);
  const { toggleGroup } = useActions();
  const sampled = trace?.tree.groups.filter((g) => g.sampleDims.length > 0) ?? [];
  if (sampled.length < 2) return null;
  return (
    <div className="group-picker" role="group" aria-label="Groups to read from">
      <span className="muted">from</span>
      {sampled.map((g) => (
        <button key={g.name} type="button" className="chip" aria-pressed={groups.includes(g.name)} onClick={() => toggleGroup(g.name)}>
          {g.name}
        </button>
      ))}
    </div>
  );
}

/** The most memory a query's table may take; a larger query is refused before anything is read. */
function BudgetInput() {
  const budget = useApp((s) => s.view.budgetMB ?? DEFAULT_BUDGET_MB);
  const { setBudget } = useActions();
  const [text, setText] = useState(String(budget));
  useEffect(() => setText(String(budget)), [budget]);
  const commit = () => {
    const megabytes = parseBudget(text);
    if (megabytes === undefined) setText(String(budget));
    else if (megabytes !== budget) setBudget(megabytes);
  };
  return (
    <label className="budget" title="The most memory a query's table may take in this page; a larger query is refused before anything is read">
      Budget
      <input
        type="number"
        min={1}
        step="any"
        value={text}
        aria-label="Memory budget in MB"
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          commit();
        }}
      />
      MB
    </label>
  );
}

/** Shows or hides the diagnostics table (R-hat, ESS, ... of every element in scope). */
function DiagnosticsButton() {
  const shown = useApp((s) => s.view.diagnostics !== undefined);
  const trace = useApp((s) => s.trace);
  const { showDiagnostics, hideDiagnostics } = useActions();
  return (
    <button type="button" aria-pressed={shown} disabled={!trace} title="Convergence diagnostics (R-hat, ESS, MCSE) of every element" onClick={() => (shown ? hideDiagnostics() : showDiagnostics())}>
      Diagnostics
    </button>
  );
}

/** The query bar: specs with completion of group, variable and dim names; Enter runs the query. */
export function QueryBar() {
  const query = useApp((s) => s.view.query);
  const groups = useApp((s) => s.view.groups);
  const trace = useApp((s) => s.trace);
  const queryError = useApp((s) => s.queryError);
  const oversize = useApp((s) => s.result?.oversize);
  const { setQuery, runQuery } = useActions();
  const input = useRef<HTMLInputElement>(null);
  const [list, setList] = useState<Completions | null>(null);
  const [active, setActive] = useState(-1);

  const suggest = (text: string, caret: number) => {
    if (!trace) return;
    const found = completionsAt(text, caret, trace.tree, groups);
    const typed = text.slice(found.from, caret);
    const exact = found.items.length === 1 && found.items[0].insert === text.slice(found.from, found.to);
    setList(found.items.length && !exact && (typed || /[[/,]\s*$/.test(text.slice(0, caret))) ? found : null);
    setActive(-1);
  };

  const accept = (index: number) => {
    if (!list) return;
    const item = list.items[index];
    const next = query.slice(0, list.from) + item.insert + query.slice(list.to);
    const caret = list.from + item.insert.length;
    setQuery(next);
    setList(null);
    requestAnimationFrame(() => input.current?.setSelectionRange(caret, caret));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const count = list?.items.length ?? 0;
    if (e.key === "ArrowDown" && count) {
      e.preventDefault();
      setActive((a) => (a + 1) % count);
    } else if (e.key === "ArrowUp" && count) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? count - 1 : a - 1));
    } else if (e.key === "Tab" && count && !e.shiftKey) {
      e.preventDefault();
      accept(Math.max(active, 0));
    } else if (e.key === "Enter" && count && active >= 0) {
      e.preventDefault();
      accept(active);
    } else if (e.key === "Escape" && list) {
      e.preventDefault();
      setList(null);
    } else if (e.key === " " && e.ctrlKey) {
      e.preventDefault();
      const caret = e.currentTarget.selectionStart ?? query.length;
      if (trace) setList(completionsAt(query, caret, trace.tree, groups));
    }
  };

  const options = list?.items ?? [];

  // "/" anywhere outside a form control jumps to the query, as in most search-first tools.
  useEffect(() => {
    const focusQuery = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || target.closest("input, select, textarea, [contenteditable]")) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener("keydown", focusQuery);
    return () => window.removeEventListener("keydown", focusQuery);
  }, []);

  return (
    <div className="query-bar">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setList(null);
          void runQuery();
        }}
      >
        <div className="combo">
          <input
            id="query-input"
            ref={input}
            role="combobox"
            aria-label="Query"
            aria-expanded={options.length > 0}
            aria-controls="query-completions"
            aria-autocomplete="list"
            aria-activedescendant={active >= 0 ? `completion-${active}` : undefined}
            aria-describedby={queryError ? "query-error" : "query-hint"}
            aria-invalid={queryError ? true : undefined}
            placeholder={trace ? "beta[groups], sigma" : "Open a trace first"}
            value={query}
            disabled={!trace}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setQuery(e.target.value);
              suggest(e.target.value, e.target.selectionStart ?? e.target.value.length);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setList(null)}
          />
          {options.length > 0 && (
            <ul id="query-completions" role="listbox" aria-label="Completions">
              {options.map((item, i) => (
                <li
                  key={`${item.label}-${i}`}
                  id={`completion-${i}`}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    accept(i);
                  }}
                >
                  <span className="spec">{item.label}</span>
                  <span className="muted">{item.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit" disabled={!trace}>
          Run
        </button>
        <DiagnosticsButton />
        <LooButton />
      </form>
      <div className="query-options">
        <GroupPicker />
        <BudgetInput />
      </div>
      {queryError ? (
        <QueryError error={queryError.error} query={queryError.query} />
      ) : oversize ? (
        <OversizeNote message={oversize} />
      ) : (
        <p id="query-hint" className="hint muted">
          Specs separated by commas, e.g. <code>beta[groups], sigma</code> or <code>posterior_predictive/y[obs_ind]</code>, and expressions of them, e.g.{" "}
          <code>d = beta[groups] - beta[groups=North]</code>. Tab completes, Enter runs, / comes back here.
        </p>
      )}
    </div>
  );
}
