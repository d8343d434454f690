import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { WorkPool, type WorkReply } from "./pool.ts";

const WORKER = new URL("./node-worker.ts", import.meta.url).href;

/**
 * Worker threads do not inherit tsx's loader on Node 20, and the worker is TypeScript like the
 * rest of the engine: the thread registers tsx itself, then loads it.
 */
function bootstrap(): string {
  const tsx = import.meta.resolve("tsx/esm/api");
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER)}); });`;
}

/** A work pool of worker threads, up to one per core; they keep the process alive only while busy. */
export function createNodeWorkPool(size = availableParallelism()): WorkPool {
  const source = bootstrap();
  return new WorkPool(() => {
    const worker = new Worker(source, { eval: true });
    return {
      post: (request, transfer) => worker.postMessage(request, transfer),
      onReply: (handler) => worker.on("message", (reply: WorkReply) => handler(reply)),
      onFailure: (handler) => worker.on("error", (error: Error) => handler(error.message)),
      busy: (active) => (active ? worker.ref() : worker.unref()),
      terminate: () => void worker.terminate(),
    };
  }, size);
}
