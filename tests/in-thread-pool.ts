import { WorkPool, type WorkPort, type WorkReply, type WorkRequest } from "../src/engine/pool/pool.ts";
import { serveWork } from "../src/engine/pool/serve.ts";

/** A pool "worker" on this thread, running the real worker body; it records what it was sent. */
export function inThreadPort(received: WorkRequest[]): WorkPort {
  let toWorker: (request: WorkRequest) => void = () => undefined;
  let toPool: (reply: WorkReply) => void = () => undefined;
  serveWork(
    (handler) => (toWorker = handler),
    (reply) => toPool(reply),
  );
  return {
    post: (request) => {
      received.push(request);
      toWorker(request);
    },
    onReply: (handler) => (toPool = handler),
    onFailure: () => undefined,
    busy: () => undefined,
    terminate: () => undefined,
  };
}

/** A pool of `size` such workers, recording every request into `received`. */
export const inThreadPool = (size: number, received: WorkRequest[] = []) => new WorkPool(() => inThreadPort(received), size);
