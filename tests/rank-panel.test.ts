import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { chainDraws } from "../src/panels/chain-draws.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panel as rankData } from "../src/panels/rank/data.ts";
import { panel as rankPanel } from "../src/panels/rank/panel.ts";
import { chainRanks, ecdfBand, ecdfDifference, hypergeometricCdf, insideBand, rankHistogram } from "../src/panels/rank/ranks.ts";
import { chainTable } from "./chain-table.ts";
import { FIXTURES } from "./golden.ts";

const eight = await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"));
const grouped = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const GROUPS = ["North", "South", "East", "West"];

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

describe("ranks", () => {
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
    const difference = ecdfDifference(
      Float64Array.from({ length: 50 }, (_, i) => i + 1),
      100,
      10,
    );
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

describe("rank data", () => {
  it("histograms of the example's beta: per chain 20 bins holding its 400 draws", async () => {
    const table = await grouped.extract("beta[groups]");
    const { options } = resolveOptions(rankPanel, {}, tableShape(table));
    expect(options).toEqual({ value: "beta", style: "bars", bins: 20 });
    const data = rankData.data(table, options);
    expect(data.name).toBe("Rank plot of beta: 4 chains × 400 draws in 4 facets, 20 bins");
    expect(data.shown).toEqual(["0", "1", "2", "3"]);
    if (data.view.style !== "bars") throw new Error("expected rank histograms");
    expect(data.view.bins).toBe(20);
    expect(data.view.elements.map((e) => e.label)).toEqual(GROUPS.map((g) => `beta[${g}]`));
    const direct = chainDraws(table, "beta", ["groups"]);
    data.view.elements.forEach((e, k) => {
      expect(e.total).toBe(1600);
      expect(e.ranks).toEqual([400, 400, 400, 400]);
      expect(e.counts.map((c) => c.reduce((a, n) => a + n, 0))).toEqual([400, 400, 400, 400]);
      // The counts are those of the chains' pooled ranks.
      const ranked = chainRanks(direct.elements[k]);
      expect(e.counts).toStrictEqual(ranked.ranks.map((r) => rankHistogram(r, 1600, 20)));
    });
    expect(data.notes).toEqual([
      "Draws of all chains ranked together (ties get their average rank), per element.",
      "Per chain, a histogram of its ranks in 20 bins; the dashed line is the count each bin expects when the chains mix well (draws / bins = 20).",
    ]);
    expect(structuredClone(data)).toStrictEqual(data);
  });

  it("ECDF differences of the example's beta: one shared band, every chain inside it", async () => {
    const table = await grouped.extract("beta[groups]");
    const data = rankData.data(table, { value: "beta", style: "ecdf", bins: 20 });
    expect(data.name).toBe("Rank ECDF differences of beta: 4 chains × 400 draws in 4 facets");
    if (data.view.style !== "ecdf") throw new Error("expected ECDF differences");
    const band = ecdfBand(4, 400, 100);
    expect(data.view.bands).toStrictEqual([{ z: band.z, lower: band.lower, upper: band.upper }]);
    expect(data.view.elements.map((e) => e.band)).toEqual([0, 0, 0, 0]);
    for (const e of data.view.elements) {
      expect(e.points).toBe(100);
      expect(e.differences.map((d) => [d.length, d[0], d[100]])).toEqual(new Array(4).fill([101, 0, 0]));
    }
    expect(data.notes.slice(1)).toEqual([
      "Per chain, the ECDF of its fractional ranks (rank / draws pooled) minus the uniform CDF, at 101 points.",
      `Grey: the 95% simultaneous band (Säilynoja, Bürkner & Vehtari 2022), adjusted by simulation: 1,000 random splits of the pooled ranks (seed 1) set the pointwise hypergeometric level γ (4 chains × 400 draws, γ = ${band.gamma.toPrecision(3)}).`,
      "Every chain stays inside the band.",
    ]);
    expect(structuredClone(data)).toStrictEqual(data);
  });

  it("no band for the prior's one chain, and the caption names a chain that leaves the band", async () => {
    const stacked = rankData.data(await grouped.extract("sigma", { groups: ["posterior", "prior"] }), { value: "sigma", style: "ecdf", bins: 20 });
    if (stacked.view.style !== "ecdf") throw new Error("expected ECDF differences");
    expect(stacked.view.elements.map((e) => [e.label, e.band])).toEqual([
      ["sigma · posterior", 0],
      ["sigma · prior", -1],
    ]);
    expect(stacked.notes).toContain("Elements with one chain, or chains of different lengths, have no band.");
    // A fourth chain shifted by half a standard deviation leaves the band (and pushes others out of it).
    const chains = [1, 2, 3, 4].map((seed) => normalDraws(400, seed, seed === 4 ? 0.5 : 0));
    const ranked = chainRanks(element(chains));
    const outside = ranked.chains.filter((_, c) => !insideBand(ranked.ranks[c], ranked.total, ecdfBand(4, 400, 100)));
    expect(outside).toContain("3");
    const shifted = chainTable("x", 4, 400, (c, d) => chains[c][d]);
    expect(rankData.data(shifted, { value: "x", style: "ecdf", bins: 20 }).notes.at(-1)).toBe(`Outside the band: x (chains ${outside.join(", ")}).`);
  });

  it("4 chains × 250,000 draws give as many counts as bins per chain", () => {
    const table = chainTable("x", 4, 250_000, (c, d) => Math.sin(d * 0.7 + c));
    const data = rankData.data(table, { value: "x", style: "bars", bins: 50 });
    if (data.view.style !== "bars") throw new Error("expected rank histograms");
    const [element] = data.view.elements;
    expect(element.counts.map((c) => [c.length, c.reduce((a, n) => a + n, 0)])).toEqual(new Array(4).fill([50, 250_000]));
    expect(structuredClone(data)).toStrictEqual(data);
  });
});
