import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { splitByLabels } from "../src/engine/split.ts";
import { eti, sortedDraws, numpyQuantile } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { buildTable, float64Data, int32Data, labelData } from "../src/engine/table-build.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { dotQuantiles } from "../src/panels/dots/bins.ts";
import { panel as dotsData } from "../src/panels/dots/data.ts";
import { panel as dotsKind } from "../src/panels/dots/panel.ts";
import { panel as intervalData } from "../src/panels/interval/data.ts";
import { panel as intervalKind } from "../src/panels/interval/panel.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panel as priorData, RANGE_PROB } from "../src/panels/prior/data.ts";
import { panel as priorKind } from "../src/panels/prior/panel.ts";
import type { PanelKind, PanelOptions } from "../src/panels/types.ts";
import { FIXTURES } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const GROUPS = ["North", "South", "East", "West"];

interface GoldenRow {
  [key: string]: number | string;
  median: number;
  mean: number;
  eti_lower: number;
  eti_upper: number;
  hdi_lower: number;
  hdi_upper: number;
  n: number;
}
interface GoldenCase {
  group: string;
  specs: string[];
  summary_prob: number;
  summary: GoldenRow[];
}
const cases = JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", "cases.json"), "utf8")) as GoldenCase[];
const golden = (group: string, specs: string) => cases.find((c) => c.group === group && c.specs.join(", ") === specs)!;

const REL = 1e-12;
/** The goldens are numpy's: equal to 1e-12 relative. */
const expectClose = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.abs(expected));

/** A kind's options for a table as the page resolves them, with some set. */
const optionsFor = (kind: PanelKind<never>, table: Table, set: PanelOptions = {}) => resolveOptions(kind, set, tableShape(table)).options;

/**
 * A tidy table of `elements` values of theta over 4 chains × `draws` draws, rows ordered chain,
 * draw, element as the engine writes them: element e's draws are e plus a spread that grows with the draw.
 */
function bigTable(elements: number, draws: number): Table {
  const rows = 4 * draws * elements;
  const chain = new Int32Array(rows);
  const draw = new Int32Array(rows);
  const element = new Int32Array(rows);
  const theta = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const e = r % elements;
    const d = Math.floor(r / elements) % draws;
    chain[r] = Math.floor(r / (elements * draws));
    draw[r] = d;
    element[r] = e;
    theta[r] = e + (d / draws - 0.5) * (1 + chain[r]);
  }
  return buildTable([
    { name: "chain", role: "sample", data: int32Data(chain) },
    { name: "draw", role: "sample", data: int32Data(draw) },
    {
      name: "site",
      role: "dim",
      data: labelData(
        Array.from({ length: elements }, (_, e) => `s${e}`),
        element,
      ),
    },
    { name: "theta", role: "value", data: float64Data(theta), dims: ["site"] },
  ]);
}

describe("interval panel data", () => {
  it("per group of beta: the golden medians and 89% ETIs, the 50% ETI of the draws, 1,600 draws each", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    const options = optionsFor(intervalKind, table);
    const data = intervalData.data(table, options);
    expect(data).toMatchObject({ value: "beta", by: ["groups"], point: "median", interval: "eti", probs: [0.5, 0.89], color: "", colors: [], dodge: false, rows: GROUPS });
    expect(Array.from(data.row)).toEqual([0, 1, 2, 3]);
    expect(Array.from(data.level)).toEqual([-1, -1, -1, -1]);
    const want = golden("posterior", "beta[groups], sigma").summary;
    const { groups } = splitByLabels(table, "beta", ["groups"]);
    want.forEach((g, i) => {
      expectClose(data.summaries.point[i], g.median);
      expectClose(data.summaries.lower[1][i], g.eti_lower);
      expectClose(data.summaries.upper[1][i], g.eti_upper);
      expect(data.summaries.n[i]).toBe(1600);
      const half = eti(sortedDraws(groups[i].values), 0.5);
      expect([data.summaries.lower[0][i], data.summaries.upper[0][i]]).toEqual([half.lower, half.upper]);
    });
  });

  it("means with 89% HDIs equal the goldens", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    const data = intervalData.data(table, optionsFor(intervalKind, table, { point: "mean", interval: "hdi", inner: 0.89, outer: 0.89 }));
    expect(data.probs).toEqual([0.89]);
    golden("posterior", "beta[groups], sigma").summary.forEach((g, i) => {
      expectClose(data.summaries.point[i], g.mean);
      expectClose(data.summaries.lower[0][i], g.hdi_lower);
      expectClose(data.summaries.upper[0][i], g.hdi_upper);
    });
  });

  it("stacked groups dodge by source within each group's row: posterior and prior summaries equal their goldens", async () => {
    const table = await trace.extract(["beta[groups]"], { groups: ["posterior", "prior"] });
    const data = intervalData.data(table, optionsFor(intervalKind, table));
    expect(data).toMatchObject({ by: ["groups", "source"], color: "source", colors: ["posterior", "prior"], dodge: true, rows: GROUPS });
    expect(Array.from(data.row)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(Array.from(data.level)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    const post = golden("posterior", "beta[groups], sigma").summary;
    const prior = golden("prior", "beta[groups]").summary;
    GROUPS.forEach((_, i) => {
      expectClose(data.summaries.lower[1][2 * i], post[i].eti_lower);
      expectClose(data.summaries.upper[1][2 * i + 1], prior[i].eti_upper);
      expectClose(data.summaries.point[2 * i + 1], prior[i].median);
      expect([data.summaries.n[2 * i], data.summaries.n[2 * i + 1]]).toEqual([1600, 400]);
    });
  });

  it("derives the interval summary table from the same numbers", async () => {
    const table = await trace.extract(["mu[obs_ind]"]);
    const options = optionsFor(intervalKind, table, { inner: 0.89 });
    const data = intervalData.data(table, options);
    const derived = intervalData.derived!(table, options);
    expect(derived.schema.fields.map((f) => f.name)).toEqual(["obs_ind", "mu", "mu_lower", "mu_upper"]);
    const want = golden("posterior", "mu[obs_ind]").summary;
    expect(derived.numRows).toBe(want.length);
    expect(data.rows).toEqual(want.map((g) => String(g.obs_ind)));
    want.forEach((g, i) => {
      expectClose(data.summaries.point[i], g.median);
      expectClose(data.summaries.lower[0][i], g.eti_lower);
      expect(derived.getChild("mu")!.get(i)).toBe(data.summaries.point[i]);
      expect(derived.getChild("mu_upper")!.get(i)).toBe(data.summaries.upper[0][i]);
    });
  });

  it("is the same whatever the sort and reference (they are drawn on the page), and survives structured cloning", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    const data = intervalData.data(table, optionsFor(intervalKind, table));
    expect(intervalData.data(table, optionsFor(intervalKind, table, { sort: "descending", ref: "0" }))).toEqual(data);
    expect(intervalKind.drawOnly).toEqual(["sort", "ref"]);
    expect(structuredClone(data)).toEqual(data);
  });

  it("is a few numbers per element, however many draws: 500 sites × 4,000 draws give 500 summaries", () => {
    const table = bigTable(500, 1000);
    expect(table.numRows).toBe(2_000_000);
    const data = intervalData.data(table, optionsFor(intervalKind, table));
    expect(data.rows).toHaveLength(500);
    for (const column of [data.row, data.level, data.summaries.point, data.summaries.n, ...data.summaries.lower, ...data.summaries.upper]) expect(column).toHaveLength(500);
    // Site e's draws are e plus each chain's spread, (d/1000 − 0.5)·(1 + chain), nearly symmetric about 0: the median is within 0.01 of e.
    expect(Math.abs(data.summaries.point[321] - 321)).toBeLessThan(0.01);
    expect(data.summaries.n[0]).toBe(4000);
  });
});

describe("quantile dots data", () => {
  it("per group of beta: 100 quantiles at (i − 0.5)/100 of its draws, the 6th and 95th the golden 89% ETI", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    const data = dotsData.data(table, optionsFor(dotsKind, table));
    expect(data).toMatchObject({ value: "beta", by: ["groups"], labels: GROUPS, notes: [] });
    expect(data.probs).toHaveLength(100);
    expect([data.probs[0], data.probs[99]]).toEqual([0.005, 0.995]);
    expect(data.quantiles).toHaveLength(400);
    const { groups } = splitByLabels(table, "beta", ["groups"]);
    const want = golden("posterior", "beta[groups], sigma").summary;
    groups.forEach((g, r) => {
      expect(data.quantiles.slice(r * 100, (r + 1) * 100)).toEqual(dotQuantiles(sortedDraws(g.values), 100).values);
      expect(data.quantiles[r * 100 + 5]).toBeCloseTo(want[r].eti_lower, 9);
      expect(data.quantiles[r * 100 + 94]).toBeCloseTo(want[r].eti_upper, 9);
    });
  });

  it("sorts rows by median in the worker, and derives the dots' table: groups, prob, beta", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    const options = optionsFor(dotsKind, table, { sort: "descending", dots: 20 });
    const data = dotsData.data(table, options);
    expect(data.labels).toEqual(["East", "South", "North", "West"]);
    expect(data.quantiles).toHaveLength(80);
    const derived = dotsData.derived!(table, options);
    expect(derived.schema.fields.map((f) => f.name)).toEqual(["groups", "prob", "beta"]);
    expect(derived.numRows).toBe(80);
    expect(derived.getChild("groups")!.get(20)).toBe("South");
    expect(derived.getChild("prob")!.get(21)).toBe(0.075);
    expect(derived.getChild("beta")!.toArray()).toEqual(data.quantiles);
  });

  it("is the same whatever the reference line, and survives structured cloning", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    const data = dotsData.data(table, optionsFor(dotsKind, table));
    expect(dotsData.data(table, optionsFor(dotsKind, table, { ref: "0.5" }))).toEqual(data);
    expect(structuredClone(data)).toEqual(data);
  });

  it("holds at most 10,000 dots: 2,000 sites at 100 dots show 100 rows, and say so", () => {
    const table = bigTable(2000, 250);
    const data = dotsData.data(table, optionsFor(dotsKind, table));
    expect(data.labels).toHaveLength(100);
    expect(data.labels[99]).toBe("s99");
    expect(data.quantiles).toHaveLength(10_000);
    expect(data.notes).toEqual(["Showing 100 of 2,000 rows (at most 10,000 dots): fewer dots per row show more rows."]);
  });
});

describe("prior vs posterior data", () => {
  it("per group: both sources' densities, golden summaries and central ranges (99%)", async () => {
    const table = await trace.extract(["beta[groups]"], { groups: ["posterior", "prior"] });
    const data = priorData.data(table, optionsFor(priorKind, table));
    expect(data).toMatchObject({ value: "beta", facetDims: ["groups"], source: "source", sources: ["posterior", "prior"], focus: "posterior", probs: [0.5, 0.89], facetCount: 4 });
    expect(data.facets.map((f) => f.label)).toEqual(GROUPS);
    const post = golden("posterior", "beta[groups], sigma").summary;
    const prior = golden("prior", "beta[groups]").summary;
    const { groups } = splitByLabels(table, "beta", ["groups", "source"]);
    data.facets.forEach((facet, i) => {
      expect(facet.parts.map((p) => p.source)).toEqual(["posterior", "prior"]);
      facet.parts.forEach((part, j) => {
        const want = [post, prior][j][i];
        expectClose(part.summary.point, want.median);
        expectClose(part.summary.intervals[1].lower, want.eti_lower);
        expectClose(part.summary.intervals[1].upper, want.eti_upper);
        expect(part.density.x).toHaveLength(256);
        const sorted = sortedDraws(groups[2 * i + j].values);
        const tail = (1 - RANGE_PROB) / 2;
        expect(part.range).toEqual([numpyQuantile(sorted, tail), numpyQuantile(sorted, 1 - tail)]);
      });
    });
    // beta has draws below 0: the densities are not bounded.
    expect(data.estimation).toMatch(/^Gaussian KDE, bandwidths [\d.]+–[\d.]+; Silverman's rule .*; not bounded: some draws of beta are below 0\.$/);
  });

  it("bounds a positive parameter below at 0; one group read is one source", async () => {
    const table = await trace.extract(["sigma"]);
    const data = priorData.data(table, optionsFor(priorKind, table));
    expect(data).toMatchObject({ value: "sigma", facetDims: [], source: "", sources: [""], focus: "", facetCount: 1 });
    expect(data.facets.map((f) => f.label)).toEqual(["sigma"]);
    expectClose(data.facets[0].parts[0].summary.point, golden("posterior", "sigma").summary[0].median);
    expect(data.estimation).toMatch(/; bounded below at 0: every draw of sigma is ≥ 0\.$/);
  });

  it("is the same whatever the heights and x range (they are drawn on the page), and survives structured cloning", async () => {
    const table = await trace.extract(["beta[groups]"], { groups: ["posterior", "prior"] });
    const data = priorData.data(table, optionsFor(priorKind, table));
    expect(priorData.data(table, optionsFor(priorKind, table, { heights: "density", range: "posterior" }))).toEqual(data);
    expect(structuredClone(data)).toEqual(data);
  });

  it("holds at most 24 facets of 256-point curves however many there are, and derives every facet's summary", async () => {
    const table = bigTable(60, 500);
    const options = optionsFor(priorKind, table);
    const data = priorData.data(table, options);
    expect(data.facetCount).toBe(60);
    expect(data.facets).toHaveLength(24);
    expect(data.facets[23].label).toBe("s23");
    const derived = priorData.derived!(table, options);
    expect(derived.schema.fields.map((f) => f.name)).toEqual(["site", "theta", "theta_lower_0.5", "theta_upper_0.5", "theta_lower_0.89", "theta_upper_0.89"]);
    expect(derived.numRows).toBe(60);
    expect(derived.getChild("theta")!.get(5)).toBe(data.facets[5].parts[0].summary.point);

    const stacked = await trace.extract(["beta[groups]"], { groups: ["posterior", "prior"] });
    const summary = priorData.derived!(stacked, optionsFor(priorKind, stacked));
    expect(summary.numRows).toBe(8);
    expect(summary.getChild("source")!.get(7)).toBe("prior");
    expectClose(summary.getChild("beta_lower_0.89")!.get(7), golden("prior", "beta[groups]").summary[3].eti_lower);
  });
});
