import { selectionSpec } from "../engine/diagnostics-output.ts";
import type { TraceTree } from "../engine/tree.ts";
import { EngineError, type EngineClient, type EngineJob } from "../worker/client.ts";
import { CANCELLED, type EngineErrorData, type LooSummary } from "../worker/protocol.ts";
import type { LooView, ViewState } from "./view.ts";

/** The PSIS-LOO section's computation: under way (observations done of the total), done, or failed. */
export interface LooState {
  /** The view it was computed for (variable and r_eff), to tell when the view asks for another. */
  key: string;
  running: boolean;
  done: number;
  total: number;
  result?: LooSummary;
  error?: EngineErrorData;
}

export interface LooActions {
  showLoo(): void;
  hideLoo(): void;
  /** Another variable or r_eff: computed again. */
  setLooView(change: Partial<LooView>): void;
  cancelLoo(): void;
  /** Query what the model predicted for observation `index` (its posterior predictive draws where the trace has them). */
  inspectObservation(index: number): Promise<void>;
}

const keyOf = (view: LooView) => `${view.variable ?? ""}|${view.rEff}`;

/** The spec of one observation of a LOO result: the predictive variable of the same name when the trace has it with those dimensions. */
export function observationSpec(tree: TraceTree, result: LooSummary, index: number): string {
  const name = result.variable.slice(result.variable.indexOf("/") + 1);
  const predictive = tree.groups.find((g) => g.name === "posterior_predictive")?.variables.find((v) => v.name === name);
  const variable = predictive && result.dims.every((d) => predictive.dims.includes(d)) ? `posterior_predictive/${name}` : result.variable;
  return selectionSpec(variable, result.dims, result.labels.map((labels) => [labels[index]]));
}

interface Store {
  get(): { view: ViewState; loo?: LooState; trace?: { tree: TraceTree } };
  set(change: { loo?: LooState | undefined }): void;
  setView(change: Partial<ViewState>): void;
  runQuery(): Promise<void>;
}

/**
 * The PSIS-LOO section's actions and its run: computed in the worker when shown (and when the view
 * changes what it asks for), one run at a time, apart from queries so that neither stops the other.
 */
export function createLooSlice(engine: EngineClient, store: Store): LooActions & { runLoo(): void; stopLoo(): void } {
  let running: EngineJob<LooSummary> | undefined;

  function stopLoo(): void {
    running?.cancel();
    running = undefined;
  }

  function runLoo(): void {
    stopLoo();
    const view = store.get().view.loo;
    if (!view || !store.get().trace) {
      store.set({ loo: undefined });
      return;
    }
    const job = engine.loo(view.variable, view.rEff, (progress) => {
      if (running === job) store.set({ loo: { ...store.get().loo!, done: progress.done, total: progress.total } });
    });
    running = job;
    store.set({ loo: { key: keyOf(view), running: true, done: 0, total: 0 } });
    job.result.then(
      (result) => {
        if (running !== job) return;
        running = undefined;
        store.set({ loo: { ...store.get().loo!, running: false, result, done: result.pointwise.elpd_loo.length } });
      },
      (error) => {
        if (running !== job) return;
        running = undefined;
        const data = error instanceof EngineError ? error.data : { name: "Error", message: String(error) };
        store.set({ loo: { ...store.get().loo!, running: false, error: data.name === CANCELLED ? { name: CANCELLED, message: "stopped before every observation was computed" } : data } });
      },
    );
  }

  return {
    runLoo,
    stopLoo,
    showLoo() {
      const { view, loo } = store.get();
      const wanted = view.loo ?? { rEff: "relative" };
      store.setView({ loo: wanted });
      if (loo?.key !== keyOf(wanted) || loo.error) runLoo();
    },
    hideLoo() {
      stopLoo();
      store.setView({ loo: undefined });
      store.set({ loo: undefined });
    },
    setLooView(change) {
      const current = store.get().view.loo;
      if (!current) return;
      store.setView({ loo: { ...current, ...change } });
      runLoo();
    },
    cancelLoo() {
      // The run's own rejection records that it was stopped.
      running?.cancel();
    },
    async inspectObservation(index) {
      const { loo, trace } = store.get();
      if (!loo?.result || !trace) return;
      store.setView({ query: observationSpec(trace.tree, loo.result, index) });
      await store.runQuery();
    },
  };
}
