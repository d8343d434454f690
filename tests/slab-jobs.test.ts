import { describe, expect, it, vi } from "vitest";
import type { SlabDraws } from "../src/engine/block-draws.ts";
import type { BlockJob } from "../src/engine/pool/block-job.ts";
import { runSlabJobs } from "../src/engine/slab-jobs.ts";

/** The jobs computed on this thread, by their slab's element count; with `failOne`, the job of one element fails. */
const computed: number[] = [];
let failOne = false;
vi.mock("../src/engine/pool/block-job.ts", async (original) => ({
  ...(await original<typeof import("../src/engine/pool/block-job.ts")>()),
  computeBlock: async (job: BlockJob) => {
    computed.push(job.block.count);
    if (failOne && job.block.count === 1) throw new Error("no values today");
    return new Float64Array(job.block.count);
  },
}));

const slabs: SlabDraws[] = [1, 2, 3].map((count) => ({ block: { from: 0, count, ranges: [[0, count]] as [number, number][] }, draws: new Float64Array(count * 4) }));
const jobOf = (slab: SlabDraws): BlockJob => ({ kind: "diagnose", block: { draws: slab.draws, chains: 2, count: slab.block.count } });

describe("slab jobs on this thread", () => {
  it("runs each slab's job and reports its values", async () => {
    computed.length = 0;
    const reported: number[] = [];
    await runSlabJobs(slabs, jobOf, {}, (slab, values) => reported.push(slab.block.count, values.length));
    expect(computed).toEqual([1, 2, 3]);
    expect(reported).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it("does not run a job still waiting when the work is cancelled (its buffer may be another computation's by then)", async () => {
    computed.length = 0;
    const controller = new AbortController();
    const work = runSlabJobs(slabs, jobOf, { signal: controller.signal }, () => undefined);
    controller.abort(new Error("cancelled"));
    await expect(work).rejects.toThrow("cancelled");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(computed).toEqual([]);
  });

  it("does not run a job still waiting once another has failed", async () => {
    computed.length = 0;
    failOne = true;
    try {
      await expect(runSlabJobs(slabs, jobOf, {}, () => undefined)).rejects.toThrow("no values today");
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(computed).toEqual([1]);
    } finally {
      failOne = false;
    }
  });
});
