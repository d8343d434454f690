import { WorkPool, type WorkReply } from "../engine/index.ts";

/** A pool of Web Workers decoding chunks and computing diagnostics for the engine worker, up to one per core. */
export function createBrowserWorkPool(size = navigator.hardwareConcurrency || 2): WorkPool {
  return new WorkPool(() => {
    const worker = new Worker(new URL("./pool.worker.ts", import.meta.url), { type: "module" });
    return {
      post: (request, transfer) => worker.postMessage(request, transfer),
      onReply: (handler) => worker.addEventListener("message", (event: MessageEvent<WorkReply>) => handler(event.data)),
      onFailure: (handler) =>
        worker.addEventListener("error", (event) => {
          // Handled here (the pool works on without it): not passed up to the page as the engine worker's own error.
          event.preventDefault();
          handler(event.message || "a pool worker did not start");
        }),
      // A browser worker never keeps anything alive: nothing to do.
      busy: () => undefined,
      terminate: () => worker.terminate(),
    };
  }, size);
}
