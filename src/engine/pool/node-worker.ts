import { parentPort } from "node:worker_threads";
import type { WorkRequest } from "./pool.ts";
import { serveWork } from "./serve.ts";

/** Node decode worker (worker_threads). */
serveWork(
  (handler) => parentPort!.on("message", (request: WorkRequest) => handler(request)),
  (message, transfer) => parentPort!.postMessage(message, transfer),
);
