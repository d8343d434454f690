import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { ownedView, takeBuffer } from "../src/engine/decode/spare-buffers.ts";
import { WorkPool, type WorkRequest } from "../src/engine/pool/pool.ts";
import { StoreError } from "../src/engine/errors.ts";
import { DIAGNOSTIC_NAMES } from "../src/engine/stats/diagnostics.ts";
import { openPathStore } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { inThreadPort } from "./in-thread-pool.ts";
import { FIXTURES, expectSameRows, goldenCsv, parseCsv } from "./golden.ts";

/** The draws a block job sent to a worker. */
const sentDraws = (request: WorkRequest) => (request as { block: { block: { draws: Float64Array } } }).block.block.draws;

describe("summary and diagnostics jobs", () => {
  it("move their draws to the worker and give the buffer back with the answer; a view is copied first", async () => {
    const received: WorkRequest[] = [];
    const pool = new WorkPool(() => inThreadPort(received), 1);
    const options = { point: "median", interval: "eti", probs: [0.9] } as const;
    const draws = Float64Array.from({ length: 2 * 300 }, (_, i) => Math.sin(i));
    const back = await pool.block({ kind: "summarize", block: { draws, count: 2, options } });
    const sent = sentDraws(received[0]);
    expect(sent).toBe(draws);
    expect(back.draws).toBe(draws);
    // Draws that share their buffer with other data (a view) are copied, so only the copy moves.
    const big = new Float64Array(1200);
    big.set(draws);
    const again = await pool.block({ kind: "summarize", block: { draws: big.subarray(0, 600), count: 2, options } });
    const moved = sentDraws(received[1]);
    expect(moved.buffer).not.toBe(big.buffer);
    expect([...moved]).toEqual([...draws]);
    expect([...again.values]).toEqual([...back.values]);
  });
});

describe("decode pool", () => {
  it("gives the stored bytes' buffer back with the chunk, and decodes the next chunk into a chunk's buffer recycled after use", async () => {
    const { frames } = JSON.parse(readFileSync(new URL("./fixtures/blosc/frames.json", import.meta.url), "utf8")) as {
      frames: { offset: number; length: number; kind: string; size: number; typesize: number; cname: string; shuffle: number; clevel: number }[];
    };
    const blob = new Uint8Array(readFileSync(new URL("./fixtures/blosc/frames.bin", import.meta.url)));
    const c = frames.find((f) => f.kind === "runs" && f.size === 100_000 && f.typesize === 8 && f.cname === "lz4" && f.shuffle === 1 && f.clevel === 5)!;
    const zarray = {
      zarr_format: 2,
      shape: [12_500],
      chunks: [12_500],
      dtype: "<f8",
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
      fill_value: 0,
      filters: null,
      order: "C",
    };
    // The chunk's stored bytes as a response body gives them (read into a buffer lent whole), or as a file read does.
    const body = () => {
      const bytes = ownedView(new ArrayBuffer(c.length + 100), c.length);
      bytes.set(blob.subarray(c.offset, c.offset + c.length));
      return bytes;
    };
    const job = (bytes = body()) => ({ format: 2 as const, metadata: new TextEncoder().encode(JSON.stringify(zarray)), coords: [0], bytes, asBool: false, where: "/x" });
    const received: WorkRequest[] = [];
    const pool = new WorkPool(() => inThreadPort(received), 1);
    const first = await pool.decode(job());
    const buffer = (first.values.data as Float64Array).buffer;
    const again = (first.values.data as Float64Array).slice();
    pool.recycle(first);
    const second = await pool.decode(job());
    const [one, two] = received as { job: { bytes: Uint8Array }; spare?: ArrayBuffer }[];
    expect(one.spare).toBeUndefined();
    expect(two.spare).toBe(buffer);
    expect((second.values.data as Float64Array).buffer).toBe(buffer);
    expect([...(second.values.data as Float64Array)]).toEqual([...again]);
    // What this pool did not decode is not taken: its values may be a view of stored bytes.
    pool.recycle({ values: { kind: "number", data: new Float64Array(12_500) }, stride: [1] });
    await pool.decode(job());
    expect((received[2] as { spare?: ArrayBuffer }).spare).toBeUndefined();
    // Each body's buffer came back, to read a later body into; bytes read from a file stay in the worker.
    const stored = (received as { job: { bytes: Uint8Array } }[]).map((r) => r.job.bytes.buffer);
    expect(stored).toContain(takeBuffer(c.length));
    const fromFile = job(blob.slice(c.offset, c.offset + c.length));
    await pool.decode(fromFile);
    expect((received[3] as { giveBack?: boolean }).giveBack).toBeUndefined();
    expect((received[2] as { giveBack?: boolean }).giveBack).toBe(true);
  });

  it("decodes large chunks on its workers, with the same values", async () => {
    const received: WorkRequest[] = [];
    const spawned: number[] = [];
    const pool = new WorkPool(() => {
      spawned.push(1);
      return inThreadPort(received);
    }, 2);
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

  it("leaves chunks stored as they are (no compressor, no filters) on this thread: a worker would have nothing to decode", async () => {
    const received: WorkRequest[] = [];
    const trace = await openTrace(await openPathStore(join(FIXTURES, "grouped_regression.nc")), { pool: new WorkPool(() => inThreadPort(received), 2) });
    // mu is one uncompressed chunk of 4 × 400 × 96 float64 (1.2 MB), far over the pooled size.
    expect((await trace.extract("mu[obs_ind]")).numRows).toBe(153_600);
    expect(received.filter((r) => "job" in r)).toEqual([]);
  });

  it("diagnoses and summarises blocks on its workers, whose modules for these load on the first request", async () => {
    const pool = new WorkPool(() => inThreadPort([]), 1);
    // Two scalars of 2 chains x 4 draws: 1..8 and 8 times 5.
    const draws = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 5, 5, 5, 5, 5, 5, 5, 5]);
    const [{ values: diagnostics }, { values: summaries }] = await Promise.all([
      pool.block({ kind: "diagnose", block: { draws: draws.slice(), chains: 2, count: 2 } }),
      pool.block({ kind: "summarize", block: { draws: draws.slice(), count: 2, options: { point: "median", interval: "eti", probs: [0.5] } } }),
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
