import { parentPort } from "node:worker_threads";
import type { WorkRequest } from "./pool.ts";
import { serveWork } from "./serve.ts";

/** Node pool worker (worker_threads): decodes chunks and diagnoses blocks. */
serveWork(
  (handler) => parentPort!.on("message", (request: WorkRequest) => handler(request)),
  (message, transfer) => parentPort!.postMessage(message, transfer),
);
