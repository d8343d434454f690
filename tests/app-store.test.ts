import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import { tableShape } from "../src/engine/table-shape.ts";
import { panelData } from "../src/panels/data-registry.ts";
import { tableBlob } from "../src/worker/table-file.ts";
import { describe, expect, it } from "vitest";
import { diagnosticsTable } from "../src/engine/diagnostics-output.ts";
import { stackModels } from "../src/engine/stack-models.ts";
import { comparedLoo, looCompare } from "../src/engine/stats/loo-compare.ts";
import { traceFingerprint } from "../src/engine/fingerprint.ts";
import { openPath } from "../src/engine/store/node.ts";
import type { Trace } from "../src/engine/trace.ts";
import { createAppStore } from "../src/state/store.ts";
import { encodeView } from "../src/state/url-codec.ts";
import { EngineError, type EngineClient, type EngineJob } from "../src/worker/client.ts";
import { errorData } from "../src/worker/error-data.ts";
import type { ExtractedTable, OpenedTrace } from "../src/worker/protocol.ts";

/** The signal of work not cancelled: errors cross as the worker sends them (errorData). */
const LIVE = new AbortController().signal;
import { openTrace } from "../src/engine/trace.ts";
import { FIXTURES } from "./golden.ts";
import { dims, memoryStore, zarray } from "./memory-store.ts";

const grouped = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const eight = await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"));
const FILE = { kind: "zip", blob: new Blob([]), name: "t.zip" } as const;

/** An engine that answers from traces opened in Node; `hold` keeps the next extraction pending. */
function fakeEngine(traces: Record<string, Trace>) {
  let open: Trace | undefined;
  /** The models open, as the worker keeps them: several stack their tables by a model column. */
  let models: { name: string; trace: Trace }[] = [];
  /** The worker's tables by id, as the worker keeps them (only the last one). */
  let kept: { id: number; table: Table } | undefined;
  let nextId = 1;
  const tableOf = (id: number) => {
    if (kept?.id !== id) throw new EngineError({ tag: "request", message: "that query's table was replaced by a newer query's" });
    return kept.table;
  };
  const state = { hold: false, cancelled: 0 };
  const job = <T>(work: () => Promise<T>): EngineJob<T> => {
    let reject!: (e: Error) => void;
    const result = new Promise<T>((res, rej) => {
      reject = rej;
      if (!state.hold) work().then(res, rej);
    });
    return {
      result,
      cancel: () => {
        state.cancelled++;
        reject(new EngineError({ tag: "cancelled", message: "cancelled" }));
      },
    };
  };
  const engine: EngineClient = {
    open: (source, _progress, model) =>
      job(async (): Promise<OpenedTrace> => {
        const trace = traces[(source as { name: string }).name];
        const named = { name: model?.name ?? (source as { name: string }).name, trace };
        if (model?.add) models.push(named);
        else models = [named];
        open = models[0].trace;
        return { tree: trace.tree, fingerprint: traceFingerprint(trace.tree) };
      }),
    models: (keep, names) =>
      job(async () => {
        models = keep.map((i, k) => ({ name: names[k], trace: models[i].trace }));
        open = models[0]?.trace;
        return models.length;
      }),
    extract: (query, groups, budget) =>
      job(async (): Promise<ExtractedTable> => {
        try {
          const table =
            models.length > 1
              ? stackModels(await Promise.all(models.map(async (m) => ({ name: m.name, table: await m.trace.extract(query, { groups, budget }) }))))
              : await open!.extract(query, { groups, budget });
          kept = { id: nextId++, table };
          return { table: kept.id, shape: tableShape(table) };
        } catch (e) {
          throw new EngineError(errorData(e, LIVE));
        }
      }),
    panelData: (table, kind, options) => job(async () => structuredClone(panelData(kind).data(tableOf(table), options))),
    page: (table, offset, count) => job(async () => tableFromIPC(tableToIPC(tableOf(table).slice(offset, offset + count), "stream"))),
    exportTable: (table, format, panel) => job(async () => tableBlob(panel ? panelData(panel.kind).derived!(tableOf(table), panel.options) : tableOf(table), format)),
    diagnose: (scope, onRows) =>
      job(() =>
        open!.diagnose(scope, { onBlock: (block) => onRows(tableFromIPC(tableToIPC(diagnosticsTable(block), "stream"))) }).catch((e: Error) => {
          throw new EngineError(errorData(e, LIVE));
        }),
      ),
    loo: (variable, rEff, reference) =>
      job(async () => {
        try {
          const summaries = [];
          for (const m of models) {
            const result = await m.trace.loo({ variable, rEff });
            summaries.push({ ...result, labels: result.labels.map((labels) => labels.map(String)), model: m.name });
          }
          const compare =
            summaries.length > 1
              ? looCompare(
                  summaries.map((r) => comparedLoo(r.model, r)),
                  reference,
                )
              : undefined;
          return { models: summaries, compare };
        } catch (e) {
          throw new EngineError(errorData(e, LIVE));
        }
      }),
  };
  return { engine, state };
}

const settle = () => new Promise((r) => setTimeout(r, 50));
/** Wait (up to 10 s) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await settle();
}

describe("the app store", () => {
  it("opens a trace with a first query drawn, and keeps the last good result when a query fails", async () => {
    const { engine } = fakeEngine({ "a.zip": grouped });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "a.zip" }, { kind: "local", label: "a.zip" }, "a.zip");
    expect(store.getState().view.query).toBe("beta[groups]");
    expect(store.getState().result?.shape.numRows).toBe(6400);
    store.actions.setQuery("beta[group]");
    await store.actions.runQuery();
    expect(store.getState().queryError?.error.message).toBe("'beta' has no dimension 'group' (its dimensions are groups): did you mean 'groups'?");
    expect(store.getState().result?.query).toBe("beta[groups]");
  });

  it("leaves a big first query for the user to run", async () => {
    // 4 chains × 1000 draws × 1000 params, every chunk skipped as fill: 4,000,000 values.
    const big = await openTrace(
      memoryStore({
        ".zgroup": { zarr_format: 2 },
        "posterior/.zgroup": { zarr_format: 2 },
        "posterior/theta/.zarray": zarray("<f8", [4, 1000, 1000], [1, 1000, 1000], 0),
        "posterior/theta/.zattrs": dims("chain", "draw", "param"),
      }),
    );
    const { engine } = fakeEngine({ "big.zip": big });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "big.zip" }, { kind: "local", label: "big.zip" }, "big.zip");
    expect(store.getState().view.query).toBe("theta[param]");
    expect(store.getState().result).toBeUndefined();
    expect(store.getState().notice?.text).toBe("theta[param] is 4,000,000 values, so it was not read yet: press Enter in the query bar to read it, or ask for less.");
    store.actions.setQuery("theta");
    await store.actions.runQuery();
    expect(store.getState().result?.shape.numRows).toBe(4_000_000);
    expect(store.getState().notice).toBeUndefined();
  });

  it("stacks groups when a second one is picked, and reruns the query", async () => {
    const { engine } = fakeEngine({ "a.zip": grouped });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "a.zip" }, { kind: "local", label: "a.zip" }, "a.zip");
    store.actions.toggleGroup("prior");
    await settle();
    expect(store.getState().view.groups).toEqual(["posterior", "prior"]);
    expect(store.getState().result?.shape.numRows).toBe(6400 + 1600);
    store.actions.toggleGroup("posterior");
    store.actions.toggleGroup("prior");
    expect(store.getState().view.groups).toEqual(["prior"]);
  });

  it("a cancelled query leaves the previous result and no error", async () => {
    const { engine, state } = fakeEngine({ "a.zip": grouped });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "a.zip" }, { kind: "local", label: "a.zip" }, "a.zip");
    state.hold = true;
    store.actions.setQuery("sigma");
    const running = store.actions.runQuery();
    expect(store.getState().task?.label).toBe("Reading sigma");
    store.actions.cancelTask();
    await running;
    expect(state.cancelled).toBe(1);
    expect(store.getState()).toMatchObject({ task: undefined, queryError: undefined });
    expect(store.getState().result?.query).toBe("beta[groups]");
  });

  it("a link naming only the trace opens it with a first query", async () => {
    const { engine } = fakeEngine({ "a.zip": grouped });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.startFromLink("#local=a.zip");
    await store.actions.openSource({ ...FILE, name: "a.zip" }, { kind: "local", label: "a.zip" }, "a.zip");
    expect(store.getState().view.query).toBe("beta[groups]");
    expect(store.getState().view.panels.map((p) => p.kind)).toEqual(["density", "table"]);
    expect(store.getState().result?.shape.numRows).toBe(6400);
  });

  it("applies a linked view to the matching trace, and holds it back from another", async () => {
    const { engine } = fakeEngine({ "a.zip": grouped, "eight.zip": eight });
    const store = createAppStore(engine, "/example.zip");
    const link = encodeView({
      trace: { kind: "local", label: "a.zip" },
      fingerprint: traceFingerprint(grouped.tree),
      view: { query: "sigma", groups: ["posterior"], panels: [{ id: "x", kind: "table", options: { rows: "10" } }] },
    });
    await store.actions.startFromLink(link);
    expect(store.getState().notice?.title).toBe("Open the trace to see this view");
    await store.actions.openSource({ ...FILE, name: "eight.zip" }, { kind: "local", label: "eight.zip" }, "eight.zip");
    expect(store.getState().notice?.title).toBe("This is not the trace the link was made for");
    expect(store.getState().view.query).toBe("theta[school]");
    expect(store.getState().pendingLink).toBeDefined();
    await store.actions.openSource({ ...FILE, name: "a.zip" }, { kind: "local", label: "a.zip" }, "a.zip");
    expect(store.getState()).toMatchObject({ notice: undefined, pendingLink: undefined });
    expect(store.getState().view.query).toBe("sigma");
    expect(store.getState().view.panels.map((p) => [p.kind, p.options])).toEqual([["table", { rows: "10" }]]);
    expect(store.getState().result?.shape.numRows).toBe(1600);
  });

  it("computes PSIS-LOO when its section is shown, again for another r_eff, and queries an observation on a pick", async () => {
    const { engine } = fakeEngine({ "a.zip": grouped });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "a.zip" }, { kind: "local", label: "a.zip" }, "a.zip");
    store.actions.showLoo();
    expect(store.getState().view.loo).toEqual({ rEff: "relative" });
    await until(() => store.getState().loo?.running === false);
    const first = store.getState().loo!;
    expect(first.running).toBe(false);
    const result = first.results!.models[0];
    expect(result.variable).toBe("log_likelihood/y");
    const golden = JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", "loo_y.json"), "utf8"));
    expect(Math.abs(result.elpd_loo.estimate - golden.results.r_eff_relative.elpd_loo)).toBeLessThan(1e-6 * 60);
    store.actions.setLooView({ rEff: 1 });
    await until(() => store.getState().loo?.running === false);
    expect(Math.abs(store.getState().loo!.results!.models[0].elpd_loo.estimate - golden.results.r_eff_1.elpd_loo)).toBeLessThan(1e-6 * 60);
    await store.actions.inspectObservation(92);
    expect(store.getState().view.query).toBe("posterior_predictive/y[obs_ind=92]");
    expect(store.getState().result?.shape.numRows).toBe(1600);
    store.actions.hideLoo();
    expect(store.getState().view.loo).toBeUndefined();
    expect(store.getState().loo).toBeUndefined();
  });

  it("shows why PSIS-LOO cannot be computed for a trace without log-likelihood, and keeps the app usable", async () => {
    const cmdstan = await openPath(join(FIXTURES, "grouped_regression.cmdstan"));
    const { engine } = fakeEngine({ "c.zip": cmdstan });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "c.zip" }, { kind: "local", label: "c.zip" }, "c.zip");
    store.actions.showLoo();
    await until(() => store.getState().loo?.running === false);
    expect(store.getState().loo?.error?.message).toContain("the trace has no log_likelihood group, which PSIS-LOO needs");
    store.actions.setQuery("sigma");
    await store.actions.runQuery();
    expect(store.getState().result?.shape.numRows).toBe(1600);
  });

  it("adds a second model beside the first: the query stacks both by a model column, LOO compares them, and a model can be renamed and removed", async () => {
    const nonCentered = await openPath(join(FIXTURES, "arviz", "non_centered_eight.v3.zarr"));
    const { engine } = fakeEngine({ "centered_eight.zarr.zip": eight, "non_centered_eight.zip": nonCentered });
    const store = createAppStore(engine, "/example.zip");
    await store.actions.openSource({ ...FILE, name: "centered_eight.zarr.zip" }, { kind: "local", label: "centered_eight.zarr.zip" }, "centered_eight.zarr.zip");
    expect(store.getState().models.map((m) => m.name)).toEqual(["centered_eight"]);
    store.actions.setQuery("theta[school], mu");
    await store.actions.runQuery();
    store.actions.setAddingModel(true);
    await store.actions.openSource({ ...FILE, name: "non_centered_eight.zip" }, { kind: "local", label: "non_centered_eight.zip" }, "non_centered_eight.zip");
    expect(store.getState().models.map((m) => m.name)).toEqual(["centered_eight", "non_centered_eight"]);
    expect(store.getState().addingModel).toBe(false);
    expect(store.getState().result?.shape.numRows).toBe(2 * 2000 * 8);
    expect(store.getState().result?.shape.levels.model).toEqual(["centered_eight", "non_centered_eight"]);
    store.actions.showLoo();
    await until(() => store.getState().loo?.running === false);
    const compare = store.getState().loo!.results!.compare!;
    const golden = JSON.parse(readFileSync(join(FIXTURES, "arviz", "compare_eight.json"), "utf8")).results.r_eff_relative.models;
    expect(compare.map((r) => r.name)).toEqual(golden.map((m: { model: string }) => m.model));
    expect(Math.abs(compare[1].elpd_diff - golden[1].elpd_diff)).toBeLessThan(1e-6);
    await store.actions.renameModel(1, "non-centered");
    expect(store.getState().result?.shape.levels.model).toEqual(["centered_eight", "non-centered"]);
    await store.actions.removeModel(0);
    expect(store.getState().models.map((m) => m.name)).toEqual(["non-centered"]);
    expect(store.getState().trace?.tree).toBe(nonCentered.tree);
    expect(store.getState().result?.shape.levels.model).toBeUndefined();
  });

  it("a link comparing models reopens the first and asks for the models only the link maker's computer has", async () => {
    const nonCentered = await openPath(join(FIXTURES, "arviz", "non_centered_eight.v3.zarr"));
    const { engine } = fakeEngine({ "centered_eight.zarr.zip": eight, "non_centered_eight.nc": nonCentered });
    const store = createAppStore(engine, "/example.zip");
    const fingerprint = traceFingerprint(eight.tree);
    await store.actions.startFromLink(`#local=centered_eight.zarr.zip&fp=${fingerprint}&q=mu&name=centered&model=nc;local=non_centered_eight.nc;fp=abcd`);
    await store.actions.openSource({ ...FILE, name: "centered_eight.zarr.zip" }, { kind: "local", label: "centered_eight.zarr.zip" }, "centered_eight.zarr.zip");
    await until(() => store.getState().notice !== undefined);
    expect(store.getState().models.map((m) => m.name)).toEqual(["centered"]);
    expect(store.getState().notice?.title).toBe("This link compares several models");
    expect(store.getState().notice?.text).toBe("Drop or open ‘non_centered_eight.nc’ as nc: it is on the computer the link was made on, and will be added beside the first.");
    // Opening that file adds it as the link's model nc, without pressing Add model; a structure unlike the link's is said.
    await store.actions.openSource({ ...FILE, name: "non_centered_eight.nc" }, { kind: "local", label: "non_centered_eight.nc" }, "non_centered_eight.nc");
    expect(store.getState().models.map((m) => m.name)).toEqual(["centered", "nc"]);
    expect(store.getState().linkedModels).toEqual([]);
    expect(store.getState().notice?.title).toBe("nc is not the trace the link was made with");
  });
});
