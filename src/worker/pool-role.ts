/// <reference lib="webworker" />
// The pool's own body, inside the engine rather than a client of it: it takes serveWork from its
// module, not the facade, so its chunks hold the decoders and block work alone.
import type { WorkRequest } from "../engine/pool/pool.ts";
import { serveWork } from "../engine/pool/serve.ts";

declare const self: DedicatedWorkerGlobalScope;

/** A pool worker: decodes chunks and diagnoses blocks for the engine worker's pool, starting with the requests that came while it loaded. */
export function start(early: readonly MessageEvent<WorkRequest>[]): void {
  serveWork(
    (handler) => {
      self.onmessage = (event: MessageEvent<WorkRequest>) => handler(event.data);
      for (const event of early) handler(event.data);
    },
    (message, transfer) => self.postMessage(message, transfer),
  );
}
