// The predictive check panel's data against values computed here straight from the query's rows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { kde } from "../src/engine/stats/kde.ts";
import { openPath } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { looWeightsOf, panel, pickedDraws, pitValues, type PpcData } from "../src/panels/ppc/data.ts";
import { matrixOf, predictiveMatrix } from "../src/panels/ppc/matrix.ts";
import { binomialCdf, uniformEcdfBand } from "../src/panels/rank/ranks.ts";
import { FIXTURES } from "./golden.ts";
import { asBytes, dims, memoryStore, zarray } from "./memory-store.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const table = await trace.extract("posterior_predictive/y[obs_ind], observed_data/y[obs_ind]");
const OPTIONS = { draws: "y", observed: "", view: "density", stat: "mean", ndraws: 50, x: "", group: "" };
const dataOf = (t: Table, options: Partial<typeof OPTIONS>) => panel.data(t, { ...OPTIONS, ...options });

/** The rows as draws × observations (draw = chain·400 + draw) and the observed values, read directly. */
function rows(t: Table) {
  const [chain, draw, obs, y, observed] = ["chain", "draw", "obs_ind", "y", "observed_data/y"].map((c) => t.getChild(c)!.toArray());
  const yRep: number[][] = Array.from({ length: 1600 }, () => new Array(96));
  const yObs = new Array<number>(96);
  for (let r = 0; r < t.numRows; r++) {
    yRep[Number(chain[r]) * 400 + Number(draw[r])][Number(obs[r])] = y[r] as number;
    yObs[Number(obs[r])] = observed[r] as number;
  }
  return { yRep, yObs };
}

const { yRep, yObs } = rows(table);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe("the predictive check of the grouped regression's y", () => {
  it("pairs posterior_predictive/y with observed_data/y by name, and overlays 50 draws' densities, all draws' and the observed one", () => {
    const data = dataOf(table, {});
    expect([data.predictive, data.observed, data.draws, data.observations, data.integer]).toEqual(["y", "observed_data/y", 1600, 96, false]);
    expect(data.notes[0]).toBe("Observed: observed_data/y, paired with y by name; choose another in Observed.");
    const drawing = data.drawing as Extract<PpcData["drawing"], { view: "density" }>;
    expect(drawing.draws).toHaveLength(50);
    expect([...drawing.observed.y]).toEqual([...kde(yObs, { points: 200 }).density]);
    const fifth = pickedDraws(1600, 50)[4];
    expect(fifth).toBe(144);
    expect([...drawing.draws[4].y]).toEqual([...kde(yRep[fifth], { points: 200 }).density]);
  });

  it("gives T(y), T(y_rep) of every draw and P(T(y_rep) ≥ T(y)) for the mean and the sd", () => {
    const sd = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
    for (const [stat, f] of [
      ["mean", mean],
      ["sd", sd],
    ] as const) {
      const drawing = dataOf(table, { view: "stat", stat }).drawing as Extract<PpcData["drawing"], { view: "stat" }>;
      expect(drawing.observed).toBeCloseTo(f(yObs), 12);
      const t = yRep.map(f);
      expect(drawing.p).toBe(t.filter((v) => v >= f(yObs)).length / 1600);
      expect(drawing.counts.reduce((a, b) => a + b, 0)).toBe(1600);
      expect(drawing.edges[0]).toBeCloseTo(Math.min(...t, f(yObs)), 12);
    }
  });

  it("takes each observation's PIT as the share of its draws at or below the observed value, inside the simultaneous band", () => {
    const drawing = dataOf(table, { view: "pit" }).drawing as Extract<PpcData["drawing"], { view: "pit" }>;
    const pit = yObs.map((y, i) => yRep.filter((r) => r[i] <= y).length / 1600).sort((a, b) => a - b);
    // ECDF − z at z = k/96: the count of PIT values ≤ k/96, over 96.
    drawing.z.forEach((z, k) => expect(drawing.difference[k]).toBeCloseTo(pit.filter((u) => u <= z + 1e-12).length / 96 - z, 12));
    expect(drawing.outside).toBe(false);
    drawing.lower.forEach((l, k) => expect(l).toBeLessThanOrEqual(drawing.upper[k]));
  });

  it("gives per observation the predictive median, 50% and 90% intervals (numpy's quantiles) and the observed value", () => {
    const drawing = dataOf(table, { view: "intervals" }).drawing as Extract<PpcData["drawing"], { view: "intervals" }>;
    const quantile = (sorted: number[], q: number) => {
      const h = (sorted.length - 1) * q;
      return sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
    };
    for (const i of [0, 45, 92]) {
      const sorted = yRep.map((r) => r[i]).sort((a, b) => a - b);
      expect(drawing.median[i]).toBeCloseTo(quantile(sorted, 0.5), 12);
      expect(drawing.lower90[i]).toBeCloseTo(quantile(sorted, 0.05), 12);
      expect(drawing.upper50[i]).toBeCloseTo(quantile(sorted, 0.75), 12);
      expect(drawing.observed[i]).toBe(yObs[i]);
      expect(drawing.labels[i]).toBe(String(i));
    }
    expect(drawing.xLabel).toBe("observation (obs_ind)");
  });

  it("puts the observed ECDF within the predictive ECDFs' 50% and 95% bands on a grid", () => {
    const drawing = dataOf(table, { view: "ecdf" }).drawing as Extract<PpcData["drawing"], { view: "ecdf" }>;
    expect([...drawing.observed]).toEqual([...yObs].sort((a, b) => a - b));
    const [wide, narrow] = drawing.bands;
    expect([wide.level, narrow.level]).toEqual([0.95, 0.5]);
    const k = 100;
    const ecdfs = yRep.map((r) => r.filter((v) => v <= drawing.x[k]).length / 96).sort((a, b) => a - b);
    expect(narrow.lower[k]).toBeCloseTo(ecdfs[Math.floor(0.25 * 1599)] + 0.75 * (ecdfs[Math.ceil(0.25 * 1599)] - ecdfs[Math.floor(0.25 * 1599)]), 12);
  });

  it("says what to add when the query has no observed values, and refuses observed values that vary between draws", async () => {
    const alone = await trace.extract("posterior_predictive/y[obs_ind]");
    expect(() => dataOf(alone, {})).toThrow("the query has no observed values to check y against: add them, e.g. observed_data/y[obs_ind]");
    const mu = await trace.extract("posterior_predictive/y[obs_ind], mu[obs_ind]");
    expect(() => dataOf(mu, { observed: "mu" })).toThrow("mu varies between draws, so it is not observed data: choose the observed values in Observed");
  });
});

describe("grouped checks", () => {
  it("check each group of observations apart (a facet each), or colour the intervals by group", async () => {
    const grouped = await trace.extract("posterior_predictive/y[obs_ind], observed_data/y[obs_ind], constant_data/group_idx[obs_ind]");
    const idx = grouped.getChild("group_idx")!.toArray();
    const obs = grouped.getChild("obs_ind")!.toArray();
    const groupOf = new Array<number>(96);
    for (let r = 0; r < grouped.numRows; r++) groupOf[Number(obs[r])] = Number(idx[r]);
    const data = dataOf(grouped, { view: "stat", stat: "mean", group: "group_idx" });
    expect(data.group).toBe("group_idx");
    const levels = [...new Set(groupOf)].sort((a, b) => a - b);
    expect(data.facets!.map((f) => f.label).sort()).toEqual(levels.map(String));
    for (const facet of data.facets!) {
      const members = groupOf.flatMap((g, i) => (String(g) === facet.label ? [i] : []));
      const drawing = facet.drawing as Extract<PpcData["drawing"], { view: "stat" }>;
      expect(drawing.observed).toBeCloseTo(mean(members.map((i) => yObs[i])), 12);
      const t = yRep.map((r) => mean(members.map((i) => r[i])));
      expect(drawing.p).toBe(t.filter((v) => v >= drawing.observed).length / 1600);
    }
    const intervals = dataOf(grouped, { view: "intervals", group: "group_idx" }).drawing as Extract<PpcData["drawing"], { view: "intervals" }>;
    expect(Array.from(intervals.groupIndex!, (g) => Number(intervals.groups![g]))).toEqual(groupOf);
    const many = dataOf(grouped, { view: "stat", group: "obs_ind" });
    expect(many.facets).toBeUndefined();
    expect(many.notes).toContain("Not grouped: obs_ind has 96 levels, too many to group by (at most 12).");
  });
});

describe("LOO-PIT", () => {
  it("weighs each draw by the PSIS-LOO weights R loo gives, and takes the weighted share of draws at or below the observed value", async () => {
    const withLl = await trace.extract("posterior_predictive/y[obs_ind], observed_data/y[obs_ind], log_likelihood/y[obs_ind]");
    const m = predictiveMatrix(withLl, "y", "");
    const weights = looWeightsOf(m, matrixOf(withLl, m, "log_likelihood/y")!)!;
    const golden = JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", "loo_y.json"), "utf8"));
    for (const { obs_index0: i, log_weights } of golden.results.r_eff_relative.weights.full as { obs_index0: number; log_weights: number[] }[]) {
      log_weights.forEach((lw, s) => expect(Math.abs(weights[s * 96 + i] - Math.exp(lw))).toBeLessThan(1e-9 * Math.exp(lw)));
      const pit = log_weights.reduce((sum, lw, s) => sum + (yRep[s][i] <= yObs[i] ? Math.exp(lw) : 0), 0);
      expect(pitValues(m, weights)[i]).toBeCloseTo(pit, 9);
    }
    const drawing = dataOf(withLl, { view: "loo-pit" }).drawing as Extract<PpcData["drawing"], { view: "pit" }>;
    expect(drawing.logLikelihood).toBe("log_likelihood/y");
    expect(() => dataOf(table, { view: "loo-pit" })).toThrow("LOO-PIT weighs the draws by the log-likelihood: add log_likelihood/y[obs_ind] to the query");
  });
});

describe("counts", () => {
  it("are drawn as bars: per value the observed count and the predictive counts' median and 90% interval", async () => {
    // 2 chains × 5 draws × 4 observations of counts: y_rep = (draw + obs) mod 3; observed 0, 1, 1, 2.
    const yRepCounts = Float64Array.from({ length: 40 }, (_, i) => ((Math.floor(i / 4) % 5) + (i % 4)) % 3);
    const counts = await openTrace(
      memoryStore({
        ".zgroup": { zarr_format: 2 },
        "posterior_predictive/.zgroup": { zarr_format: 2 },
        "posterior_predictive/y/.zarray": zarray("<f8", [2, 5, 4], [2, 5, 4]),
        "posterior_predictive/y/.zattrs": dims("chain", "draw", "obs"),
        "posterior_predictive/y/0.0.0": asBytes(yRepCounts),
        "observed_data/.zgroup": { zarr_format: 2 },
        "observed_data/y/.zarray": zarray("<i8", [4], [4]),
        "observed_data/y/.zattrs": dims("obs"),
        "observed_data/y/0": asBytes(BigInt64Array.from([0n, 1n, 1n, 2n])),
      }),
    );
    const data = dataOf(await counts.extract("y[obs], observed_data/y[obs]", { groups: ["posterior_predictive"] }), {});
    expect(data.integer).toBe(true);
    const drawing = data.drawing as Extract<PpcData["drawing"], { view: "bars" }>;
    expect([...drawing.values]).toEqual([0, 1, 2]);
    expect([...drawing.observed]).toEqual([1, 2, 1]);
    // Each draw's counts of 0, 1, 2 among its 4 values.
    const perDraw = Array.from({ length: 10 }, (_, s) => [0, 1, 2].map((v) => [0, 1, 2, 3].filter((o) => yRepCounts[s * 4 + o] === v).length));
    [0, 1, 2].forEach((v) => {
      const sorted = perDraw.map((c) => c[v]).sort((a, b) => a - b);
      expect(drawing.median[v]).toBe((sorted[4] + sorted[5]) / 2);
      expect(drawing.mean[v]).toBeCloseTo(sorted.reduce((a, b) => a + b, 0) / 10, 12);
    });
  });
});

describe("the uniform ECDF band of PIT values", () => {
  it("takes binomial counts: P(X ≤ x) for X ~ binomial(4, 1/2) is 1, 5, 11, 15, 16 sixteenths", () => {
    expect([...binomialCdf(4, 0.5)].map((p) => Math.round(p * 16))).toEqual([1, 5, 11, 15, 16]);
    expect([...binomialCdf(3, 0)]).toEqual([1, 1, 1, 1]);
    expect([...binomialCdf(3, 1)]).toEqual([0, 0, 0, 1]);
  });

  it("covers about 95% of simulated uniform samples' ECDFs everywhere at once", () => {
    const band = uniformEcdfBand(50, 50);
    let inside = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let m = 0; m < 400; m++) {
      const u = Array.from({ length: 50 }, random);
      const ok = band.z.every((z, k) => {
        const count = u.filter((v) => v <= z).length;
        return count >= band.lowerCount[k] && count <= band.upperCount[k];
      });
      if (ok) inside++;
    }
    expect(inside / 400).toBeGreaterThan(0.92);
    expect(inside / 400).toBeLessThan(0.99);
  });
});
