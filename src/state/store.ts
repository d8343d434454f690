import type { TableShape } from "../engine/table-shape.ts";
import { createStore, type StoreApi } from "zustand/vanilla";
import { ownDims, type TraceTree } from "../engine/tree.ts";
import type { OptionValue } from "../panels/types.ts";
import { errorDataOf, type EngineClient, type EngineJob } from "../worker/client.ts";
import type { EngineErrorData, OpenedTrace, TaskProgress, TraceSource } from "../worker/protocol.ts";
import { specOf } from "../engine/spec-text.ts";
import { isDrawscopeError } from "../engine/errors.ts";
import { modelName } from "../engine/stack-models.ts";
import { createDiagnosticsSlice, type DiagnosticsActions, type DiagnosticsState } from "./diagnostics-slice.ts";
import { createLooSlice, type LooActions, type LooState } from "./loo-slice.ts";
import { decodeView, type DecodedLink } from "./url-codec.ts";
import { DEFAULT_BUDGET_MB, DEFAULT_GROUPS, initialView, newPanel, QUERY_SCOPE, type LinkedModel, type SharedView, type TraceRef, type ViewState } from "./view.ts";

export interface OpenedTraceState {
  tree: TraceTree;
  fingerprint: string;
  ref: TraceRef;
}

/** A model open beside others: its trace, and the name its rows carry in the model column. */
export interface ModelState extends OpenedTraceState {
  name: string;
}

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

/** Work under way in the worker, shown as a progress bar with Cancel. */
export interface Task {
  kind: "open" | "query";
  label: string;
  progress?: TaskProgress;
}

export interface AppState {
  view: ViewState;
  diagnostics?: DiagnosticsState;
  loo?: LooState;
  /** The first model's trace: the one whose structure the query bar completes and links describe. */
  trace?: OpenedTraceState;
  /** Every model open, the first being `trace`; several stack their query's rows by a model column. */
  models: ModelState[];
  /** The next trace opened (by drop, Open file, folder or URL) is added beside the others as a model. */
  addingModel: boolean;
  /** Models a link named that are on the link maker's computer: opening one adds it, under the link's name. */
  linkedModels: LinkedModel[];
  /** The last query's table: its id in the worker (panels ask the worker for what they draw) and its shape. */
  result?: { table: number; shape: TableShape; query: string; groups: string[]; oversize?: string };
  queryError?: { error: EngineErrorData; query: string };
  notice?: Notice;
  task?: Task;
  /** A linked view waiting for its trace (dropped by the user, or matching after a mismatch). */
  pendingLink?: DecodedLink;
}

export interface AppActions extends LooActions, DiagnosticsActions {
  openSource(source: TraceSource, ref: TraceRef, label: string): Promise<void>;
  /** Whether the next trace opened is added as another model instead of replacing those open. */
  setAddingModel(adding: boolean): void;
  renameModel(index: number, name: string): Promise<void>;
  removeModel(index: number): Promise<void>;
  openExample(): Promise<void>;
  openUrl(url: string): Promise<void>;
  /** Restore the view a link's fragment describes (opening its trace when it can). */
  startFromLink(hash: string): Promise<void>;
  runQuery(): Promise<void>;
  setQuery(query: string): void;
  insertSpec(spec: string): void;
  toggleGroup(group: string): void;
  /** Megabytes a query's table may take; the current query runs again under it. */
  setBudget(megabytes: number): void;
  addPanel(kind: string): void;
  removePanel(id: string): void;
  movePanel(id: string, delta: -1 | 1): void;
  setPanelOption(id: string, key: string, value: OptionValue): void;
  cancelTask(): void;
  /** Something the user handed over cannot be opened (said before the worker sees it). */
  rejectInput(message: string): void;
  dismissNotice(): void;
  applyPendingLink(): Promise<void>;
}

/** The app's state and actions, and the engine client panels ask for their data. */
export type AppStore = StoreApi<AppState> & { actions: AppActions; engine: EngineClient };

const EXAMPLE_NAME = "grouped_regression.zarr.zip";

/** A message as a sentence, ending with a full stop. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

const isCancelled = (error: unknown) => isDrawscopeError(error, "cancelled");

/** The groups a fresh view reads from: `posterior`, or else the first group with draws. */
function defaultGroups(tree: TraceTree): string[] {
  if (tree.groups.some((g) => g.name === "posterior")) return [...DEFAULT_GROUPS];
  const sampled = tree.groups.find((g) => g.sampleDims.length > 0) ?? tree.groups[0];
  return sampled ? [sampled.name] : [...DEFAULT_GROUPS];
}

/** A first query runs by itself only when it is this small; a bigger one waits for Enter. */
const AUTO_RUN_ROWS = 2_000_000;

/** A first query worth drawing: the group's first variable with one small dimension, or its first. */
function defaultQuery(tree: TraceTree, group: string): { query: string; rows: number } {
  const variables = tree.groups.find((g) => g.name === group)?.variables ?? [];
  const small = variables.find((v) => {
    const dims = ownDims(v);
    return dims.length === 1 && v.shape[v.dims.indexOf(dims[0])] <= 24;
  });
  const first = small ?? variables[0];
  return first ? { query: specOf(first, group), rows: first.shape.reduce((a, b) => a * b, 1) } : { query: "", rows: 0 };
}

function describeRef(ref: TraceRef | undefined): string {
  if (!ref) return "a trace";
  if (ref.kind === "example") return `the example (${EXAMPLE_NAME})`;
  if (ref.kind === "url") return ref.url;
  return `‘${ref.label}’`;
}

export function createAppStore(engine: EngineClient, exampleUrl: string): AppStore {
  const store = createStore<AppState>(() => ({ view: initialView(), models: [], addingModel: false, linkedModels: [] }));
  const { getState: get, setState: set } = store;
  let job: EngineJob<unknown> | undefined;
  /** The example's download, before the worker has it: Cancel stops it too. */
  let download: AbortController | undefined;

  const setView = (change: Partial<ViewState>) => set({ view: { ...get().view, ...change } });
  const loo = createLooSlice(engine, { get, set, setView, runQuery: () => actions.runQuery() });
  const diagnostics = createDiagnosticsSlice(engine, { get, set, setView, runQuery: () => actions.runQuery(), defaultScope: (tree) => defaultGroups(tree)[0] });

  function track<T>(next: EngineJob<T>): EngineJob<T> {
    job?.cancel();
    job = next;
    return next;
  }

  function stillOpen(): string {
    const { trace } = get();
    return trace ? ` Still open: ${describeRef(trace.ref)}.` : "";
  }

  const cancelled = (what: string): Notice => ({ tone: "info", title: "Opening cancelled", text: `${what} was not opened.${stillOpen()}`, actions: ["dismiss"] });

  async function applyLink(link: DecodedLink) {
    const {
      shared: { view },
      problems,
    } = link;
    const tree = get().trace?.tree;
    // A link that names only the trace (`#trace=example`) opens it as a fresh open would.
    const query = view.query || (tree ? defaultQuery(tree, view.groups[0]).query : "");
    set({
      view: { ...view, query, panels: view.panels.length ? view.panels : initialView().panels },
      pendingLink: undefined,
      notice: problems.length ? { tone: "info", title: "Parts of the link could not be used", text: `${problems.join(". ")}.`, actions: ["dismiss"] } : undefined,
    });
    if (query) await actions.runQuery();
    if (view.diagnostics && get().diagnostics?.label !== diagnostics.scopeLabel(view.diagnostics.scope)) diagnostics.runDiagnostics();
    if (view.loo) loo.runLoo();
    await addLinkedModels(link.shared);
  }

  /**
   * The models a link names beside its first trace: the first renamed as in the link, the example
   * and URL traces reopened and added, and the ones on the link maker's computer listed in a
   * notice, to add with Add model.
   */
  async function addLinkedModels(shared: SharedView): Promise<void> {
    const wanted = shared.models ?? [];
    if (!wanted.length) return;
    if (shared.firstModel && get().models[0]?.name !== shared.firstModel) await actions.renameModel(0, shared.firstModel);
    const local: string[] = [];
    const changed: string[] = [];
    set({ linkedModels: wanted.filter((m) => m.trace.kind === "local") });
    for (const model of wanted) {
      if (model.trace.kind === "local") {
        local.push(`‘${model.trace.label}’ as ${model.name}`);
        continue;
      }
      let source: TraceSource;
      if (model.trace.kind === "url") source = { kind: "url", url: model.trace.url };
      else {
        const response = await fetch(exampleUrl).catch(() => undefined);
        if (!response?.ok) continue;
        source = { kind: "zip", blob: await response.blob(), name: EXAMPLE_NAME };
      }
      set({ addingModel: true });
      const before = get().models.length;
      await actions.openSource(source, model.trace, model.name);
      const added = get().models[before];
      if (added && model.fingerprint && added.fingerprint !== model.fingerprint) changed.push(added.name);
    }
    const parts = [
      local.length ? `Drop or open ${local.join(", ")}: ${local.length === 1 ? "it is" : "they are"} on the computer the link was made on, and will be added beside the first.` : "",
      changed.length ? `${changed.join(", ")} ${changed.length === 1 ? "is not the trace" : "are not the traces"} the link was made with (different structure).` : "",
    ].filter(Boolean);
    if (parts.length) set({ notice: { tone: "info", title: "This link compares several models", text: parts.join(" "), actions: ["dismiss"] } });
  }

  /** After a model was added, renamed or removed: the query read again from every model, and the LOO section recomputed. */
  async function modelsChanged(): Promise<void> {
    if (get().view.loo) loo.runLoo();
    if (get().result || get().view.query) await actions.runQuery();
  }

  /** Keep the models at `keep` (in that order) with `names`, in the worker and here. */
  async function keepModels(keep: number[], names: string[]): Promise<void> {
    const models = get().models;
    try {
      await engine.models(keep, names).result;
    } catch (error) {
      set({ notice: { tone: "error", title: "The models could not be changed", text: sentence(errorDataOf(error).message), details: errorDataOf(error).details, actions: ["dismiss"] } });
      return;
    }
    const kept = keep.map((index, k) => ({ ...models[index], name: names[k] }));
    set({ models: kept, trace: kept[0] && { tree: kept[0].tree, fingerprint: kept[0].fingerprint, ref: kept[0].ref } });
    await modelsChanged();
  }

  const actions: AppActions = {
    setAddingModel(adding) {
      set({ addingModel: adding && get().trace !== undefined });
    },
    async renameModel(index, name) {
      const models = get().models;
      const wanted = name.trim();
      if (!wanted || wanted === models[index]?.name) return;
      if (models.some((m, i) => i !== index && m.name === wanted)) {
        set({ notice: { tone: "error", title: "Two models cannot share a name", text: `Another model is named ${wanted}: choose a name of its own.`, actions: ["dismiss"] } });
        return;
      }
      await keepModels(
        models.map((_, i) => i),
        models.map((m, i) => (i === index ? wanted : m.name)),
      );
    },
    async removeModel(index) {
      const models = get().models;
      if (models.length < 2) return;
      const keep = models.map((_, i) => i).filter((i) => i !== index);
      await keepModels(
        keep,
        keep.map((i) => models[i].name),
      );
    },
    showLoo: loo.showLoo,
    hideLoo: loo.hideLoo,
    setLooView: loo.setLooView,
    cancelLoo: loo.cancelLoo,
    inspectObservation: loo.inspectObservation,
    showDiagnostics: diagnostics.showDiagnostics,
    hideDiagnostics: diagnostics.hideDiagnostics,
    setDiagnosticsView: diagnostics.setDiagnosticsView,
    showWorstRhat: diagnostics.showWorstRhat,
    cancelDiagnostics: diagnostics.cancelDiagnostics,
    openElements: diagnostics.openElements,
    async openSource(source, ref, label) {
      // A trace a link named as one of its models (on the link maker's computer) is added as that model, under its name.
      const linkedModel = ref.kind === "local" ? get().linkedModels.find((m) => m.trace.kind === "local" && m.trace.label === label) : undefined;
      const adding = (get().addingModel || linkedModel !== undefined) && get().trace !== undefined;
      const name = linkedModel && !get().models.some((m) => m.name === linkedModel.name) ? linkedModel.name : modelName(label, adding ? get().models.map((m) => m.name) : []);
      const task: Task = { kind: "open", label: adding ? `Adding ${label} as model ${name}…` : `Opening ${label}…` };
      const opening = track(engine.open(source, (progress) => job === opening && set({ task: { ...task, progress } }), { name, add: adding }));
      set({ task });
      let opened: OpenedTrace;
      try {
        opened = await opening.result;
      } catch (error) {
        if (job === opening) set({ task: undefined });
        if (isCancelled(error)) {
          if (job === opening) set({ notice: cancelled(label) });
          return;
        }
        set({
          notice: {
            tone: "error",
            title: `Could not open ${label}`,
            text: `${sentence(errorDataOf(error).message)}${stillOpen()}`,
            details: errorDataOf(error).details,
            actions: ["dismiss"],
          },
        });
        return;
      }
      job = undefined;
      if (adding) {
        // Beside the others: the view stays; the query and the LOO section take the new model in.
        const changed = linkedModel?.fingerprint !== undefined && linkedModel.fingerprint !== opened.fingerprint;
        set({
          models: [...get().models, { ...opened, ref, name }],
          linkedModels: get().linkedModels.filter((m) => m !== linkedModel),
          addingModel: false,
          task: undefined,
          notice: changed
            ? {
                tone: "info",
                title: `${name} is not the trace the link was made with`,
                text: `${label} has different groups, variables or shapes than the link's model ${name}; it was added all the same.`,
                actions: ["dismiss"],
              }
            : undefined,
        });
        await modelsChanged();
        return;
      }
      const pending = get().pendingLink;
      diagnostics.stopDiagnostics();
      loo.stopLoo();
      set({
        trace: { ...opened, ref },
        models: [{ ...opened, ref, name }],
        addingModel: false,
        linkedModels: [],
        result: undefined,
        queryError: undefined,
        task: undefined,
        notice: undefined,
        diagnostics: undefined,
        loo: undefined,
      });
      const linked = pending?.shared;
      if (pending && (!linked?.fingerprint || linked.fingerprint === opened.fingerprint)) {
        await applyLink(pending);
        return;
      }
      if (linked) {
        set({
          notice: {
            tone: "error",
            title: "This is not the trace the link was made for",
            text:
              `The link shows a view of ${describeRef(linked.trace)}, but ${describeRef(ref)} has different groups, variables or shapes ` +
              `(fingerprint ${opened.fingerprint}, the link's is ${linked.fingerprint}). The linked view was not applied: ` +
              `open the matching trace, or apply the view anyway.`,
            actions: ["apply-link", "dismiss"],
            aboutLink: true,
          },
        });
      }
      const groups = defaultGroups(opened.tree);
      const first = defaultQuery(opened.tree, groups[0]);
      const table = get().view.diagnostics;
      setView({ groups, query: first.query, diagnostics: table && { ...table, scope: defaultGroups(opened.tree)[0] } });
      if (table) diagnostics.runDiagnostics();
      if (get().view.loo) loo.runLoo();
      if (first.query && first.rows <= AUTO_RUN_ROWS) await actions.runQuery();
      else if (first.query && !get().notice) {
        set({
          notice: {
            tone: "info",
            title: "Ready to read",
            text: `${first.query} is ${first.rows.toLocaleString("en-US")} values, so it was not read yet: press Enter in the query bar to read it, or ask for less.`,
            actions: ["dismiss"],
            untilQuery: true,
          },
        });
      }
    },

    async openExample() {
      set({ task: { kind: "open", label: `Opening the example…` } });
      // Opening replaces whatever the worker was doing.
      job?.cancel();
      download?.abort();
      const controller = new AbortController();
      download = controller;
      let blob: Blob;
      try {
        const response = await fetch(exampleUrl, { signal: controller.signal });
        if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
        blob = await response.blob();
      } catch (error) {
        if (controller.signal.aborted) {
          if (download === controller) {
            set({ task: undefined, notice: cancelled("The example") });
          }
          return;
        }
        set({
          task: undefined,
          notice: {
            tone: "error",
            title: "The bundled example is missing",
            text: `${exampleUrl} could not be loaded: ${(error as Error).message}. Start the app with npm start, which bundles it.`,
            actions: ["dismiss"],
          },
        });
        return;
      }
      download = undefined;
      await actions.openSource({ kind: "zip", blob, name: EXAMPLE_NAME }, { kind: "example" }, "the example");
    },

    openUrl(url) {
      return actions.openSource({ kind: "url", url }, { kind: "url", url }, url);
    },

    async startFromLink(hash) {
      const link = decodeView(hash);
      if (!link) return;
      set({ pendingLink: link });
      const { trace, fingerprint } = link.shared;
      if (trace?.kind === "example") return actions.openExample();
      if (trace?.kind === "url") return actions.openUrl(trace.url);
      if (get().trace && (!fingerprint || fingerprint === get().trace?.fingerprint)) return applyLink(link);
      set({
        notice: {
          tone: "info",
          title: "Open the trace to see this view",
          text:
            `This link shows a view of ${describeRef(trace)}, a trace on the computer it was made on. ` +
            `Drop that trace on this page, or open it with Open folder or Open file; the view is applied once its structure matches.`,
          actions: ["dismiss"],
          aboutLink: true,
        },
      });
    },

    async runQuery() {
      const { view, trace } = get();
      if (!trace) return;
      const { query, groups } = view;
      const budget = (view.budgetMB ?? DEFAULT_BUDGET_MB) * 1e6;
      const extracting = track(
        engine.extract(query, groups, budget, (progress) => {
          if (job === extracting) set({ task: { kind: "query", label: `Reading ${query}`, progress } });
        }),
      );
      set({ task: { kind: "query", label: `Reading ${query}` } });
      try {
        const { table, shape, oversize } = await extracting.result;
        if (job !== extracting) return;
        job = undefined;
        set({ result: { table, shape, query, groups, oversize }, queryError: undefined, task: undefined, notice: get().notice?.untilQuery ? undefined : get().notice });
        if (get().view.diagnostics?.scope === QUERY_SCOPE && get().diagnostics?.label !== query) diagnostics.runDiagnostics();
      } catch (error) {
        if (job !== extracting) return;
        job = undefined;
        set({ task: undefined });
        if (!isCancelled(error)) set({ queryError: { error: errorDataOf(error), query } });
      }
    },

    setQuery: (query) => setView({ query }),

    insertSpec(spec) {
      const query = get().view.query.replace(/[\s,]*$/, "");
      setView({ query: query ? `${query}, ${spec}` : spec });
    },

    setBudget(megabytes) {
      setView({ budgetMB: megabytes === DEFAULT_BUDGET_MB ? undefined : megabytes });
      if (get().result || get().queryError) void actions.runQuery();
    },

    toggleGroup(group) {
      const { groups } = get().view;
      const next = groups.includes(group) ? groups.filter((g) => g !== group) : [...groups, group];
      if (!next.length) return;
      setView({ groups: next });
      if (get().result) void actions.runQuery();
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

    cancelTask() {
      download?.abort();
      job?.cancel();
    },

    rejectInput(message) {
      set({ notice: { tone: "error", title: "Cannot open that", text: `${sentence(message)}${stillOpen()}`, actions: ["dismiss"] } });
    },

    dismissNotice() {
      const { notice } = get();
      set({ notice: undefined, pendingLink: notice?.aboutLink ? undefined : get().pendingLink });
    },

    async applyPendingLink() {
      const pending = get().pendingLink;
      if (pending) await applyLink(pending);
    },
  };

  return Object.assign(store, { actions, engine });
}
