/// <reference lib="webworker" />
// The pool's own body, inside the engine rather than a client of it: it takes serveWork from its
// module, not the facade, so its bundle holds the decoders and block work alone (43 KB, not 69).
import type { WorkRequest } from "../engine/pool/pool.ts";
import { serveWork } from "../engine/pool/serve.ts";

declare const self: DedicatedWorkerGlobalScope;

/** Browser pool worker: decodes chunks and diagnoses blocks for the engine worker's pool. */
serveWork(
  (handler) => (self.onmessage = (event: MessageEvent<WorkRequest>) => handler(event.data)),
  (message, transfer) => self.postMessage(message, transfer),
);
