import type { OptionValue } from "../panels/types.ts";
import { DEFAULT_BUDGET_MB, newPanel, type ViewState } from "./view.ts";

export interface ViewActions {
  setQuery(query: string): void;
  insertSpec(spec: string): void;
  toggleGroup(group: string): void;
  /** Megabytes a query's table may take; the current query runs again under it. */
  setBudget(megabytes: number): void;
  addPanel(kind: string): void;
  removePanel(id: string): void;
  movePanel(id: string, delta: -1 | 1): void;
  setPanelOption(id: string, key: string, value: OptionValue): void;
}

interface Store {
  get(): { view: ViewState; result?: unknown; queryError?: unknown };
  setView(change: Partial<ViewState>): void;
  runQuery(): Promise<void>;
}

/** What the query bar, the group chips, the budget and the panels' headers and forms change in the view. */
export function createViewSlice(store: Store): ViewActions {
  const { get, setView } = store;
  return {
    setQuery: (query) => setView({ query }),

    insertSpec(spec) {
      const query = get().view.query.replace(/[\s,]*$/, "");
      setView({ query: query ? `${query}, ${spec}` : spec });
    },

    setBudget(megabytes) {
      setView({ budgetMB: megabytes === DEFAULT_BUDGET_MB ? undefined : megabytes });
      if (get().result || get().queryError) void store.runQuery();
    },

    toggleGroup(group) {
      const { groups } = get().view;
      const next = groups.includes(group) ? groups.filter((g) => g !== group) : [...groups, group];
      if (!next.length) return;
      setView({ groups: next });
      if (get().result) void store.runQuery();
    },

    addPanel: (kind) => setView({ panels: [...get().view.panels, newPanel(kind)] }),
    removePanel: (id) => setView({ panels: get().view.panels.filter((p) => p.id !== id) }),
    movePanel(id, delta) {
      const panels = [...get().view.panels];
      const from = panels.findIndex((p) => p.id === id);
      const to = from + delta;
      if (from < 0 || to < 0 || to >= panels.length) return;
      [panels[from], panels[to]] = [panels[to], panels[from]];
      setView({ panels });
    },
    setPanelOption(id, key, value) {
      setView({ panels: get().view.panels.map((p) => (p.id === id ? { ...p, options: { ...p.options, [key]: value } } : p)) });
    },
  };
}
