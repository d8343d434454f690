/// <reference lib="webworker" />
import { tableToIPC, type Table } from "apache-arrow";
import { errorData } from "./error-data.ts";
import {
  BudgetError,
  comparedLoo,
  CountedStore,
  diagnosticsTable,
  DrawscopeError,
  isDrawscopeError,
  looCompare,
  LooError,
  openDirectoryHandle,
  openFile,
  openFileEntries,
  openTrace,
  openUrl,
  remoteChunksOf,
  stackModels,
  tableShape,
  traceFingerprint,
  type CmdStanOptions,
  type ExtractProgress,
  type TableShape,
  type Trace,
  type TraceStore,
} from "../engine/index.ts";
import { panelData } from "../panels/data-registry.ts";
import type { ElementSource } from "../panels/types.ts";
import { tableBlob } from "./table-file.ts";
import { createBrowserWorkPool } from "./work-pool.ts";
import type { DiagnoseProgress, LooSummary, EngineRequest, EngineResponse, TaskProgress, TraceSource } from "./protocol.ts";

declare const self: DedicatedWorkerGlobalScope;

/**
 * The models open, each a trace with its name and the store it reads (closed when the model is
 * removed or replaced). Queries read every model and stack them by a model column; the first is
 * the one when there is only one.
 */
let models: { name: string; trace: Trace; store: TraceStore }[] = [];
/**
 * The last query's table, which panels, pages and exports read (the page never holds its rows),
 * and its bytes; or, for a query over the memory budget, no table but its elements to stream.
 */
let current: { id: number; bytes: number; table?: Table; elements?: ElementSource } | undefined;
const pool = createBrowserWorkPool();
const running = new Map<number, AbortController>();

/** Progress messages at most this often: enough for a smooth bar, few enough not to flood the UI. */
const PROGRESS_INTERVAL_MS = 50;

/** The store of what the user opened; CmdStan's CSV files are parsed here, with `options` telling how far. */
function storeOf(source: TraceSource, options: CmdStanOptions): Promise<TraceStore> | TraceStore {
  switch (source.kind) {
    case "zip":
      return openFile(source.blob, source.name, options);
    case "files":
      return openFileEntries(source.files, source.name, options);
    case "directory":
      return openDirectoryHandle(source.handle);
    case "url":
      return openUrl(source.url, options);
  }
}

function post(response: EngineResponse, transfer: Transferable[] = []): void {
  self.postMessage(response, transfer);
}

/** Post a table as an Arrow IPC stream whose buffer moves to the page (transferred, not copied). */
function postTable(table: Table, message: (ipc: Uint8Array) => EngineResponse): void {
  const ipc = tableToIPC(table, "stream");
  post(message(ipc), [ipc.buffer]);
}

/** Post progress for request `id`, at most every PROGRESS_INTERVAL_MS unless `final`. */
function progressReporter(id: number): (progress: TaskProgress | DiagnoseProgress, final?: boolean) => void {
  let last = 0;
  return (progress, final = false) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS && !final) return;
    last = now;
    post({ id, type: "progress", progress });
  };
}

async function run(request: Exclude<EngineRequest, { type: "cancel" }>, signal: AbortSignal): Promise<void> {
  const report = progressReporter(request.id);
  if (request.type === "open") {
    const source = await storeOf(request.source, {
      signal,
      onProgress: (progress) => report({ kind: "parse", ...progress }, progress.filesDone === progress.filesTotal),
    });
    let opened: Trace;
    try {
      const counted = new CountedStore(source.store);
      counted.onRead = (count) => report({ kind: "open", ...count });
      opened = await openTrace({ ...source, store: counted }, { pool, remote: remoteChunksOf(source.store) });
      counted.onRead = undefined;
      signal.throwIfAborted();
    } catch (error) {
      source.close?.();
      throw error;
    }
    // Only replace the open models once the new one opened: a failed or cancelled open keeps the old.
    const model = { name: request.name ?? source.label, trace: opened, store: source };
    if (request.add) models.push(model);
    else {
      for (const old of models) old.store.close?.();
      models = [model];
    }
    current = undefined;
    post({ id: request.id, type: "result", result: { tree: opened.tree, fingerprint: traceFingerprint(opened.tree) } });
    return;
  }
  if (request.type === "panel" || request.type === "page" || request.type === "export") {
    const { table, elements } = currentOf(request.table);
    if (request.type === "panel" && elements) {
      const streamed = panelData(request.kind).streamed;
      if (!streamed) throw new BudgetError("this panel needs the query's whole table, which is over the memory budget: narrow the query or raise the budget");
      post({ id: request.id, type: "result", result: { data: await streamed(elements, request.options, signal) } });
      return;
    }
    if (!table) throw new BudgetError("the query's table is over the memory budget, so it is not held: narrow the query or raise the budget");
    if (request.type === "page") {
      const start = Math.max(0, Math.min(request.offset, table.numRows));
      postTable(table.slice(start, Math.min(table.numRows, start + request.count)), (ipc) => ({ id: request.id, type: "result", result: { ipc } }));
      return;
    }
    if (request.type === "panel") {
      post({ id: request.id, type: "result", result: { data: panelData(request.kind).data(table, request.options) } });
      return;
    }
    const derive = request.panel && panelData(request.panel.kind).derived;
    if (request.panel && !derive) throw new DrawscopeError(`the ${request.panel.kind} panel derives no table to export`);
    const source = request.panel && derive ? derive(table, request.panel.options) : table;
    post({ id: request.id, type: "result", result: { blob: await tableBlob(source, request.format, signal) } });
    return;
  }
  if (request.type === "models") {
    const kept = request.keep.map((index, k) => ({ ...models[index], name: request.names[k] }));
    for (const [index, model] of models.entries()) if (!request.keep.includes(index)) model.store.close?.();
    models = kept.filter((m) => m.trace);
    current = undefined;
    post({ id: request.id, type: "result", result: { models: models.length } });
    return;
  }
  const trace = models[0]?.trace;
  if (!trace) throw new DrawscopeError("no trace is open: open a Zarr folder or zip first");
  if (request.type === "diagnose") {
    // Model after model, each model's rows after the ones before (their index offset), named by model when there are several.
    let elements = 0;
    for (const [m, model] of models.entries()) {
      const offset = elements;
      const name = models.length > 1 ? model.name : undefined;
      elements += await model.trace.diagnose(request.scope, {
        signal,
        onBlock: (block) => postTable(diagnosticsTable({ ...block, index: offset + block.index }, name), (ipc) => ({ id: request.id, type: "rows", ipc })),
        onProgress: (done, total) => report({ kind: "diagnose", done: offset + done, total: offset + total * (models.length - m) }, done === total && m === models.length - 1),
      });
    }
    post({ id: request.id, type: "result", result: { elements } });
    return;
  }
  if (request.type === "loo") {
    const summaries: LooSummary[] = [];
    for (const [m, model] of models.entries()) {
      // Progress counts every model's observations: those of the models before, then this one's.
      const before = summaries.reduce((n, s) => n + s.pointwise.elpd_loo.length, 0);
      const onProgress = (done: number, total: number) => report({ kind: "loo", done: before + done, total: before + total * (models.length - m) }, done === total && m === models.length - 1);
      const result = await model.trace.loo({ variable: request.variable, rEff: request.rEff, signal, onProgress }).catch((error: unknown) => {
        throw models.length > 1 && isDrawscopeError(error) ? new LooError(`${model.name}: ${error.message}`) : error;
      });
      summaries.push({ ...result, labels: result.labels.map((labels) => labels.map(String)), model: model.name });
    }
    const compare =
      summaries.length > 1
        ? looCompare(
            summaries.map((s) => comparedLoo(s.model, s)),
            request.reference,
          )
        : undefined;
    const transfer = summaries.flatMap((s) => Object.values(s.pointwise).map((column) => column.buffer as ArrayBuffer));
    post({ id: request.id, type: "result", result: { models: summaries, compare } }, transfer);
    return;
  }
  const onProgress = (p: ExtractProgress) => report({ kind: "extract", ...p }, p.chunksDone === p.chunksTotal);
  const { query, groups, budget } = request;
  // The shape comes from the plan: the page needs no pass over the table's rows.
  let planned = { bytes: 0, shape: undefined as TableShape | undefined };
  const onPlanned = (plan: { bytes: number; shape: TableShape }) => {
    planned = plan;
    // The last table is let go before the next is read when both would not fit the budget together.
    if (current && current.bytes + plan.bytes > budget) current = undefined;
  };
  if (models.length > 1) {
    // Each model's table within its share of the budget, then stacked by a model column.
    current = undefined;
    const tables: { name: string; table: Table }[] = [];
    for (const model of models) {
      tables.push({ name: model.name, table: await model.trace.extract(query, { groups, budget: budget / models.length, signal, onProgress }) });
      signal.throwIfAborted();
    }
    const table = stackModels(tables);
    current = { id: request.id, bytes: tables.reduce((n, t) => n + t.table.data.reduce((b, d) => b + d.byteLength, 0), 0), table };
    post({ id: request.id, type: "result", result: { table: request.id, shape: tableShape(table) } });
    return;
  }
  try {
    const table = await trace.extract(query, { groups, budget, signal, onProgress, onPlanned });
    signal.throwIfAborted();
    current = { id: request.id, bytes: planned.bytes, table };
    post({ id: request.id, type: "result", result: { table: request.id, shape: planned.shape! } });
  } catch (error) {
    if (!isDrawscopeError(error, "budget")) throw error;
    const elements = trace.elements(query, { groups });
    current = { id: request.id, bytes: 0, elements };
    post({ id: request.id, type: "result", result: { table: request.id, shape: elements.shape, oversize: error.message } });
  }
}

function currentOf(id: number): NonNullable<typeof current> {
  if (current?.id !== id) throw new DrawscopeError("that query's table was replaced by a newer query's: run the query again");
  return current;
}

self.onmessage = async (event: MessageEvent<EngineRequest>) => {
  const request = event.data;
  if (request.type === "cancel") {
    running.get(request.target)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    await run(request, controller.signal);
  } catch (error) {
    post({ id: request.id, type: "error", error: errorData(error, controller.signal) });
  } finally {
    running.delete(request.id);
  }
};
