import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { kde } from "../src/engine/stats/kde.ts";
import { queryElements } from "../src/engine/query-elements.ts";
import { openPath, openPathStore } from "../src/engine/store/node.ts";
import { openTree } from "../src/engine/tree.ts";
import type { TableShape } from "../src/engine/table-shape.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { panelData } from "../src/panels/data-registry.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panelKind } from "../src/panels/registry.ts";
import type { DensityData } from "../src/panels/density/data.ts";
import type { DotsData } from "../src/panels/dots/data.ts";
import type { IntervalData } from "../src/panels/interval/data.ts";
import type { TableData } from "../src/panels/table/data.ts";
import { PAGE_ROWS, RowPages } from "../src/panels/table/rows.ts";
import type { WorkRequest } from "../src/engine/pool/pool.ts";
import { FIXTURES, goldenCsv } from "./golden.ts";
import { inThreadPool } from "./in-thread-pool.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const golden = goldenCsv("grouped_regression.expected", "case01.csv.gz");
const column = (name: string) => golden.header.indexOf(name);

/** A panel's data as the worker computes it for a query, with the options resolved as the page does. */
async function dataOf<D>(kind: string, query: string, stored: Record<string, string | number | boolean> = {}): Promise<{ data: D; table: Table }> {
  const table = await trace.extract(query);
  const { options } = resolveOptions(panelKind(kind)!, stored, tableShape(table));
  return { data: panelData(kind).data(table, options) as D, table };
}

describe("a table's shape, which the page gets instead of its rows", () => {
  it("has the columns with their roles, every level of each dimension and the chains as text, and the row count", async () => {
    const shape = tableShape(await trace.extract("beta[groups], mu[obs_ind]", { groups: ["posterior", "prior"] }));
    // 1,600 posterior draws and 400 prior draws, each with 4 groups × 96 observations.
    expect(shape.numRows).toBe((1600 + 400) * 4 * 96);
    expect(shape.columns.map((c) => [c.name, c.role])).toEqual([
      ["source", "source"],
      ["chain", "sample"],
      ["draw", "sample"],
      ["groups", "dim"],
      ["obs_ind", "dim"],
      ["beta", "value"],
      ["mu", "value"],
    ]);
    expect(shape.levels.groups).toEqual(["North", "South", "East", "West"]);
    expect(shape.levels.source).toEqual(["posterior", "prior"]);
    expect(shape.levels.obs_ind).toEqual(Array.from({ length: 96 }, (_, i) => String(i)));
    // Chains for the panels' Chains option; draws are too many to list. Prior draws have chain 0 only.
    expect(shape.levels.chain).toEqual(["0", "1", "2", "3"]);
    expect(shape.levels.draw).toBeUndefined();
    expect(structuredClone(shape)).toEqual(shape);
  });
});

describe("the density panel's data", () => {
  it("is one KDE per group of the golden draws, named and described for the figure", async () => {
    const { data } = await dataOf<DensityData>("density", "beta[groups], intercept[groups]");
    expect(data.name).toBe("Density of beta by groups: 4 curves in 4 facets");
    expect(data.layout).toBe("facets");
    expect(data.levels).toEqual(["North", "South", "East", "West"]);
    for (const curve of data.curves) {
      const draws = Float64Array.from(
        golden.rows.filter((r) => r[column("groups")] === curve.keys[0]),
        (r) => Number(r[column("beta")]),
      );
      // The same draws in another order give the same estimate, to rounding.
      const expected = kde(draws, { points: 256 });
      expect(curve.estimate.n).toBe(1600);
      expect(curve.estimate.bandwidth).toBeCloseTo(expected.bandwidth, 12);
      curve.estimate.density.forEach((d, i) => expect(d).toBeCloseTo(expected.density[i], 9));
    }
    expect(data.estimation).toMatch(/^Gaussian KDE, bandwidths [\d.]+–[\d.]+; /);
  });

  it("crosses to the page unchanged, and holds curves of a fixed size whatever the draws", async () => {
    const { data } = await dataOf<DensityData>("density", "mu[obs_ind]", { facet: "", color: "obs_ind" });
    expect(structuredClone(data)).toEqual(data);
    expect(data.curves).toHaveLength(96);
    expect(data.curves.every((c) => c.estimate.x.length === 256)).toBe(true);
  });

  it("does not depend on what only changes the drawing: fill and the reference line", async () => {
    const kind = panelKind("density")!;
    expect(kind.drawOnly).toEqual(["fill", "ref"]);
    const table = await trace.extract("sigma");
    const { options } = resolveOptions(kind, {}, tableShape(table));
    const plain = panelData("density").data(table, options);
    expect(panelData("density").data(table, { ...options, fill: false, ref: "0.4" })).toEqual(plain);
  });
});

describe("the table panel", () => {
  it("starts from the table's first rows and its row count", async () => {
    const { data, table } = await dataOf<TableData>("table", "beta[groups], intercept[groups]");
    expect(data.numRows).toBe(6400);
    const first = tableFromIPC(data.first);
    expect(first.numRows).toBe(100);
    expect(first.schema.fields.map((f) => f.name)).toEqual(["chain", "draw", "groups", "beta", "intercept"]);
    for (const r of [0, 57, 99]) {
      expect(first.getChild("beta")!.get(r)).toBe(table.getChild("beta")!.get(r));
      expect(first.getChild("groups")!.get(r)).toBe(golden.rows[r][column("groups")]);
      expect(first.getChild("beta")!.get(r)).toBeCloseTo(Number(golden.rows[r][column("beta")]), 15);
    }
  });

  it("reads further rows a page at a time, keeps a few pages, and asks again after a failure", async () => {
    const table = await trace.extract("beta[groups]");
    const asked: number[] = [];
    let fail = false;
    const fetch = async (offset: number, count: number) => {
      asked.push(offset);
      if (fail) throw new Error("the worker is gone");
      return table.slice(offset, offset + count);
    };
    const pages = new RowPages(table.numRows, table.slice(0, 100), fetch);
    const value = (row: unknown[]) => row[3];
    expect((await pages.rows(0, 20)).map(value)).toEqual(Array.from({ length: 20 }, (_, r) => table.getChild("beta")!.get(r)));
    expect(asked).toEqual([]);
    const across = await pages.rows(190, 215);
    expect(asked).toEqual([PAGE_ROWS, 2 * PAGE_ROWS]);
    expect(across.map(value)).toEqual(Array.from({ length: 25 }, (_, r) => table.getChild("beta")!.get(190 + r)));
    await pages.rows(195, 205);
    expect(asked).toHaveLength(2);
    // The last page is short; nothing beyond the table is asked for.
    expect(await pages.rows(6390, 6420)).toHaveLength(10);
    fail = true;
    await expect(pages.rows(3000, 3010)).rejects.toThrow("the worker is gone");
    fail = false;
    expect(await pages.rows(3000, 3010)).toHaveLength(10);
    expect(asked.filter((o) => o === 3000)).toHaveLength(2);
  });
});

describe("a query described before it is read", () => {
  it("has the shape its table has, for every golden case and for stacked groups", async () => {
    const cases = [
      { query: "sigma", groups: ["posterior"] },
      { query: "beta[groups], intercept[groups]", groups: ["posterior"] },
      { query: "beta[groups], mu[obs_ind]", groups: ["posterior", "prior"] },
      { query: "beta[groups=South|North], sigma", groups: ["posterior"] },
      { query: "posterior_predictive/y[obs_ind=3|1|2]", groups: ["posterior"] },
      { query: "observed_data/y[obs_ind]", groups: ["posterior"] },
    ];
    for (const { query, groups } of cases) {
      let planned: { bytes: number; shape: TableShape } | undefined;
      const table = await trace.extract(query, { groups, onPlanned: (plan) => (planned = plan) });
      expect(planned!.shape).toEqual(tableShape(table));
      expect(planned!.bytes).toBeGreaterThanOrEqual(table.numRows * 8);
      // A query over the budget gets the same shape, from its elements.
      expect(trace.elements(query, { groups }).shape).toEqual(tableShape(table));
    }
  });
});

const opened = await openTree(await openPathStore(join(FIXTURES, "grouped_regression.zarr")));

describe("intervals of a query too big to hold, from its elements read chunk by chunk", () => {
  const intervals = panelData("interval");

  it("equal the intervals of the table, row for row, however small the blocks", async () => {
    const table = await trace.extract("mu[obs_ind]");
    const { options } = resolveOptions(panelKind("interval")!, { inner: 0.5, outer: 0.89 }, tableShape(table));
    const whole = intervals.data(table, options) as IntervalData;
    // 96 elements of 1,600 draws; a bound of 64 kB holds 5 of them: 20 blocks.
    const elements = queryElements(opened, "mu[obs_ind]", ["posterior"], 64_000);
    let blocks = 0;
    for await (const block of elements.blocks("mu")) {
      blocks++;
      expect(block.count * block.perElement * 8).toBeLessThanOrEqual(64_000);
    }
    expect(blocks).toBeGreaterThan(10);
    const streamed = (await intervals.streamed!(elements, options, new AbortController().signal)) as IntervalData;
    expect(streamed.rows).toEqual(whole.rows);
    expect(streamed.summaries).toEqual(whole.summaries);
    expect(streamed.probs).toEqual([0.5, 0.89]);
    expect(streamed.notes?.[0]).toBe("Summarised element by element from the chunks as they were read: the query's table is over the memory budget, so rows are the elements of mu (obs_ind).");
    expect(structuredClone(streamed)).toEqual(streamed);
  });

  it("on a pool of two workers: each block in four slabs that go to the workers and come back to read the next block into", async () => {
    const table = await trace.extract("mu[obs_ind]");
    const { options } = resolveOptions(panelKind("interval")!, { inner: 0.5, outer: 0.89 }, tableShape(table));
    const whole = intervals.data(table, options) as IntervalData;
    const received: WorkRequest[] = [];
    const pooled = await openTree(await openPathStore(join(FIXTURES, "grouped_regression.zarr")), inThreadPool(2, received));
    // 96 elements of 1,600 draws in 12 blocks of 8 (a bound of 400 kB), each in slabs of 2.
    const elements = queryElements(pooled, "mu[obs_ind]", ["posterior"], 400_000);
    const streamed = (await intervals.streamed!(elements, options, new AbortController().signal)) as IntervalData;
    expect(streamed.rows).toEqual(whole.rows);
    expect(streamed.summaries).toEqual(whole.summaries);
    const slabs = received.flatMap((r) => ("block" in r && r.block.kind === "summarize" ? [r.block.block] : []));
    expect(slabs.map((s) => s.count)).toEqual(new Array(48).fill(2));
    // The second block is read into the buffers the first block's slabs came back in.
    expect(slabs[4].draws).toBe(slabs[0].draws);
    const dots = resolveOptions(panelKind("dots")!, { dots: 20 }, tableShape(table)).options;
    const pooledDots = (await panelData("dots").streamed!(queryElements(pooled, "mu[obs_ind]", ["posterior"], 400_000), dots, new AbortController().signal)) as DotsData;
    expect(pooledDots.quantiles).toEqual((panelData("dots").data(table, dots) as DotsData).quantiles);
  });

  it("as quantile dots, equal the dots of the table", async () => {
    const table = await trace.extract("mu[obs_ind]");
    const { options } = resolveOptions(panelKind("dots")!, { dots: 20 }, tableShape(table));
    const whole = panelData("dots").data(table, options) as DotsData;
    const elements = queryElements(opened, "mu[obs_ind]", ["posterior"], 64_000);
    const streamed = (await panelData("dots").streamed!(elements, options, new AbortController().signal)) as DotsData;
    expect(streamed.labels).toEqual(whole.labels);
    expect(streamed.quantiles).toEqual(whole.quantiles);
    expect(streamed.quantiles).toHaveLength(96 * 20);
    expect(streamed.notes).toEqual([
      "Summarised element by element from the chunks as they were read: the query's table is over the memory budget, so rows are the elements of mu (obs_ind).",
      ...whole.notes,
    ]);
  });

  it("match the golden medians and 89% intervals, and label stacked groups' elements by their source", async () => {
    const elements = queryElements(opened, "beta[groups=North|West]", ["posterior", "prior"]);
    const options = resolveOptions(panelKind("interval")!, {}, elements.shape).options;
    const streamed = (await intervals.streamed!(elements, options, new AbortController().signal)) as IntervalData;
    expect(streamed.rows).toEqual(["posterior · North", "posterior · West", "prior · North", "prior · West"]);
    const cases = JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", "cases.json"), "utf8"));
    const posterior = cases[1].summary;
    const prior = cases[4].summary;
    const expected = [posterior[0], posterior[3], prior[0], prior[3]];
    const j = streamed.probs.indexOf(0.89);
    expect(j).toBeGreaterThanOrEqual(0);
    expected.forEach((e: { median: number; eti_lower: number; eti_upper: number; n: number }, i: number) => {
      expect(streamed.summaries.point[i]).toBeCloseTo(e.median, 12);
      expect(streamed.summaries.lower[j][i]).toBeCloseTo(e.eti_lower, 12);
      expect(streamed.summaries.upper[j][i]).toBeCloseTo(e.eti_upper, 12);
      expect(streamed.summaries.n[i]).toBe(e.n);
    });
  });
});
