/// <reference lib="webworker" />
// One script for the engine worker and its pool workers, told apart by the name a worker is started
// with. Vite builds each worker script on its own, so two scripts each carried the codecs'
// WebAssembly (blosc, zstd, lz4: 1.4 MB); one script builds, fetches and caches them once.
import { POOL_WORKER_NAME } from "./roles.ts";

declare const self: DedicatedWorkerGlobalScope;

// Requests that arrive while the role's module loads wait here; the role takes them in order.
const early: MessageEvent[] = [];
self.onmessage = (event) => early.push(event);

const role = self.name === POOL_WORKER_NAME ? import("./pool-role.ts") : import("./engine-role.ts");
role.then(
  ({ start }) => start(early),
  // As an uncaught error: the page's client hears of it and fails what it asked for.
  (error: unknown) => self.reportError(error),
);
