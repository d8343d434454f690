// Network timeouts: a server that never answers, or stops in the middle of an answer, gets a
// named error once the wait runs out, in the engine and the CLI (--timeout); Cancel still works.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../src/engine/errors.ts";
import { openUrl } from "../src/engine/store/url.ts";
import { NETWORK_TIMEOUTS } from "../src/engine/store/timed-fetch.ts";
import { openTrace } from "../src/engine/trace.ts";

let server: Server;
let base = "";
beforeAll(async () => {
  // /never/…: the request is taken and never answered. /stall/…: 10 of 100 bytes, then nothing.
  server = createServer((req, res) => {
    if (req.url!.startsWith("/never/")) return;
    res.writeHead(200, { "content-length": "100" });
    res.write("{".repeat(10));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The error opening `url` fails with, and how long it took. */
async function failure(url: string, signal?: AbortSignal): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  const error = await openUrl(url, { signal })
    .then((store) => openTrace(store))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return { error, ms: performance.now() - start };
}

describe("network timeouts", () => {
  const saved = { ...NETWORK_TIMEOUTS };
  beforeAll(() => Object.assign(NETWORK_TIMEOUTS, { connectMs: 300, idleMs: 300 }));
  afterAll(() => Object.assign(NETWORK_TIMEOUTS, saved));

  it("a server that never answers: a named error once the wait for its answer runs out", async () => {
    for (const path of ["/never/trace.zarr", "/never/trace.zip", "/never/draws.csv"]) {
      const { error, ms } = await failure(`${base}${path}`);
      expect(error, path).toBeInstanceOf(StoreError);
      expect((error as Error).message, path).toMatch(/: the server did not answer within 0\.3 s\. Check the address and that the server is up\.$/);
      expect(ms, path).toBeLessThan(2000);
    }
  });

  it("a server that stops in the middle of an answer: a named error once it has sent nothing for the idle wait", async () => {
    for (const path of ["/stall/trace.zarr", "/stall/draws.csv"]) {
      const { error, ms } = await failure(`${base}${path}`);
      expect(error, path).toBeInstanceOf(StoreError);
      expect((error as Error).message, path).toMatch(/the server stopped sending for 0\.3 s in the middle of its answer/);
      expect(ms, path).toBeLessThan(2000);
    }
  });

  it("Cancel still stops a read that is waiting for the server", async () => {
    Object.assign(NETWORK_TIMEOUTS, { connectMs: 30_000 });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const { error, ms } = await failure(`${base}/never/draws.csv`, controller.signal);
      expect((error as Error).name).toBe("AbortError");
      expect(ms).toBeLessThan(2000);
    } finally {
      NETWORK_TIMEOUTS.connectMs = 300;
    }
  });

  it("the CLI gives up after --timeout seconds with the same error, exit code 2", async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "src", "cli", "draws.ts"), `${base}/never/trace.zarr`, "sigma", "--timeout", "1"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: cannot read http:\/\/127\.0\.0\.1:\d+\/never\/trace\.zarr\/zarr\.json: the server did not answer within 1 s\./);
  }, 20_000);
});
