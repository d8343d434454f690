import type { AbsolutePath } from "@zarrita/storage";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { diagnosticTargets } from "../src/engine/diagnose.ts";
import { keepDraws, keepOnly, keptDrawBytes, takeDraws } from "../src/engine/draw-buffers.ts";
import { targetBlocks } from "../src/engine/element-blocks.ts";
import { openTrace } from "../src/engine/trace.ts";
import { openTree } from "../src/engine/tree.ts";
import { float64Array, memoryStore, sampledGroup, V2_ROOT } from "./memory-store.ts";

const CHAINS = 3;
const DRAWS = 10;
const PARAMS = 6;
const theta = ([c, d, p]: number[]) => c * 1000 + d * 10 + p;
/** theta in chunk columns of 3 params: with a bound of 2,000 bytes, two blocks of one column each, read one ahead. */
const files = { ...V2_ROOT, ...sampledGroup("posterior", CHAINS, DRAWS), ...float64Array("posterior/theta", ["chain", "draw", "param"], [CHAINS, DRAWS, PARAMS], [1, DRAWS, 3], theta) };
const BOUND = 2000;

/** theta's target, its second chunk column's reads held until `release` is called (and chain 0's failing, when asked). */
async function thetaTarget(failing = false) {
  const { store, list, label } = memoryStore(files);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const get = async (key: AbsolutePath) => {
    if (failing && key.endsWith("theta/0.0.1")) throw new Error("the disk is gone");
    if (/theta\/\d\.0\.1$/.test(key)) await held;
    return store.get(key);
  };
  const opened = await openTree({ store: { get }, list, label });
  const [target] = diagnosticTargets(opened, { kind: "query", query: "theta", groups: [] });
  return { opened, target, release };
}

/** Each element's draws, element after element, as targetBlocks reads them. */
const expectedDraws = (first: number, count: number) =>
  Float64Array.from({ length: count * CHAINS * DRAWS }, (_, i) => {
    const s = i % (CHAINS * DRAWS);
    return theta([Math.floor(s / DRAWS), s % DRAWS, first + Math.floor(i / (CHAINS * DRAWS))]);
  });

beforeEach(() => keepOnly(new Map()));

describe("blocks' buffers kept between computations", () => {
  it("gives back a kept buffer of the length asked for, keeps only what the next computation takes, and never an emptied one", () => {
    const a = new Float64Array(8);
    const b = new Float64Array(8);
    const c = new Float64Array(4);
    const moved = new Float64Array(8);
    structuredClone(moved.buffer, { transfer: [moved.buffer] });
    keepDraws([a, b, c, moved, a]);
    expect(keptDrawBytes()).toBe(8 * (8 + 8 + 4));
    keepOnly(new Map([[8, 1]]));
    expect(keptDrawBytes()).toBe(8 * 8);
    expect([a, b]).toContain(takeDraws(8));
    const fresh = takeDraws(8);
    expect([a, b, c]).not.toContain(fresh);
    expect(keptDrawBytes()).toBe(0);
  });

  it("a second pass over a target reads into the first's buffers, overwriting every value", async () => {
    const pass = async () => {
      const { opened, target, release } = await thetaTarget();
      release();
      const slabs: { draws: Float64Array; values: Float64Array; from: number; count: number }[] = [];
      for await (const { slabs: read } of targetBlocks(opened, target, { memoryBound: BOUND })) {
        for (const s of read) slabs.push({ draws: s.draws, values: s.draws.slice(), from: s.block.from, count: s.block.count });
      }
      return slabs;
    };
    const first = await pass();
    expect(first.map((s) => s.count)).toEqual([3, 3]);
    for (const s of first) expect(s.values).toEqual(expectedDraws(s.from, s.count));
    // The first pass's buffers, kept, then scribbled on: the second pass must write every value.
    for (const s of first) s.draws.fill(-1);
    const second = await pass();
    for (const s of second) expect(first.some((f) => f.draws === s.draws)).toBe(true);
    for (const s of second) expect(s.values).toEqual(expectedDraws(s.from, s.count));
  });

  it("stopped while the next block is read, keeps the buffers of the block it had and not those still written into", async () => {
    const { opened, target, release } = await thetaTarget();
    let had: Float64Array[] = [];
    for await (const { slabs } of targetBlocks(opened, target, { memoryBound: BOUND })) {
      had = slabs.map((s) => s.draws);
      break;
    }
    const bytes = had.reduce((n, d) => n + d.byteLength, 0);
    expect(bytes).toBe(3 * CHAINS * DRAWS * 8);
    expect(keptDrawBytes()).toBe(bytes);
    // The held read finishes into the second block's buffers: they stay out.
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(keptDrawBytes()).toBe(bytes);
  });

  it("keeps none of a block whose read failed, whatever its other chunks' reads still write", async () => {
    const { opened, target, release } = await thetaTarget(true);
    let had: Float64Array[] = [];
    const reading = (async () => {
      for await (const { slabs } of targetBlocks(opened, target, { memoryBound: BOUND })) had = slabs.map((s) => s.draws);
    })();
    await expect(reading).rejects.toThrow("the disk is gone");
    release();
    expect(keptDrawBytes()).toBe(had.reduce((n, d) => n + d.byteLength, 0));
    expect(had.map((d) => d.length)).toEqual([3 * CHAINS * DRAWS]);
  });

  it("keeps nothing past its bound of time, nor once a query's table is read", async () => {
    vi.useFakeTimers();
    try {
      keepDraws([new Float64Array(16)]);
      vi.advanceTimersByTime(14_000);
      expect(keptDrawBytes()).toBe(128);
      vi.advanceTimersByTime(2_000);
      expect(keptDrawBytes()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    keepDraws([new Float64Array(16)]);
    const trace = await openTrace(memoryStore(files));
    expect((await trace.extract("theta")).numRows).toBe(CHAINS * DRAWS * PARAMS);
    expect(keptDrawBytes()).toBe(0);
  });
});
