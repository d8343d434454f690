import { describe, expect, it } from "vitest";
import { readAhead } from "../src/engine/read-ahead.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("readAhead", () => {
  it("yields the results in the items' order, with at most `limit` tasks started ahead of the consumer", async () => {
    const started: number[] = [];
    const results: number[] = [];
    for await (const r of readAhead([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await pause(6 - n);
      return n * 10;
    })) {
      results.push(r);
      expect(started.length).toBeLessThanOrEqual(results.length + 2);
    }
    expect(results).toEqual([10, 20, 30, 40, 50]);
  });

  it("a task that fails while the consumer holds an earlier result gives its error at its turn, and no unhandled rejection", async () => {
    const reads = readAhead([0, 1], 2, async (n) => {
      if (n === 1) throw new Error("chunk 1 is damaged");
      return n;
    });
    expect(await reads.next()).toEqual({ done: false, value: 0 });
    // The second task has failed by now, while nobody awaited it (Vitest reports unhandled rejections as errors).
    await pause(20);
    await expect(reads.next()).rejects.toThrow("chunk 1 is damaged");
  });
});
