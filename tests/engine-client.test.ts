// The page's engine client when the worker itself stops (its script or a chunk of it fails to load,
// or it crashes): what was asked fails with a said internal error, and so does all asked after.
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

  it("fails what is pending, and what is asked later, when the worker stops", async () => {
    const { worker, posted } = fakeWorker();
    const client = createEngineClient(worker);
    const pending = client.models([0], ["a"]).result;
    worker.onerror({ message: "Uncaught TypeError: Failed to fetch dynamically imported module: http://x/assets/engine-role.js" });
    const error = await pending.catch((e: unknown) => e);
    expect(isDrawscopeError(error, "internal")).toBe(true);
    expect(errorDataOf(error).message).toBe(
      "internal error in drawscope, not a problem with your input: the engine worker stopped (Uncaught TypeError: Failed to fetch dynamically imported module: http://x/assets/engine-role.js); reload the page. Please report it, with what you opened and did",
    );
    const later = client.models([0], ["b"]).result;
    await expect(later).rejects.toBe(error);
    expect(posted).toHaveLength(1);
  });
});
