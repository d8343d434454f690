import { parentPort } from "node:worker_threads";
import type { DecodeRequest } from "./pool.ts";
import { serveDecodes } from "./serve.ts";

/** Node decode worker (worker_threads). */
serveDecodes(
  (handler) => parentPort!.on("message", (request: DecodeRequest) => handler(request)),
  (message, transfer) => parentPort!.postMessage(message, transfer),
);
