import { isDrawscopeError } from "../engine/errors.ts";
import { modelName } from "../engine/stack-models.ts";
import type { TableShape } from "../engine/table-shape.ts";
import { errorDataOf, type EngineClient, type EngineJob } from "../worker/client.ts";
import type { EngineErrorData, OpenedTrace, TaskProgress, TraceSource } from "../worker/protocol.ts";
import { createStore, type StoreApi } from "zustand/vanilla";
import { createDiagnosticsSlice, type DiagnosticsActions, type DiagnosticsState } from "./diagnostics-slice.ts";
import { fetchExample } from "./example.ts";
import { AUTO_RUN_ROWS, defaultGroups, defaultQuery } from "./first-view.ts";
import { createLooSlice, type LooActions, type LooState } from "./loo-slice.ts";
import { createModelsSlice, type ModelsActions, type ModelState, type OpenedTraceState } from "./models-slice.ts";
import { describeRef, EXAMPLE_NAME, NOTICES, type Notice } from "./notices.ts";
import { decodeView, type DecodedLink } from "./url-codec.ts";
import { DEFAULT_BUDGET_MB, initialView, QUERY_SCOPE, type LinkedModel, type TraceRef, type ViewState } from "./view.ts";
import { createViewSlice, type ViewActions } from "./view-slice.ts";

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

export interface AppActions extends LooActions, DiagnosticsActions, ModelsActions, ViewActions {
  openSource(source: TraceSource, ref: TraceRef, label: string): Promise<void>;
  openExample(): Promise<void>;
  openUrl(url: string): Promise<void>;
  /** Restore the view a link's fragment describes (opening its trace when it can). */
  startFromLink(hash: string): Promise<void>;
  runQuery(): Promise<void>;
  cancelTask(): void;
  /** Something the user handed over cannot be opened (said before the worker sees it). */
  rejectInput(message: string): void;
  dismissNotice(): void;
  applyPendingLink(): Promise<void>;
}

/** The app's state and actions, and the engine client panels ask for their data. */
export type AppStore = StoreApi<AppState> & { actions: AppActions; engine: EngineClient };

const isCancelled = (error: unknown) => isDrawscopeError(error, "cancelled");

export function createAppStore(engine: EngineClient, exampleUrl: string): AppStore {
  const store = createStore<AppState>(() => ({ view: initialView(), models: [], addingModel: false, linkedModels: [] }));
  const { getState: get, setState: set } = store;
  let job: EngineJob<unknown> | undefined;
  /** The example's download, before the worker has it: Cancel stops it too. */
  let download: AbortController | undefined;

  const setView = (change: Partial<ViewState>) => set({ view: { ...get().view, ...change } });
  const loo = createLooSlice(engine, { get, set, setView, runQuery: () => actions.runQuery() });
  const diagnostics = createDiagnosticsSlice(engine, { get, set, setView, runQuery: () => actions.runQuery(), defaultScope: (tree) => defaultGroups(tree)[0] });
  const { modelsChanged, addLinkedModels, ...models } = createModelsSlice(engine, {
    get,
    set,
    runQuery: () => actions.runQuery(),
    runLoo: loo.runLoo,
    openSource: (source, ref, label) => actions.openSource(source, ref, label),
    exampleUrl,
  });
  const viewActions = createViewSlice({ get, setView, runQuery: () => actions.runQuery() });

  function track<T>(next: EngineJob<T>): EngineJob<T> {
    job?.cancel();
    job = next;
    return next;
  }

  function stillOpen(): string {
    const { trace } = get();
    return trace ? ` Still open: ${describeRef(trace.ref)}.` : "";
  }

  const cancelled = (what: string) => NOTICES.openingCancelled(what, stillOpen());

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
      notice: problems.length ? NOTICES.linkProblems(problems) : undefined,
    });
    if (query) await actions.runQuery();
    if (view.diagnostics && get().diagnostics?.label !== diagnostics.scopeLabel(view.diagnostics.scope)) diagnostics.runDiagnostics();
    if (view.loo) loo.runLoo();
    await addLinkedModels(link.shared);
  }

  const actions: AppActions = {
    ...models,
    ...viewActions,
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
        set({ notice: NOTICES.couldNotOpen(label, errorDataOf(error), stillOpen()) });
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
          notice: changed ? NOTICES.notTheLinkedModel(name, label) : undefined,
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
        set({ notice: NOTICES.notTheLinkedTrace(linked.trace, ref, opened.fingerprint, linked.fingerprint) });
      }
      const groups = defaultGroups(opened.tree);
      const first = defaultQuery(opened.tree, groups[0]);
      const table = get().view.diagnostics;
      setView({ groups, query: first.query, diagnostics: table && { ...table, scope: defaultGroups(opened.tree)[0] } });
      if (table) diagnostics.runDiagnostics();
      if (get().view.loo) loo.runLoo();
      if (first.query && first.rows <= AUTO_RUN_ROWS) await actions.runQuery();
      else if (first.query && !get().notice) {
        set({ notice: NOTICES.readyToRead(first.query, first.rows) });
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
        blob = await fetchExample(exampleUrl, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) {
          if (download === controller) {
            set({ task: undefined, notice: cancelled("The example") });
          }
          return;
        }
        set({ task: undefined, notice: NOTICES.exampleMissing(exampleUrl, (error as Error).message) });
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
      set({ notice: NOTICES.linkedTraceElsewhere(trace) });
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

    cancelTask() {
      download?.abort();
      job?.cancel();
    },

    rejectInput(message) {
      set({ notice: NOTICES.cannotOpen(message, stillOpen()) });
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
