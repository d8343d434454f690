import { tableFromIPC, type Table } from "apache-arrow";
import type { TraceTree } from "../engine/tree.ts";
import type { EngineErrorData, EngineRequest, EngineResponse, EngineResult, TraceSource } from "./protocol.ts";

/** An engine error received from the worker, with the query position when it is a spec error. */
export class EngineError extends Error {
  readonly data: EngineErrorData;
  constructor(data: EngineErrorData) {
    super(data.message);
    this.name = data.name;
    this.data = data;
  }
}

type Pending = { resolve: (r: EngineResult) => void; reject: (e: Error) => void };

/** The UI's one way to the engine: typed requests to the worker; tables come back as Arrow IPC. */
export interface EngineClient {
  open(source: TraceSource): Promise<TraceTree>;
  extract(query: string, groups?: string[]): Promise<Table>;
}

export function createEngineClient(worker: Worker): EngineClient {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  worker.onmessage = (event: MessageEvent<EngineResponse>) => {
    const message = event.data;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new EngineError(message.error));
  };
  type Body = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;
  function send(request: Body): Promise<EngineResult> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }
  return {
    async open(source) {
      const result = await send({ type: "open", source });
      return (result as { tree: TraceTree }).tree;
    },
    async extract(query, groups) {
      const result = await send({ type: "extract", query, groups });
      return tableFromIPC((result as { ipc: Uint8Array }).ipc);
    },
  };
}
