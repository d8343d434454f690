import { tableFromIPC, type Table } from "apache-arrow";
import { DrawscopeError } from "../engine/errors.ts";
import type { DataFormat, DiagnosticsScope, DrawscopeErrorTag, REffMode } from "../engine/index.ts";
import type { PanelOptions } from "../panels/types.ts";
import { internalErrorData } from "./error-data.ts";
import type {
  DiagnosedScope,
  DiagnoseProgress,
  EngineErrorData,
  EngineRequest,
  EngineResponse,
  EngineResult,
  ExportedFile,
  ExtractedTable,
  LooResults,
  ModelsKept,
  OpenedTrace,
  PanelDataResult,
  TablePage,
  TaskProgress,
  TraceSource,
} from "./protocol.ts";

/** An engine error received from the worker, tagged as it was there, with the query position when it is a spec error. */
export class EngineError extends DrawscopeError {
  override name = "EngineError";
  override readonly tag: DrawscopeErrorTag;
  readonly data: EngineErrorData;
  constructor(data: EngineErrorData) {
    super(data.message);
    this.tag = data.tag;
    this.data = data;
  }
}

/** What the page shows of an error: the worker's as it came, and one of the page's own as the bug it is. */
export function errorDataOf(error: unknown): EngineErrorData {
  return error instanceof EngineError ? error.data : internalErrorData(error);
}

/** Work under way in the worker: its outcome, and a way to abandon it. */
export interface EngineJob<T> {
  result: Promise<T>;
  cancel(): void;
}

/** The UI's one way to the engine: typed requests to the worker; tables come back as Arrow IPC. */
export interface EngineClient {
  /** Open a trace as a model named `name`, in place of the models open, or (`add`) beside them. */
  open(source: TraceSource, onProgress?: (progress: TaskProgress) => void, model?: { name: string; add: boolean }): EngineJob<OpenedTrace>;
  /** Extract a query's table into the worker; the page gets its id and shape, never its rows. */
  extract(query: string, groups: string[], budget: number, onProgress?: (progress: TaskProgress) => void): EngineJob<ExtractedTable>;
  /** What a panel of `kind` draws from table `table` with these (resolved) options. */
  panelData(table: number, kind: string, options: PanelOptions): EngineJob<unknown>;
  /** Rows `offset` to `offset + count` of table `table`. */
  page(table: number, offset: number, count: number): EngineJob<Table>;
  /** Table `table`, or the table a panel derives from it, as a file. */
  exportTable(table: number, format: DataFormat, panel?: { kind: string; options: PanelOptions }): EngineJob<Blob>;
  /** Diagnose a scope; `onRows` gets each computed block of rows; the result is the number of elements. */
  diagnose(scope: DiagnosticsScope, onRows: (rows: Table) => void, onProgress?: (progress: DiagnoseProgress) => void): EngineJob<number>;
  /** PSIS-LOO of a log_likelihood variable (the group's only one when not named) for every model, compared when several. */
  loo(variable: string | undefined, rEff: REffMode, reference: string | undefined, onProgress?: (progress: DiagnoseProgress) => void): EngineJob<LooResults>;
  /** Keep the models at `keep` (in that order), named `names`. */
  models(keep: number[], names: string[]): EngineJob<number>;
}

interface Pending {
  resolve: (result: EngineResult) => void;
  reject: (error: EngineError) => void;
  onProgress?: (progress: TaskProgress | DiagnoseProgress) => void;
  onRows?: (ipc: Uint8Array) => void;
}

type Body<R = EngineRequest> = R extends { id: number } ? Omit<R, "id"> : never;

export function createEngineClient(worker: Worker): EngineClient {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  /** Whether the worker has answered anything: before that, an error means its script never ran. */
  let started = false;
  /** Set when the worker could not start: what is asked from then on fails with it at once. */
  let stopped: EngineError | undefined;
  // An error the worker did not handle fails what is pending (its answers would never come); one
  // before any answer is its script failing to load, so nothing asked later can be answered either.
  worker.onerror = (event) => {
    const what = started
      ? `the engine worker failed (${event.message || "an error it did not handle"})`
      : `the engine worker could not start (${event.message || "its script did not load"}); reload the page`;
    const error = new EngineError(internalErrorData(new Error(what)));
    if (!started) stopped = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.onmessage = (event: MessageEvent<EngineResponse>) => {
    started = true;
    const message = event.data;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    if (message.type === "progress") {
      waiter.onProgress?.(message.progress);
      return;
    }
    if (message.type === "rows") {
      waiter.onRows?.(message.ipc);
      return;
    }
    pending.delete(message.id);
    if (message.type === "result") waiter.resolve(message.result);
    else waiter.reject(new EngineError(message.error));
  };

  /** Send a request; the worker reports progress of the request's own kind (P). */
  function send<T extends EngineResult, P extends TaskProgress | DiagnoseProgress>(request: Body, onProgress?: (progress: P) => void, onRows?: Pending["onRows"]): EngineJob<T> {
    const id = nextId++;
    const result = new Promise<T>((resolve, reject) => {
      if (stopped) return reject(stopped);
      pending.set(id, { resolve: resolve as Pending["resolve"], reject, onProgress: onProgress as Pending["onProgress"], onRows });
      worker.postMessage({ ...request, id });
    });
    return {
      result,
      cancel() {
        const waiter = pending.get(id);
        if (!waiter) return;
        // Settle at once: the UI must not wait for reads already in flight to wind down.
        pending.delete(id);
        waiter.reject(new EngineError({ tag: "cancelled", message: "cancelled" }));
        worker.postMessage({ type: "cancel", target: id, id: nextId++ } satisfies EngineRequest);
      },
    };
  }

  return {
    open: (source, onProgress, model) => send<OpenedTrace, TaskProgress>({ type: "open", source, add: model?.add, name: model?.name }, onProgress),
    extract: (query, groups, budget, onProgress) => send<ExtractedTable, TaskProgress>({ type: "extract", query, groups, budget }, onProgress),
    panelData(table, kind, options) {
      const job = send<PanelDataResult, never>({ type: "panel", table, kind, options });
      return { result: job.result.then((r) => r.data), cancel: job.cancel };
    },
    page(table, offset, count) {
      const job = send<TablePage, never>({ type: "page", table, offset, count });
      return { result: job.result.then((r) => tableFromIPC(r.ipc)), cancel: job.cancel };
    },
    exportTable(table, format, panel) {
      const job = send<ExportedFile, never>({ type: "export", table, format, panel });
      return { result: job.result.then((r) => r.blob), cancel: job.cancel };
    },
    loo: (variable, rEff, reference, onProgress) => send<LooResults, DiagnoseProgress>({ type: "loo", variable, rEff, reference }, onProgress),
    models(keep, names) {
      const job = send<ModelsKept, never>({ type: "models", keep, names });
      return { result: job.result.then((r) => r.models), cancel: job.cancel };
    },
    diagnose(scope, onRows, onProgress) {
      const job = send<DiagnosedScope, DiagnoseProgress>({ type: "diagnose", scope }, onProgress, (ipc) => onRows(tableFromIPC(ipc)));
      return { result: job.result.then((r) => r.elements), cancel: job.cancel };
    },
  };
}
