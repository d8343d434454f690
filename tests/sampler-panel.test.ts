import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panel as samplerData } from "../src/panels/sampler/data.ts";
import { panel as samplerPanel } from "../src/panels/sampler/panel.ts";
import { depthCounts, energyDiagnostics, finiteMean, missingText, samplerSeries, statColumn } from "../src/panels/sampler/stats.ts";
import { LINE_SPANS } from "../src/panels/trace-thin.ts";
import { chainTable } from "./chain-table.ts";
import { FIXTURES } from "./golden.ts";

const eight = await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"));
const grouped = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const ALL = { display: "density", chains: "all" };

describe("sampler statistics per chain", () => {
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
    expect(resolveOptions(samplerPanel, {}, tableShape(table)).options).toEqual({ stat: "energy", display: "density", chains: "all" });
  });
});
describe("sampler data", () => {
  it("energy of centered eight as densities: chain 0's E-BFMI flagged below 0.3", async () => {
    const table = await eight.extract("sample_stats/energy");
    const data = samplerData.data(table, { stat: "energy", ...ALL });
    expect(data.name).toBe("Energy of the sampler: 4 chains × 500 draws, E-BFMI 0.287–0.378; below 0.3 in chain 0");
    expect(data.caption).toContain("E-BFMI below 0.3 in chain 0: the sampler may not explore the posterior's tails");
    if (data.figure.stat !== "energy" || data.figure.layers.display !== "density") throw new Error("expected energy densities");
    // numpy's values, as in tests/bfmi.test.ts.
    const expected = [0.28671974347062595, 0.37830053616004, 0.34555751447257665, 0.32426828239603145];
    data.figure.bfmi.forEach((b, c) => expect(Math.abs(b.value - expected[c]) / expected[c]).toBeLessThan(1e-12));
    expect(data.figure.layers.curves.map((c) => [c.x.length, c.density.length])).toEqual([
      [256, 256],
      [256, 256],
    ]);
    expect(structuredClone(data)).toStrictEqual(data);
  });

  it("energy as histograms: 40 shared bins, each layer's heights a density", async () => {
    const table = await grouped.extract("sample_stats/energy");
    const data = samplerData.data(table, { stat: "energy", display: "histogram", chains: "all" });
    // numpy's E-BFMI of the example's chains: 1.657, 1.659, 1.747, 1.947 (tests/bfmi.test.ts).
    expect(data.name).toBe("Energy of the sampler: 4 chains × 400 draws, E-BFMI 1.657–1.947");
    expect(data.caption).toContain("as histograms of 40 shared bins scaled to densities.");
    if (data.figure.stat !== "energy" || data.figure.layers.display !== "histogram") throw new Error("expected energy histograms");
    const { heights, binWidth } = data.figure.layers;
    expect(heights.map((h) => h.length)).toEqual([40, 40]);
    for (const h of heights) expect(h.reduce((a, y) => a + y * binWidth, 0)).toBeCloseTo(1, 12);
  });

  it("tree depths per chain of the example, as numpy counts them", async () => {
    const table = await grouped.extract("sample_stats/tree_depth");
    const data = samplerData.data(table, { stat: "tree_depth", ...ALL });
    expect(data.name).toBe("Tree depth of the sampler: 4 chains × 400 draws, depths 2–3");
    if (data.figure.stat !== "tree_depth") throw new Error("expected tree depths");
    expect(data.figure.depths).toEqual([2, 3]);
    // numpy: depths 2 and 3 in every chain (198/202, 211/189, 204/196, 212/188 draws).
    expect(data.figure.counts.map((c) => Array.from(c))).toEqual([
      [198, 202],
      [211, 189],
      [204, 196],
      [212, 188],
    ]);
    expect(data.caption).toContain("The largest depth reached is 3, in 775 draws");
    // One draw at the largest depth, one chain of one draw: singular nouns.
    const one = samplerData.data(
      chainTable("tree_depth", 1, 1, () => 4),
      { stat: "tree_depth", ...ALL },
    );
    expect(one.name).toBe("Tree depth of the sampler: 1 chain × 1 draw, depth 4");
    expect(one.caption).toContain("The largest depth reached is 4, in 1 draw;");
  });

  it("step sizes of the example: constant per chain, every draw drawn", async () => {
    const table = await grouped.extract("sample_stats/step_size");
    const data = samplerData.data(table, { stat: "step_size", ...ALL });
    expect(data.name).toBe("Step size of the sampler: 4 chains × 400 draws");
    expect(data.caption).toBe("Step size per chain against the draw index. Constant within each chain, as after adaptation: chain 0 0.8, chain 1 0.81, chain 2 0.82, chain 3 0.83.");
    if (data.figure.stat !== "step_size") throw new Error("expected step sizes");
    expect(data.figure.logScale).toBe(false);
    expect(data.figure.lines.map((l) => [l.chain, l.draws.length])).toEqual(["0", "1", "2", "3"].map((c) => [c, 400]));
  });

  it("acceptance rates of one chain, read from the posterior when groups are stacked", async () => {
    const table = await grouped.extract("beta[groups], sample_stats/acceptance_rate", { groups: ["posterior", "prior"] });
    const data = samplerData.data(table, { stat: "acceptance", display: "density", chains: "2" });
    expect(data.shown).toEqual(["2"]);
    expect(data.chains).toEqual(["0", "1", "2", "3"]);
    if (data.figure.stat !== "acceptance") throw new Error("expected acceptance rates");
    // numpy: zarr.open('grouped_regression.zarr')['sample_stats/acceptance_rate'][2].mean()
    expect(data.figure.means[0]).toBeCloseTo(0.5147837547816221, 12);
    expect(data.figure.counts.map((c) => [c.length, c.reduce((a, n) => a + n, 0)])).toEqual([[20, 400]]);
    expect(data.caption).toContain("Stacked groups repeat the sampler's draws: those of posterior are shown.");
  });

  it("say once what to add when the query lacks the statistic, and which statistics it has", async () => {
    const data = samplerData.data(await grouped.extract("sigma"), { stat: "energy", ...ALL });
    expect(data).toStrictEqual({
      name: "Energy of the sampler: not in the query",
      caption: "This query has none of the sampler's statistics.",
      chains: [],
      shown: [],
      figure: {
        stat: "missing",
        text: "Energy: add sample_stats/energy to the query if the trace has it (the trace browser's Sampler section queries every statistic the trace has in one click).",
      },
    });
    const other = samplerData.data(await grouped.extract("sample_stats/tree_depth, sample_stats/step_size"), { stat: "energy", ...ALL });
    expect(other.caption).toBe("This query has the sampler's tree depth, step size: choose one as the Statistic.");
  });

  it("4 chains × 1,000,000 step sizes: lines thinned to a fixed number of spans, the caption says so", () => {
    const table = chainTable("step_size", 4, 1_000_000, (c, d) => 0.1 * (c + 1) * (1 + 0.5 * Math.sin(d / 1000)));
    const data = samplerData.data(table, { stat: "step_size", ...ALL });
    if (data.figure.stat !== "step_size") throw new Error("expected step sizes");
    const kept = data.figure.lines.reduce((a, l) => a + l.draws.length, 0);
    for (const line of data.figure.lines) expect(line.draws.length).toBeLessThanOrEqual(2 * LINE_SPANS + 2);
    // 0.05 to 0.6 spans more than a factor of 10.
    expect(data.figure.logScale).toBe(true);
    expect(data.caption).toContain(`Lines thinned to each chain's smallest and largest value in each of 2,000 equal spans of draws (${kept.toLocaleString("en-US")} of 4,000,000 points).`);
    expect(structuredClone(data)).toStrictEqual(data);
  });
});
