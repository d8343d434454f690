/// <reference lib="webworker" />
import { tableToIPC } from "apache-arrow";
import { DrawscopeError, SpecError } from "../engine/errors.ts";
import { openDirectoryHandle } from "../engine/store/directory.ts";
import { openFiles } from "../engine/store/files.ts";
import type { TraceStore } from "../engine/store/types.ts";
import { openUrl } from "../engine/store/url.ts";
import { openZipBlob } from "../engine/store/zip.ts";
import { openTrace, type Trace } from "../engine/trace.ts";
import { createBrowserDecodePool } from "./decode-pool.ts";
import type { EngineErrorData, EngineRequest, EngineResponse, TraceSource } from "./protocol.ts";

declare const self: DedicatedWorkerGlobalScope;

let trace: Trace | undefined;
const pool = createBrowserDecodePool();

function storeOf(source: TraceSource): Promise<TraceStore> | TraceStore {
  switch (source.kind) {
    case "zip":
      return openZipBlob(source.blob, source.name);
    case "files":
      return openFiles(source.files, source.name);
    case "directory":
      return openDirectoryHandle(source.handle);
    case "url":
      return openUrl(source.url);
  }
}

function errorData(error: unknown): EngineErrorData {
  if (error instanceof SpecError) {
    const { name, message, kind, start, end, suggestion } = error;
    return { name, message, kind, start, end, suggestion };
  }
  if (error instanceof DrawscopeError) return { name: error.name, message: error.message };
  return { name: "InternalError", message: `unexpected failure: ${error instanceof Error ? error.message : String(error)}` };
}

async function handle(request: EngineRequest): Promise<{ response: EngineResponse; transfer: Transferable[] }> {
  if (request.type === "open") {
    // Only replace the open trace once the new one opened: a failed open leaves the old one usable.
    const opened = await openTrace(await storeOf(request.source), { pool });
    trace = opened;
    return { response: { id: request.id, ok: true, result: { tree: opened.tree } }, transfer: [] };
  }
  if (!trace) throw new DrawscopeError("no trace is open: open a Zarr folder or zip first");
  const table = await trace.extract(request.query, { groups: request.groups });
  const ipc = tableToIPC(table, "stream");
  return { response: { id: request.id, ok: true, result: { ipc, numRows: table.numRows } }, transfer: [ipc.buffer] };
}

self.onmessage = async (event: MessageEvent<EngineRequest>) => {
  try {
    const { response, transfer } = await handle(event.data);
    self.postMessage(response, transfer);
  } catch (error) {
    self.postMessage({ id: event.data.id, ok: false, error: errorData(error) } satisfies EngineResponse);
  }
};
