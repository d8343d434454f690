import { selectionSpec } from "../engine/spec-text.ts";
import type { TraceTree } from "../engine/trace-tree.ts";
import { errorDataOf, type EngineClient, type EngineJob } from "../worker/client.ts";
import type { EngineErrorData, LooResults, LooSummary } from "../worker/protocol.ts";
import type { LooView, ViewState } from "./view.ts";

/** The PSIS-LOO section's computation: under way (observations done of the total), done, or failed. */
export interface LooState {
  /** The view it was computed for (variable and r_eff), to tell when the view asks for another. */
  key: string;
  running: boolean;
  done: number;
  total: number;
  /** Every model's PSIS-LOO, and with several the comparison. */
  results?: LooResults;
  error?: EngineErrorData;
}

export interface LooActions {
  showLoo(): void;
  hideLoo(): void;
  /** Another variable or r_eff: computed again. */
  setLooView(change: Partial<LooView>): void;
  cancelLoo(): void;
  /** Query what the models predicted for observation `index` of model `model`'s result (its posterior predictive draws where the trace has them). */
  inspectObservation(index: number, model?: number): Promise<void>;
}

const keyOf = (view: LooView, models: number) => `${view.variable ?? ""}|${view.rEff}|${view.reference ?? ""}|${models}`;

/** The spec of one observation of a LOO result: the predictive variable of the same name when the trace has it with those dimensions. */
export function observationSpec(tree: TraceTree, result: LooSummary, index: number): string {
  const name = result.variable.slice(result.variable.indexOf("/") + 1);
  const predictive = tree.groups.find((g) => g.name === "posterior_predictive")?.variables.find((v) => v.name === name);
  const variable = predictive && result.dims.every((d) => predictive.dims.includes(d)) ? `posterior_predictive/${name}` : result.variable;
  return selectionSpec(
    variable,
    result.dims,
    result.labels.map((labels) => [labels[index]]),
  );
}

interface Store {
  get(): { view: ViewState; loo?: LooState; trace?: { tree: TraceTree }; models: readonly unknown[] };
  set(change: { loo?: LooState | undefined }): void;
  setView(change: Partial<ViewState>): void;
  runQuery(): Promise<void>;
}

/**
 * The PSIS-LOO section's actions and its run: computed in the worker when shown (and when the view
 * or the models open change what it asks for), one run at a time, apart from queries so that
 * neither stops the other.
 */
export function createLooSlice(engine: EngineClient, store: Store): LooActions & { runLoo(): void; stopLoo(): void } {
  let running: EngineJob<LooResults> | undefined;

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
    const job = engine.loo(view.variable, view.rEff, view.reference, (progress) => {
      if (running === job) store.set({ loo: { ...store.get().loo!, done: progress.done, total: progress.total } });
    });
    running = job;
    store.set({ loo: { key: keyOf(view, store.get().models.length), running: true, done: 0, total: 0 } });
    job.result.then(
      (results) => {
        if (running !== job) return;
        running = undefined;
        store.set({ loo: { ...store.get().loo!, running: false, results, done: results.models.reduce((n, r) => n + r.pointwise.elpd_loo.length, 0) } });
      },
      (error) => {
        if (running !== job) return;
        running = undefined;
        const data = errorDataOf(error);
        store.set({ loo: { ...store.get().loo!, running: false, error: data.tag === "cancelled" ? { tag: "cancelled", message: "stopped before every observation was computed" } : data } });
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
      if (loo?.key !== keyOf(wanted, store.get().models.length) || loo.error) runLoo();
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
    async inspectObservation(index, model = 0) {
      const { loo, trace } = store.get();
      const result = loo?.results?.models[model];
      if (!result || !trace) return;
      store.setView({ query: observationSpec(trace.tree, result, index) });
      await store.runQuery();
    },
  };
}
