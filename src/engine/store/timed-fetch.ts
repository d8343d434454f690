import { StoreError } from "../errors.ts";

/**
 * How long a server may take to start answering a request, and then to send the next bytes of its
 * answer, before the read is given up. The CLI's --timeout sets both.
 */
export const NETWORK_TIMEOUTS = { connectMs: 30_000, idleMs: 30_000 };

/** An answer whose body is being read: call `alive` as bytes arrive, `done` once it is read. */
export interface TimedResponse {
  response: Response;
  alive: () => void;
  done: () => void;
}

const seconds = (ms: number) => `${ms / 1000} s`;

/**
 * fetch within NETWORK_TIMEOUTS: the answer's headers within connectMs, then each piece of its
 * body within idleMs of the one before (the reader calls `alive`). Either wait running out aborts
 * the request with a StoreError saying which, prefixed by `what` ("cannot read X of Y"); the
 * caller's signal still cancels it at any time.
 */
export async function timedFetch(url: URL | string, init: RequestInit, what: string): Promise<TimedResponse> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number, why: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new StoreError(`${what}: ${why}`)), ms);
  };
  const { connectMs, idleMs } = NETWORK_TIMEOUTS;
  arm(connectMs, `the server did not answer within ${seconds(connectMs)}. Check the address and that the server is up.`);
  const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (error) {
    clearTimeout(timer);
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  }
  const stalled = `the server stopped sending for ${seconds(idleMs)} in the middle of its answer. Try again; if it keeps stalling, the server is overloaded or broken.`;
  arm(idleMs, stalled);
  return { response, alive: () => arm(idleMs, stalled), done: () => clearTimeout(timer) };
}
