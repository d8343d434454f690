/// <reference lib="webworker" />
import type { DecodeRequest } from "../engine/decode/pool.ts";
import { serveDecodes } from "../engine/decode/serve.ts";

declare const self: DedicatedWorkerGlobalScope;

/** Browser decode worker: decodes chunks for the engine worker's pool. */
serveDecodes(
  (handler) => (self.onmessage = (event: MessageEvent<DecodeRequest>) => handler(event.data)),
  (message, transfer) => self.postMessage(message, transfer),
);
