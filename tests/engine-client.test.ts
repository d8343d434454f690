// The page's engine client when the worker fails: its script (or a chunk of it) does not load, so
// all asked fails at once, said to be internal; or, once running, an error it did not handle.
import { describe, expect, it } from "vitest";
import { isDrawscopeError } from "../src/engine/errors.ts";
import { createEngineClient, errorDataOf } from "../src/worker/client.ts";

/** A Worker as the client uses it: handlers it sets, messages it posts. */
function fakeWorker() {
  const posted: unknown[] = [];
  const worker = { onmessage: null, onerror: null, postMessage: (message: unknown) => posted.push(message) } as unknown as Worker & { onerror: (event: Partial<ErrorEvent>) => void };
  return { worker, posted };
}

describe("the engine client", () => {
  it("answers a request with the worker's reply", async () => {
    const { worker, posted } = fakeWorker();
    const client = createEngineClient(worker);
    const job = client.models([0], ["a"]);
    expect(posted).toEqual([{ type: "models", keep: [0], names: ["a"], id: 1 }]);
    worker.onmessage!({ data: { id: 1, type: "result", result: { models: 1 } } } as MessageEvent);
    await expect(job.result).resolves.toBe(1);
  });

  it("when the worker's script does not load, fails what is pending and all asked later", async () => {
    const { worker, posted } = fakeWorker();
    const client = createEngineClient(worker);
    const pending = client.models([0], ["a"]).result;
    worker.onerror({ message: "Uncaught TypeError: Failed to fetch dynamically imported module: http://x/assets/blosc.js" });
    const error = await pending.catch((e: unknown) => e);
    expect(isDrawscopeError(error, "internal")).toBe(true);
    expect(errorDataOf(error).message).toBe(
      "internal error in drawscope, not a problem with your input: the engine worker could not start (Uncaught TypeError: Failed to fetch dynamically imported module: http://x/assets/blosc.js); reload the page. Please report it, with what you opened and did",
    );
    await expect(client.models([0], ["b"]).result).rejects.toBe(error);
    expect(posted).toHaveLength(1);
  });

  it("after it has answered, an error it did not handle fails what is pending, and later requests still go to it", async () => {
    const { worker, posted } = fakeWorker();
    const client = createEngineClient(worker);
    const first = client.models([0], ["a"]).result;
    worker.onmessage!({ data: { id: 1, type: "result", result: { models: 1 } } } as MessageEvent);
    await first;
    const pending = client.models([0], ["b"]).result;
    worker.onerror({ message: "Uncaught DataCloneError" });
    expect(errorDataOf(await pending.catch((e: unknown) => e)).message).toContain("the engine worker failed (Uncaught DataCloneError)");
    const later = client.models([0], ["c"]).result;
    expect(posted).toHaveLength(3);
    worker.onmessage!({ data: { id: 3, type: "result", result: { models: 1 } } } as MessageEvent);
    await expect(later).resolves.toBe(1);
  });
});
