import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainDraws, chainSelection, ChainDrawsError, elementColumns, elementLabel } from "../src/panels/chain-draws.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { chainRanks, ecdfBand, ecdfDifference, hypergeometricCdf, insideBand, rankHistogram } from "../src/panels/rank-data.ts";
import { depthCounts, energyDiagnostics, finiteMean, missingText, samplerSeries, statColumn } from "../src/panels/sampler-data.ts";
import { panel as samplerPanel } from "../src/panels/sampler.panel.ts";
import { panel as tracePanel, traceFacets } from "../src/panels/trace.panel.ts";
import { thinMinMax } from "../src/panels/trace-thin.ts";
import { openPath } from "../src/engine/store/node.ts";
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

/** A reproducible standard normal sample (Box–Muller over a linear congruential generator). */
function normalDraws(n: number, seed: number, shift = 0): Float64Array {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return Float64Array.from({ length: n }, () => shift + Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

/** An element of iid chains, as chainDraws gives them. */
const element = (chains: Float64Array[]) => ({
  keys: [],
  series: chains.map((values, c) => ({ chain: String(c), values, draws: Float64Array.from(values, (_, i) => i) })),
});

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

describe("trace facets", () => {
  it("one line per chain in each of 8 facets, and as many rug ticks as divergent draws", async () => {
    const table = await eight.extract("theta[school], sample_stats/diverging");
    const by = elementColumns(table, "theta");
    const data = chainDraws(table, "theta", by, { limit: 12 });
    const { facets, domain, thinned, points } = traceFacets(data, "theta", by, true, 800);
    expect(facets).toHaveLength(8);
    expect(facets.map((f) => f.label)).toEqual(SCHOOLS.map((s) => `theta[${s}]`));
    expect(facets.map((f) => f.lines.length)).toEqual(new Array(8).fill(4));
    expect(facets.map((f) => f.divergent.length)).toEqual(new Array(8).fill(19));
    expect(domain).toEqual([0, 499]);
    // 16,000 points exceed the limit, but 500 draws fit in 800 pixel columns: nothing is dropped.
    expect(points).toEqual({ all: 16_000, kept: 16_000 });
    expect(thinned).toBe(false);
    const off = traceFacets(data, "theta", by, false, 800);
    expect(off.facets.every((f) => f.divergent.length === 0 && !f.rug)).toBe(true);
  });

  it("thin long lines to the extremes of each pixel column", async () => {
    const table = await eight.extract("theta[school]");
    const by = elementColumns(table, "theta");
    const data = chainDraws(table, "theta", by);
    const { points, thinned, facets } = traceFacets(data, "theta", by, true, 200);
    expect(thinned).toBe(true);
    expect(points.all).toBe(16_000);
    expect(points.kept).toBeLessThanOrEqual(8 * 4 * 2 * 200);
    // Every line still reaches its chain's smallest and largest draw.
    const line = facets[0].lines[1];
    const full = data.elements[0].series[1].values;
    expect(Math.min(...line.values)).toBe(Math.min(...full));
    expect(Math.max(...line.values)).toBe(Math.max(...full));
  });

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

  it("options: the first value, all chains, the rug on", async () => {
    const table = await eight.extract("theta[school], sample_stats/diverging");
    const { options, notes } = resolveOptions(tracePanel, {}, table);
    expect(options).toEqual({ value: "theta", chains: "all", divergences: true });
    expect(notes).toEqual([]);
  });
});

describe("rank plots", () => {
  it("each chain's rank histogram sums to its draws", async () => {
    const table = await eight.extract("theta[school]");
    const data = chainDraws(table, "theta", ["school"]);
    for (const e of data.elements) {
      const ranked = chainRanks(e);
      expect(ranked.total).toBe(2000);
      const histograms = ranked.ranks.map((r) => rankHistogram(r, ranked.total, 20));
      expect(histograms.map((h) => h.reduce((a, c) => a + c, 0))).toEqual([500, 500, 500, 500]);
    }
  });

  it("without ties, each bin holds its share of the pooled ranks over all chains", () => {
    const ranked = chainRanks(element([1, 2, 3, 4].map((seed) => normalDraws(400, seed))));
    const histograms = ranked.ranks.map((r) => rankHistogram(r, ranked.total, 20));
    // Ranks 1…1600: each bin spans 80 ranks, so the chains' counts in it add up to 80.
    expect(Array.from({ length: 20 }, (_, b) => histograms.reduce((a, h) => a + h[b], 0))).toEqual(new Array(20).fill(80));
    // Rejected HMC proposals repeat a draw: centered eight's ties get their average rank.
    const repeated = chainRanks(element([Float64Array.of(1, 1, 2), Float64Array.of(3, 1, 0)]));
    expect(repeated.ranks.map((r) => Array.from(r))).toEqual([
      [3, 3, 5],
      [6, 3, 1],
    ]);
  });

  it("bins ranks into equal spans of ranks", () => {
    expect(Array.from(rankHistogram(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), 8, 4))).toEqual([2, 2, 2, 2]);
    expect(Array.from(rankHistogram(Float64Array.of(1.5, 1.5, 8), 8, 4))).toEqual([2, 0, 0, 1]);
  });

  it("ECDF differences are 0 at both ends and follow the chain's ranks", () => {
    // A chain holding the lowest half of the ranks: its ECDF reaches 1 at z = 0.5.
    const difference = ecdfDifference(Float64Array.from({ length: 50 }, (_, i) => i + 1), 100, 10);
    expect(difference[0]).toBe(0);
    expect(difference[10]).toBe(0);
    expect(difference[5]).toBeCloseTo(0.5, 12);
    expect(difference[2]).toBeCloseTo(0.4 - 0.2, 12);
  });

  it("the hypergeometric CDF matches the pmf summed from binomial coefficients", () => {
    const choose = (n: number, k: number) => (k < 0 || k > n ? 0 : Array.from({ length: k }, (_, i) => (n - i) / (i + 1)).reduce((a, b) => a * b, 1));
    const [population, successes, draws] = [30, 12, 10];
    const cdf = hypergeometricCdf(population, successes, draws);
    let running = 0;
    for (let x = 0; x <= draws; x++) {
      running += (choose(successes, x) * choose(population - successes, draws - x)) / choose(population, draws);
      expect(cdf[x]).toBeCloseTo(running, 12);
    }
  });

  it("the simultaneous band holds well-mixed chains and about 95% of random splits, and not a shifted chain", () => {
    const band = ecdfBand(4, 400, 100);
    expect(band.gamma).toBeGreaterThan(0);
    expect(band.gamma).toBeLessThan(0.05);
    // The band narrows to nothing at both ends, and is wider than the pointwise 95% interval elsewhere.
    expect([band.lower[0], band.upper[0], band.lower[100], band.upper[100]]).toEqual([0, 0, 0, 0]);
    const mixed = chainRanks(element([1, 2, 3, 4].map((seed) => normalDraws(400, seed))));
    expect(mixed.ranks.map((r) => insideBand(r, mixed.total, band))).toEqual([true, true, true, true]);
    const shifted = chainRanks(element([normalDraws(400, 1), normalDraws(400, 2), normalDraws(400, 3), normalDraws(400, 4, 0.5)]));
    expect(insideBand(shifted.ranks[3], shifted.total, band)).toBe(false);

    // Coverage of random splits of the ranks (another generator than the band's): 95% within ±2.5%.
    let state = 99;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const ranks = Float64Array.from({ length: 1600 }, (_, i) => i + 1);
    let covered = 0;
    const trials = 1000;
    for (let t = 0; t < trials; t++) {
      for (let i = ranks.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
      }
      if ([0, 1, 2, 3].every((c) => insideBand(ranks.subarray(c * 400, (c + 1) * 400), 1600, band))) covered++;
    }
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(0.025);
  });

  it("the band's level does not hang on the seed: another seed's γ is close", () => {
    const [first, second] = [1, 7].map((seed) => ecdfBand(4, 400, 100, { seed }).gamma);
    expect(Math.abs(Math.log(second / first))).toBeLessThan(Math.log(1.5));
    const wider = ecdfBand(4, 400, 100, { level: 0.99 });
    expect(wider.gamma).toBeLessThan(first);
    expect(wider.upperCount[50]).toBeGreaterThan(ecdfBand(4, 400, 100).upperCount[50]);
  });

  it("the example's beta chains mix: all inside the band", async () => {
    const table = await grouped.extract("beta[groups]");
    const data = chainDraws(table, "beta", ["groups"]);
    const band = ecdfBand(4, 400, 100);
    for (const e of data.elements) {
      const ranked = chainRanks(e);
      expect(ranked.ranks.map((r) => insideBand(r, ranked.total, band))).toEqual([true, true, true, true]);
    }
  });
});

describe("sampler statistics", () => {
  it("say what to add to the query when a statistic is missing", async () => {
    const table = await grouped.extract("sigma, sample_stats/tree_depth");
    expect(statColumn(table, "energy")).toBeUndefined();
    expect(statColumn(table, "tree_depth")).toBe("tree_depth");
    expect(missingText("energy")).toBe("add sample_stats/energy to the query");
    expect(missingText("acceptance")).toBe("add sample_stats/acceptance_rate to the query");
  });

  it("centre the energy and its transitions within chains, with E-BFMI per chain", async () => {
    const table = await eight.extract("sample_stats/energy, theta[school]");
    const { series, chains, source } = samplerSeries(table, "energy");
    expect(chains).toEqual(["0", "1", "2", "3"]);
    expect(source).toBeUndefined();
    expect(series.map((s) => s.values.length)).toEqual([500, 500, 500, 500]);
    const energy = energyDiagnostics(series);
    expect(energy.marginal).toHaveLength(2000);
    expect(energy.transition).toHaveLength(4 * 499);
    expect(Math.abs(finiteMean(energy.marginal))).toBeLessThan(1e-12);
    expect(Math.abs(finiteMean(energy.transition))).toBeLessThan(1e-12);
    // numpy's values, as in tests/bfmi.test.ts.
    const expected = [0.28671974347062595, 0.37830053616004, 0.34555751447257665, 0.32426828239603145];
    energy.bfmi.forEach((b, c) => expect(Math.abs(b.value - expected[c]) / expected[c]).toBeLessThan(1e-12));
  });

  it("count tree depths per chain as numpy does", async () => {
    // /usr/bin/python3 -c "import zarr, numpy as np; t = zarr.open('arviz/centered_eight.zarr', mode='r')['sample_stats/tree_depth'][:]; print([np.unique(r, return_counts=True) for r in t])"
    const table = await eight.extract("sample_stats/tree_depth");
    const { depths, counts } = depthCounts(samplerSeries(table, "tree_depth").series);
    expect(depths).toEqual([1, 2, 3, 4, 5, 6]);
    expect(counts.map((c) => Array.from(c))).toEqual([
      [0, 10, 82, 138, 242, 28],
      [1, 58, 188, 217, 36, 0],
      [0, 11, 137, 247, 105, 0],
      [0, 8, 52, 220, 209, 11],
    ]);
  });

  it("read the sampler's draws from the first group when groups are stacked", async () => {
    const table = await grouped.extract("beta[groups], sample_stats/acceptance_rate", { groups: ["posterior", "prior"] });
    const { series, source } = samplerSeries(table, "acceptance_rate");
    expect(source).toBe("posterior");
    expect(series.map((s) => s.values.length)).toEqual([400, 400, 400, 400]);
    // numpy: zarr.open('grouped_regression.zarr')['sample_stats/acceptance_rate'][:].mean(axis=1)
    const means = [0.4890636437697411, 0.5281404462712345, 0.5147837547816221, 0.47144973561380144];
    series.forEach((s, c) => expect(finiteMean(s.values)).toBeCloseTo(means[c], 12));
  });

  it("options: energy as densities, all chains", async () => {
    const table = await grouped.extract("sample_stats/energy");
    expect(resolveOptions(samplerPanel, {}, table).options).toEqual({ stat: "energy", display: "density", chains: "all" });
  });
});
