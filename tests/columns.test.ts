import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { LabelCoder, numberBatches, tableColumns } from "../src/engine/columns.ts";
import { traceFingerprint } from "../src/engine/fingerprint.ts";
import type { ExtractProgress } from "../src/engine/progress.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES, goldenCsv } from "./golden.ts";

const STORES = ["grouped_regression.zarr", "grouped_regression.v3.zarr", "grouped_regression.zarr.zip", "grouped_regression.v3.zarr.zip"];

/** A label column's codes for every row, batch after batch, and its labels. */
function labelCodes(table: Table, name: string) {
  const coder = new LabelCoder(table, name);
  const codes = new Int32Array(table.numRows);
  let offset = 0;
  for (let b = 0; b < coder.batchCount; b++) offset += coder.codeBatch(b, codes.subarray(offset)).length;
  return { codes, labels: coder.labels };
}

describe("column roles survive Arrow IPC", () => {
  it("marks sample dims, dims, values and the source column", async () => {
    const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
    const table = tableFromIPC(tableToIPC(await trace.extract("beta[groups], sigma", { groups: ["posterior", "prior"] }), "stream"));
    expect(tableColumns(table).map((c) => [c.name, c.role, c.numeric])).toEqual([
      ["source", "source", false],
      ["chain", "sample", true],
      ["draw", "sample", true],
      ["groups", "dim", false],
      ["beta", "value", true],
      ["sigma", "value", true],
    ]);
    const groups = labelCodes(table, "groups");
    expect(groups.labels).toEqual(["North", "South", "East", "West"]);
    const sources = labelCodes(table, "source");
    expect(sources.labels).toEqual(["posterior", "prior"]);
    // posterior: 4 chains × 400 draws × 4 groups; prior: 1 chain.
    expect(sources.codes.filter((c) => c === 1).length).toBe(1600);
    const counts = [0, 0, 0, 0];
    for (const c of groups.codes) counts[c]++;
    expect(counts).toEqual([2000, 2000, 2000, 2000]);
    // The beta column, read batch by batch, holds the golden posterior draws of beta[groups].
    const golden = goldenCsv("grouped_regression.expected", "case01.csv.gz");
    const betaAt = golden.header.indexOf("beta");
    const beta = Float64Array.from(numberBatches(table, "beta").flatMap((b) => Array.from(b)));
    const posteriorSum = beta.subarray(0, 6400).reduce((a, b) => a + b, 0);
    const goldenSum = golden.rows.reduce((a, r) => a + Number(r[betaAt]), 0);
    expect(posteriorSum).toBeCloseTo(goldenSum, 9);
  });
});

describe("trace fingerprint", () => {
  it("is the same for the trace as v2, v3 and either zip, and differs for another trace", async () => {
    const prints = await Promise.all(STORES.map(async (s) => traceFingerprint((await openPath(join(FIXTURES, s))).tree)));
    expect(new Set(prints).size).toBe(1);
    expect(prints[0]).toMatch(/^[0-9a-f]{16}$/);
    const other = traceFingerprint((await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"))).tree);
    expect(other).not.toBe(prints[0]);
  });
});

describe("extraction progress", () => {
  it("counts every chunk and array of the query, and the bytes read", async () => {
    const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
    const seen: ExtractProgress[] = [];
    await trace.extract("beta[groups], sigma, mu[obs_ind]", { onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(seen[0]).toMatchObject({ arraysDone: 0, arraysTotal: 3, chunksDone: 0 });
    expect(last.arraysDone).toBe(3);
    expect(last.chunksDone).toBe(last.chunksTotal);
    expect(seen.length).toBe(last.chunksTotal + 1);
    expect(last.bytesRead).toBeGreaterThan(1000);
  });
});

describe("counting reads while a trace opens", () => {
  it("reports every read and its bytes, and stops when told", async () => {
    const { CountedStore } = await import("../src/engine/store/counting.ts");
    const { openPathStore } = await import("../src/engine/store/node.ts");
    const source = await openPathStore(join(FIXTURES, "grouped_regression.zarr"));
    let calls = 0;
    let bytes = 0;
    const counted = new CountedStore({
      get: async (key) => {
        const got = await source.store.get(key);
        calls++;
        bytes += got?.byteLength ?? 0;
        return got;
      },
    });
    const seen: { reads: number; bytesRead: number }[] = [];
    counted.onRead = (c) => seen.push(c);
    const { openTrace } = await import("../src/engine/trace.ts");
    const trace = await openTrace({ ...source, store: counted });
    counted.onRead = undefined;
    expect(seen.map((c) => c.reads)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.at(-1)).toEqual({ reads: calls, bytesRead: bytes });
    // The consolidated metadata and the coordinate arrays' chunks are read while opening.
    const zmetadata = readFileSync(join(FIXTURES, "grouped_regression.zarr", ".zmetadata")).byteLength;
    expect(bytes).toBeGreaterThan(zmetadata);
    const before = seen.length;
    await trace.extract("sigma");
    expect(seen.length).toBe(before);
  });
});
