import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainDraws, chainSelection, ChainDrawsError, elementColumns, elementLabel } from "../src/panels/chain-draws.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panel as traceData, RUG_LIMIT } from "../src/panels/trace/data.ts";
import { panel as tracePanel } from "../src/panels/trace/panel.ts";
import { LINE_SPANS, thinMinMax } from "../src/panels/trace-thin.ts";
import { openPath } from "../src/engine/store/node.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { chainTable } from "./chain-table.ts";
import { FIXTURES } from "./golden.ts";

const eight = await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"));
const grouped = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const SCHOOLS = ["Choate", "Deerfield", "Phillips Andover", "Phillips Exeter", "Hotchkiss", "Lawrenceville", "St. Paul's", "Mt. Hermon"];

/**
 * Divergent draws of centered eight per chain, counted with numpy from the store read by zarr-python:
 *   /usr/bin/python3 -c "import zarr; d = zarr.open('arviz/centered_eight.zarr', mode='r')['sample_stats/diverging'][:]; print(d.sum(axis=1), d[1].nonzero()[0])"
 * gives [4 9 2 4] (19 in all), chain 1's at draws 106 197 205 225 257 295 314 334 337.
 */
const DIVERGENT_PER_CHAIN = [4, 9, 2, 4];
const CHAIN_1_DIVERGENT = [106, 197, 205, 225, 257, 295, 314, 334, 337];

describe("draws per element and chain", () => {
  it("split theta by school and chain, in draw order, with each chain's divergences", async () => {
    const table = await eight.extract("theta[school], sample_stats/diverging");
    const by = elementColumns(table, "theta");
    expect(by).toEqual(["school"]);
    const data = chainDraws(table, "theta", by);
    expect(data.total).toBe(8);
    expect(data.chains).toEqual(["0", "1", "2", "3"]);
    expect(data.flagged).toBe(true);
    expect(data.elements.map((e) => e.keys[0])).toEqual(SCHOOLS);
    for (const e of data.elements) {
      expect(e.series.map((s) => s.values.length)).toEqual([500, 500, 500, 500]);
      expect(Array.from(e.series[2].draws.subarray(0, 3))).toEqual([0, 1, 2]);
      expect(e.series.map((s) => s.divergent!.reduce((a, f) => a + f, 0))).toEqual(DIVERGENT_PER_CHAIN);
    }
    const chain1 = data.elements[0].series[1];
    expect(Array.from(chain1.draws.filter((_, i) => chain1.divergent![i]))).toEqual(CHAIN_1_DIVERGENT);
    // chain 0, draw 0, Choate in the draws CLI: 2.3173909715940257.
    expect(data.elements[0].series[0].values[0]).toBe(2.3173909715940257);
  });

  it("read a scalar once per draw when another spec's dims repeat it", async () => {
    const table = await grouped.extract("sigma, beta[groups]");
    const data = chainDraws(table, "sigma", elementColumns(table, "sigma"));
    expect(data.fixed).toEqual(["groups"]);
    expect(data.elements).toHaveLength(1);
    expect(data.elements[0].series.map((s) => s.values.length)).toEqual([400, 400, 400, 400]);
    // chain 0, draw 0 in the README's example: sigma 0.47830134586249906.
    expect(data.elements[0].series[0].values[0]).toBe(0.47830134586249906);
    expect(data.flagged).toBe(false);
  });

  it("split stacked groups by source: the prior's one chain beside the posterior's four", async () => {
    const table = await grouped.extract("beta[groups]", { groups: ["posterior", "prior"] });
    const by = elementColumns(table, "beta");
    expect(by).toEqual(["groups", "source"]);
    const data = chainDraws(table, "beta", by, { limit: 3 });
    expect(data.total).toBe(8);
    expect(data.elements.map((e) => elementLabel("beta", e.keys, by))).toEqual(["beta[North] · posterior", "beta[North] · prior", "beta[South] · posterior"]);
    expect(data.elements.map((e) => e.series.length)).toEqual([4, 1, 4]);
  });

  it("keep one chain when asked, and say so when the table has no such chain", async () => {
    const table = await grouped.extract("sigma");
    expect(chainSelection("2", table)).toEqual({ chains: new Set(["2"]), note: "" });
    expect(chainSelection("all", table)).toEqual({ note: "" });
    expect(chainSelection("7", table).note).toBe("This table has no chain 7 (its chains are 0–3): all chains are shown.");
    const data = chainDraws(table, "sigma", [], { chains: new Set(["2"]) });
    expect(data.elements[0].series.map((s) => s.chain)).toEqual(["2"]);
  });

  it("refuse data without draws", async () => {
    const table = await grouped.extract("observed_data/y[obs_ind]");
    expect(() => chainDraws(table, "y", ["obs_ind"])).toThrow(ChainDrawsError);
    expect(() => chainDraws(table, "y", ["obs_ind"])).toThrow("needs draws (chain and draw columns)");
  });
});

describe("trace data", () => {
  it("one line per chain in each of 8 facets, and as many rug ticks as divergent draws", async () => {
    const table = await eight.extract("theta[school], sample_stats/diverging");
    const { options, notes } = resolveOptions(tracePanel, {}, tableShape(table));
    expect(options).toEqual({ value: "theta", chains: "all", divergences: true });
    expect(notes).toEqual([]);
    const data = traceData.data(table, options);
    expect(data.name).toBe("Trace of theta: 4 chains × 500 draws in 8 facets");
    expect(data.facets.map((f) => f.label)).toEqual(SCHOOLS.map((s) => `theta[${s}]`));
    expect(data.facets.map((f) => f.lines.map((l) => l.chain))).toEqual(new Array(8).fill(["0", "1", "2", "3"]));
    expect(data.facets.every((f) => f.rug)).toBe(true);
    expect(data.facets.map((f) => f.divergentCount)).toEqual(new Array(8).fill(19));
    expect(Array.from(data.facets[0].divergent.subarray(DIVERGENT_PER_CHAIN[0], DIVERGENT_PER_CHAIN[0] + DIVERGENT_PER_CHAIN[1]))).toEqual(CHAIN_1_DIVERGENT);
    expect(data.domain).toEqual([0, 499]);
    // 16,000 points exceed the limit, but 500 draws fit in the spans of the draw axis: nothing is dropped.
    expect(data.points).toEqual({ all: 16_000, kept: 16_000 });
    // chain 0, draw 0, Choate in the draws CLI.
    expect(data.facets[0].lines[0].values[0]).toBe(2.3173909715940257);
    expect(structuredClone(data)).toStrictEqual(data);
  });

  it("compute the rug whatever the Divergences option says: it only shows or hides it", async () => {
    const table = await eight.extract("theta[school], sample_stats/diverging");
    expect(tracePanel.drawOnly).toEqual(["divergences"]);
    const on = traceData.data(table, { value: "theta", chains: "all", divergences: true });
    expect(traceData.data(table, { value: "theta", chains: "all", divergences: false })).toStrictEqual(on);
  });

  it("one chain's lines and rug when asked, and a note when the table has no such chain", async () => {
    const table = await eight.extract("theta[school], sample_stats/diverging");
    const one = traceData.data(table, { value: "theta", chains: "1", divergences: true });
    expect(one.name).toBe("Trace of theta: 1 chain × 500 draws in 8 facets");
    expect(one.shown).toEqual(["1"]);
    expect(one.chains).toEqual(["0", "1", "2", "3"]);
    expect(Array.from(one.facets[3].divergent)).toEqual(CHAIN_1_DIVERGENT);
    expect(traceData.data(table, { value: "theta", chains: "7", divergences: true }).selectionNote).toBe("This table has no chain 7 (its chains are 0–3): all chains are shown.");
  });

  it("a scalar without divergence flags: one facet, no rug", async () => {
    const table = await grouped.extract("sigma, beta[groups]");
    const data = traceData.data(table, { value: "sigma", chains: "all", divergences: true });
    expect(data.name).toBe("Trace of sigma: 4 chains × 400 draws");
    expect(data.facets).toHaveLength(1);
    expect(data.flagged).toBe(false);
    expect(data.facets[0].rug).toBe(false);
    // chain 0, draw 0 in the README's example.
    expect(data.facets[0].lines[0].values[0]).toBe(0.47830134586249906);
  });

  it("stacked groups: the rug only on the posterior's facets, the first 12 of 16 elements", async () => {
    const table = await grouped.extract("beta[groups], sample_stats/diverging", { groups: ["posterior", "prior"] });
    const data = traceData.data(table, { value: "beta", chains: "all", divergences: true });
    expect(data.by).toEqual(["groups", "source"]);
    expect(data.total).toBe(8);
    expect(data.facets.map((f) => [f.label, f.rug])).toEqual(
      ["North", "South", "East", "West"].flatMap((g) => [
        [`beta[${g}] · posterior`, true],
        [`beta[${g}] · prior`, false],
      ]),
    );
  });

  it("4 chains × 1,000,000 draws: lines thinned to a fixed number of spans, whatever the figure's width", () => {
    const draws = 1_000_000;
    // A slow wave with one spike per chain, and every 50th draw divergent.
    const value = (c: number, d: number) => (d === 123_457 + c ? 100 + c : Math.sin(d / 5000 + c));
    const table = chainTable("x", 4, draws, value, (_, d) => d % 50 === 0);
    const data = traceData.data(table, { value: "x", chains: "all", divergences: true });
    expect(data.name).toBe("Trace of x: 4 chains × 1,000,000 draws");
    expect(data.points.all).toBe(4 * draws);
    const [facet] = data.facets;
    for (const [c, line] of facet.lines.entries()) {
      expect(line.draws.length).toBeLessThanOrEqual(2 * LINE_SPANS + 2);
      expect(line.draws.every((d, i) => i === 0 || d > line.draws[i - 1])).toBe(true);
      // Every spike still shows: the line reaches its chain's largest and smallest draw.
      expect(Math.max(...line.values)).toBe(100 + c);
      expect(line.draws[line.values.indexOf(100 + c)]).toBe(123_457 + c);
      let smallest = Infinity;
      for (let d = 0; d < draws; d++) smallest = Math.min(smallest, value(c, d));
      expect(Math.min(...line.values)).toBe(smallest);
    }
    expect(data.points.kept).toBe(facet.lines.reduce((a, l) => a + l.draws.length, 0));
    // 80,000 divergent draws: one tick per span of draws holding any, the count kept whole.
    expect(facet.divergentCount).toBe(4 * (draws / 50));
    expect(facet.divergent.length).toBeLessThanOrEqual(RUG_LIMIT);
    expect(facet.divergent.length).toBe(LINE_SPANS);
    expect(structuredClone(data)).toStrictEqual(data);
  });
});

describe("trace thinning", () => {
  it("thinMinMax keeps each column's minimum and maximum, in draw order", () => {
    const draws = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const values = draws.map((d) => Math.sin(d / 37) + ((d * 7919) % 13) / 100);
    const { draws: kept, values: keptValues } = thinMinMax(draws, values, 0, 9999, 100);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept.every((d, i) => i === 0 || d > kept[i - 1])).toBe(true);
    // Draw d falls in pixel column floor(d · 100 / 9999); the last draw belongs to the last column.
    const columnOf = (d: number) => Math.min(99, Math.floor((d * 100) / 9999));
    for (const column of [0, 42, 99]) {
      const slice = values.filter((_, d) => columnOf(d) === column);
      const keptHere = keptValues.filter((_, i) => columnOf(kept[i]) === column);
      expect(keptHere.length).toBeLessThanOrEqual(2);
      expect(Math.min(...keptHere)).toBe(Math.min(...slice));
      expect(Math.max(...keptHere)).toBe(Math.max(...slice));
    }
  });
});
