import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { WorkPool, type WorkPort, type WorkReply, type WorkRequest } from "../src/engine/pool/pool.ts";
import { serveWork } from "../src/engine/pool/serve.ts";
import { StoreError } from "../src/engine/errors.ts";
import { DIAGNOSTIC_NAMES } from "../src/engine/stats/diagnostics.ts";
import { openPathStore } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { FIXTURES, expectSameRows, goldenCsv, parseCsv } from "./golden.ts";

/** A decode "worker" on this thread, running the real worker body; it records what it was sent. */
function inThreadPort(received: WorkRequest[]): WorkPort {
  let toWorker: (request: WorkRequest) => void = () => undefined;
  let toPool: (reply: WorkReply) => void = () => undefined;
  serveWork(
    (handler) => (toWorker = handler),
    (reply) => toPool(reply),
  );
  return {
    post: (request) => (received.push(request), toWorker(request)),
    onReply: (handler) => (toPool = handler),
    onFailure: () => undefined,
    busy: () => undefined,
    terminate: () => undefined,
  };
}

describe("summary and diagnostics jobs", () => {
  it("carry a copy of the draws in a buffer that comes back and carries the next job of that size", async () => {
    const received: WorkRequest[] = [];
    const pool = new WorkPool(() => inThreadPort(received), 1);
    const block = Float64Array.from({ length: 4 * 300 }, (_, i) => Math.sin(i));
    const options = { point: "median", interval: "eti", probs: [0.9] } as const;
    const first = await pool.summarize({ draws: block.subarray(0, 600), count: 2, options });
    const second = await pool.summarize({ draws: block.subarray(600), count: 2, options });
    const sent = received.map((r) => ("summarize" in r ? r.summarize.draws : undefined));
    // One buffer carried both jobs, each time with the job's own draws; the block was only read.
    expect(sent[1]).toBe(sent[0]);
    expect(sent[0]!.length).toBe(600);
    expect(block[600]).toBe(Math.sin(600));
    expect(first[0]).not.toBe(second[0]);
    const alone = await new WorkPool(() => inThreadPort([]), 1).summarize({ draws: block.slice(600), count: 2, options });
    expect([...second]).toEqual([...alone]);
  });
});

describe("decode pool", () => {
  it("decodes large chunks on its workers, with the same values", async () => {
    const received: WorkRequest[] = [];
    const spawned: number[] = [];
    const pool = new WorkPool(() => (spawned.push(1), inThreadPort(received)), 2);
    for (const store of ["grouped_regression.zarr", "grouped_regression.v3.zarr"]) {
      const trace = await openTrace(await openPathStore(join(FIXTURES, store)), { pool });
      const table = await trace.extract("mu[obs_ind]");
      expectSameRows(parseCsv(toCsv(table)), goldenCsv("grouped_regression.expected", "case03.csv.gz"), 3);
    }
    // mu is 4 chunks of 2 x 200 x 96 float64 per store; the small coordinate chunks stay on this thread.
    expect(received.map((r) => ("job" in r ? `${r.job.where} ${r.job.coords.join(".")}` : "diagnose")).sort()).toEqual(
      ["0.0.0", "0.1.0", "1.0.0", "1.1.0"].flatMap((c) => [`/posterior/mu ${c}`, `/posterior/mu ${c}`]),
    );
    // Workers start only while all running ones are busy, and never more than the pool's size.
    expect(spawned.length).toBeGreaterThanOrEqual(1);
    expect(spawned.length).toBeLessThanOrEqual(2);
  });

  it("diagnoses and summarises blocks on its workers, whose modules for these load on the first request", async () => {
    const pool = new WorkPool(() => inThreadPort([]), 1);
    // Two scalars of 2 chains x 4 draws: 1..8 and 8 times 5.
    const draws = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 5, 5, 5, 5, 5, 5, 5, 5]);
    const [diagnostics, summaries] = await Promise.all([
      pool.diagnose({ draws: draws.slice(), chains: 2, count: 2 }),
      pool.summarize({ draws: draws.slice(), count: 2, options: { point: "median", interval: "eti", probs: [0.5] } }),
    ]);
    expect(diagnostics.length).toBe(2 * DIAGNOSTIC_NAMES.length);
    expect(diagnostics[DIAGNOSTIC_NAMES.indexOf("mean")]).toBe(4.5);
    expect(diagnostics[DIAGNOSTIC_NAMES.length + DIAGNOSTIC_NAMES.indexOf("mean")]).toBe(5);
    // Per scalar: median, draw count, then the 50% interval's bounds (quantiles 0.25 and 0.75, type 7).
    expect([...summaries]).toEqual([4.5, 8, 2.75, 6.25, 5, 8, 5, 5]);
  });

  it("rejects a dead worker's jobs with the reason", async () => {
    let fail: (message: string) => void = () => undefined;
    const pool = new WorkPool(
      () => ({
        post: () => fail("out of memory"),
        onReply: () => undefined,
        onFailure: (handler) => (fail = handler),
        busy: () => undefined,
        terminate: () => undefined,
      }),
      1,
    );
    const job = { format: 2 as const, metadata: new Uint8Array(), coords: [0], bytes: new Uint8Array(8), asBool: false, where: "/posterior/x" };
    const error = await pool.decode(job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toBe("a pool worker failed: out of memory");
    await expect(pool.decode(job)).rejects.toThrow("every pool worker has failed");
  });
});
