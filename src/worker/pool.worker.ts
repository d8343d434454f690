/// <reference lib="webworker" />
import type { WorkRequest } from "../engine/pool/pool.ts";
import { serveWork } from "../engine/pool/serve.ts";

declare const self: DedicatedWorkerGlobalScope;

/** Browser pool worker: decodes chunks and diagnoses blocks for the engine worker's pool. */
serveWork(
  (handler) => (self.onmessage = (event: MessageEvent<WorkRequest>) => handler(event.data)),
  (message, transfer) => self.postMessage(message, transfer),
);
