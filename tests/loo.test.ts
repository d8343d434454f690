// PSIS-LOO against R's loo 2.5.1 (scripts/loo-goldens.R on the same draws): estimates and
// pointwise elpd/p_loo to 1e-6 relative, Pareto k to 1e-6 absolute, r_eff as relative_eff gives it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { WorkRequest } from "../src/engine/pool/pool.ts";
import { kCategories, paretoKCaption } from "../src/panels/loo/k-plot.ts";
import type { LooSummary } from "../src/worker/protocol.ts";
import { LOO_POINTWISE, looBlock, mcseElpd, relativeEff, summedEstimate, type REffMode } from "../src/engine/stats/loo.ts";
import { comparedLoo, looCompare } from "../src/engine/stats/loo-compare.ts";
import { openPathStore } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { inThreadPool } from "./in-thread-pool.ts";
import { asBytes, dims, memoryStore, utf32, zarray } from "./memory-store.ts";
import { normalCdf as normalCdfOf } from "../src/engine/stats/normal-cdf.ts";
import { normalQuantile } from "../src/engine/stats/normal-quantile.ts";
import { uniforms } from "../src/engine/stats/random.ts";
import { gpdFit, logSumExp, psisSmooth, PsisScratch, tailLength } from "../src/engine/stats/psis.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES } from "./golden.ts";

interface LooGolden {
  trace: string;
  group: string;
  variable: string;
  dim: string;
  chains: number;
  draws: number;
  S: number;
  N: number;
  input_check: { first_hex: string; last_hex: string };
  pareto_k_thresholds: { modern_good_below: number };
  results: Record<"r_eff_1" | "r_eff_relative", LooResult>;
}

type LooResult = Record<"elpd_loo" | "se_elpd_loo" | "p_loo" | "se_p_loo" | "looic" | "se_looic", number> & {
  r_eff: number[];
  pointwise: Record<"elpd_loo" | "mcse_elpd_loo" | "p_loo" | "looic" | "influence_pareto_k" | "n_eff", number[]>;
  weights: { colsum_log_weights: number[]; max_log_weight: number[]; full: { obs_index0: number; log_weights: number[] }[] };
};

const GOLDENS = [
  ["grouped_regression.expected/loo_y.json", "grouped_regression.zarr"],
  ["arviz/centered_eight.expected/loo_obs.json", "arviz/centered_eight.zarr"],
  ["arviz/non_centered_eight.expected/loo_obs.json", "arviz/non_centered_eight.v3.zarr"],
] as const;

const golden = (path: string): LooGolden => JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));

/** Each observation's S draws, chain after chain (loo's matrix column), one observation after another. */
async function observationDraws(store: string, g: LooGolden): Promise<Float64Array> {
  const trace = await openPath(join(FIXTURES, store));
  const table = await trace.extract(`${g.variable}[${g.dim}]`, { groups: [g.group] });
  const [chain, draw, label, value] = ["chain", "draw", g.dim, g.variable].map((c) => table.getChild(c)!.toArray());
  const labels = trace.tree.groups.find((group) => group.name === g.group)!.dims.find((d) => d.name === g.dim)!.labels;
  const position = new Map(labels.map((l, i) => [String(l), i]));
  const chains = new Map<string, number>();
  const out = new Float64Array(g.N * g.S);
  for (let r = 0; r < table.numRows; r++) {
    const key = String(chain[r]);
    if (!chains.has(key)) chains.set(key, chains.size);
    out[position.get(String(label[r]))! * g.S + chains.get(key)! * g.draws + Number(draw[r])] = value[r] as number;
  }
  return out;
}

/** Observation after observation (n of s draws each) to draw after draw, as looBlock takes them. */
function drawAfterDraw(draws: Float64Array, n: number, s: number): Float64Array {
  const out = new Float64Array(n * s);
  for (let i = 0; i < n; i++) for (let d = 0; d < s; d++) out[d * n + i] = draws[i * s + d];
  return out;
}

/** A number as C's %a writes it (-0x1.83b3f3e2f513bp-3): the draws R read, to the bit. */
function hexFloat(text: string): number {
  const [, sign, lead, fraction, exponent] = /^(-?)0x([01])\.([0-9a-f]+)p([+-]?\d+)$/.exec(text)!;
  return (sign ? -1 : 1) * (Number(lead) + parseInt(fraction, 16) / 16 ** fraction.length) * 2 ** Number(exponent);
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe.each(GOLDENS)("PSIS-LOO of %s", (path, store) => {
  const g = golden(path);
  it.each([
    ["r_eff_relative", "relative"],
    ["r_eff_1", 1],
  ] as const)("%s: estimates, pointwise values, k, n_eff and r_eff equal R loo's", async (variant, rEff: REffMode) => {
    const draws = await observationDraws(store, g);
    expect(draws[0]).toBe(hexFloat(g.input_check.first_hex));
    expect(draws[(g.N - 1) * g.S + g.S - 1]).toBe(hexFloat(g.input_check.last_hex));
    const out = looBlock({ draws: drawAfterDraw(draws, g.N, g.S), chains: g.chains, count: g.N, rEff });
    const column = (name: (typeof LOO_POINTWISE)[number]) => Float64Array.from({ length: g.N }, (_, i) => out[i * LOO_POINTWISE.length + LOO_POINTWISE.indexOf(name)]);
    const expected = g.results[variant];
    const closeAll = (actual: Float64Array, wanted: number[], tolerance: number, absolute = false) => {
      wanted.forEach((w, i) => {
        const error = absolute ? Math.abs(actual[i] - w) : relative(actual[i], w);
        if (!(error <= tolerance)) throw new Error(`observation ${i}: ${actual[i]} against R's ${w}`);
      });
    };
    closeAll(column("r_eff"), expected.r_eff, 1e-9);
    closeAll(column("elpd_loo"), expected.pointwise.elpd_loo, 1e-6);
    closeAll(column("p_loo"), expected.pointwise.p_loo, 1e-6);
    closeAll(column("looic"), expected.pointwise.looic, 1e-6);
    closeAll(column("pareto_k"), expected.pointwise.influence_pareto_k, 1e-6, true);
    closeAll(column("n_eff"), expected.pointwise.n_eff, 1e-6);
    closeAll(column("mcse_elpd_loo"), expected.pointwise.mcse_elpd_loo, 1e-6);
    for (const [name, estimate, se] of [
      ["elpd_loo", expected.elpd_loo, expected.se_elpd_loo],
      ["p_loo", expected.p_loo, expected.se_p_loo],
      ["looic", expected.looic, expected.se_looic],
    ] as const) {
      const summed = summedEstimate(column(name));
      expect(relative(summed.estimate, estimate)).toBeLessThan(1e-6);
      expect(relative(summed.se, se)).toBeLessThan(1e-6);
    }
  });

  it("smooths each observation's weights as loo does: the full log weights of the first, the worst-k and the last", async () => {
    const draws = await observationDraws(store, g);
    const expected = g.results.r_eff_relative;
    const scratch = new PsisScratch();
    for (const { obs_index0: i, log_weights: wanted } of expected.weights.full) {
      const ll = draws.subarray(i * g.S, (i + 1) * g.S);
      const ratios = Float64Array.from(ll, (v) => -v);
      const weights = new Float64Array(g.S);
      const k = psisSmooth(ratios, expected.r_eff[i], weights, scratch);
      expect(Math.abs(k - expected.pointwise.influence_pareto_k[i])).toBeLessThan(1e-6);
      const normalizer = logSumExp(weights);
      wanted.forEach((w, s) => expect(Math.abs(weights[s] - normalizer - w)).toBeLessThan(1e-9 * Math.max(1, Math.abs(w))));
    }
  });
});

describe("the parts of PSIS", () => {
  it("takes loo's tail length: min(0.2 S, 3 sqrt(S / r_eff)), rounded up", () => {
    expect(tailLength(1, 4000)).toBe(190);
    expect(tailLength(0.25, 4000)).toBe(380);
    expect(tailLength(1, 20)).toBe(4);
  });

  it("fits a generalized Pareto to exponential exceedances with k near 0 (pulled toward 0.5 by the prior) and the right scale", () => {
    const n = 1000;
    // Exponential(1) quantiles: a GPD with k = 0 and sigma = 1.
    const x = Float64Array.from({ length: n }, (_, i) => -Math.log1p(-(i + 0.5) / n));
    const { k, sigma } = gpdFit(x);
    expect(Math.abs(k - (10 * 0.5) / (n + 10))).toBeLessThan(0.02);
    expect(Math.abs(sigma - 1)).toBeLessThan(0.02);
  });

  it("fits as loo's gpdfit does term by term, also where the grid's products leave the double range", () => {
    /** loo's gpdfit written as R has it: one log1p per value and grid point. */
    const reference = (x: Float64Array) => {
      const n = x.length;
      const grid = 30 + Math.floor(Math.sqrt(n));
      const xstar = x[Math.floor(n / 4 + 0.5) - 1];
      const theta = Array.from({ length: grid }, (_, j) => 1 / x[n - 1] + (1 - Math.sqrt(grid / (j + 0.5))) / 3 / xstar);
      const l = theta.map((t) => {
        const k = x.reduce((sum, v) => sum + Math.log1p(-t * v), 0) / n;
        return n * (Math.log(-t / k) - k - 1);
      });
      const top = Math.max(...l);
      const total = l.reduce((sum, v) => sum + Math.exp(v - top), 0);
      const thetaHat = theta.reduce((sum, t, j) => sum + (t * Math.exp(l[j] - top)) / total, 0);
      const k = x.reduce((sum, v) => sum + Math.log1p(-thetaHat * v), 0) / n;
      return { k: (k * n) / (n + 10) + 5 / (n + 10), sigma: -k / thetaHat };
    };
    const heavy = Float64Array.from({ length: 335 }, (_, i) => ((i + 1) / 335) ** 60 * 1e40);
    const exponential = Float64Array.from({ length: 190 }, (_, i) => -Math.log1p(-(i + 0.5) / 190));
    const tiny = Float64Array.from({ length: 100 }, (_, i) => 1e-12 * (i + 1));
    for (const x of [heavy, exponential, tiny]) {
      const fit = gpdFit(x);
      const wanted = reference(x);
      expect(Math.abs(fit.k - wanted.k)).toBeLessThan(1e-9);
      expect(Math.abs(fit.sigma - wanted.sigma) / Math.abs(wanted.sigma)).toBeLessThan(1e-9);
    }
  });

  it("takes relative_eff's autocovariance as R computes it when the draw count is not 2·3·5-smooth (14 draws: padded to 30, scaled by 15/14)", () => {
    // R's autocovariance, literally: centre, pad to 2M, DFT, |.|², unnormalized inverse DFT, / (2N²).
    const rAutocovariance = (y: number[]) => {
      const n = y.length;
      const m = 15;
      const mean = y.reduce((a, b) => a + b, 0) / n;
      const padded = [...y.map((v) => v - mean), ...new Array(2 * m - n).fill(0)];
      const size = padded.length;
      const power = Array.from({ length: size }, (_, f) => {
        let re = 0;
        let im = 0;
        padded.forEach((v, t) => {
          re += v * Math.cos((-2 * Math.PI * f * t) / size);
          im += v * Math.sin((-2 * Math.PI * f * t) / size);
        });
        return re * re + im * im;
      });
      return Array.from({ length: n }, (_, lag) => power.reduce((sum, p, f) => sum + p * Math.cos((2 * Math.PI * f * lag) / size), 0) / (n * n * 2));
    };
    // loo 2.5.1's ess_rfun on those autocovariances.
    const essRfun = (chains: number[][]) => {
      const n = chains[0].length;
      const acov = chains.map(rAutocovariance);
      const meanAt = (t: number) => acov.reduce((sum, a) => sum + a[t], 0) / chains.length;
      const means = chains.map((c) => c.reduce((a, b) => a + b, 0) / n);
      const grand = means.reduce((a, b) => a + b, 0) / means.length;
      const meanVar = (meanAt(0) * n) / (n - 1);
      const varPlus = (meanVar * (n - 1)) / n + means.reduce((sum, v) => sum + (v - grand) ** 2, 0) / (means.length - 1);
      const rho = new Array(n).fill(0);
      let t = 0;
      let even = 1;
      let odd = 1 - (meanVar - meanAt(1)) / varPlus;
      rho[0] = even;
      rho[1] = odd;
      while (t < n - 5 && even + odd > 0) {
        t += 2;
        even = 1 - (meanVar - meanAt(t)) / varPlus;
        odd = 1 - (meanVar - meanAt(t + 1)) / varPlus;
        if (even + odd >= 0) [rho[t], rho[t + 1]] = [even, odd];
      }
      const maxT = t;
      if (even > 0) rho[maxT] = even;
      const sum = maxT === 0 ? rho[0] : rho.slice(0, maxT).reduce((a, b) => a + b, 0);
      const tau = Math.max(-1 + 2 * sum + rho[maxT], 1 / Math.log10(n * chains.length));
      return (n * chains.length) / tau;
    };
    // Three slowly wandering chains of 14 draws, so Geyer's sums run over several lags.
    const chains = [0, 1, 2].map((c) => Array.from({ length: 14 }, (_, t) => Math.sin(t / 3 + c) + 0.3 * Math.cos(5 * t + c * c)));
    const wanted = essRfun(chains) / 42;
    expect(Math.abs(relativeEff(Float64Array.from(chains.flat()), 3) - wanted)).toBeLessThan(1e-12 * wanted);
  });

  it("takes loo's MCSE of elpd from log1p's series where the grid is narrow, as a thousand logs give it", () => {
    // loo 2.5.1's mcse_elpd: the sd over Blom's 1000 normal order statistics of log(exp(elpd) + sd·z), over sqrt(r_eff).
    const c = 3 / 8;
    const grid = Array.from({ length: 1000 }, (_, r) => normalQuantile((r + 1 - c) / (1000 - 2 * c + 1)));
    const byLogs = (variance: number, elpd: number, rEff: number) => {
      const logs = grid
        .map((z) => Math.exp(elpd) + Math.sqrt(variance) * z)
        .filter((v) => v > 0)
        .map(Math.log);
      const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
      return Math.sqrt(logs.reduce((a, v) => a + (v - mean) ** 2, 0) / (logs.length - 1) / rEff);
    };
    // sd / exp(elpd) from tiny to past the series' limit (0.03), and a grid reaching below 0.
    for (const ratio of [0, 1e-6, 1e-3, 0.01, 0.0299, 0.0301, 0.1, 0.5]) {
      for (const elpd of [-3.2, 0.4, -40]) {
        const variance = (ratio * Math.exp(elpd)) ** 2;
        const expected = byLogs(variance, elpd, 0.7);
        const actual = mcseElpd(variance, elpd, 0.7);
        // The logs' own rounding (about |elpd|·1e-16 each) leaves the reference that much off, at 0 too.
        expect(Math.abs(actual - expected), `sd/epd ${ratio}, elpd ${elpd}`).toBeLessThanOrEqual(1e-11 * expected + 1e-13 * (1 + Math.abs(elpd)));
      }
    }
  });

  it("gives NaN for every value of an observation with a NaN or infinite draw, and leaves the others alone", () => {
    // 4 observations × 2 chains × 100 draws, draw after draw; observation 1 has a NaN, 2 a +Inf, 3 a -Inf.
    const count = 4;
    const uniform = uniforms(11);
    const draws = Float64Array.from({ length: 200 * count }, () => -1 - uniform());
    draws[5 * count + 1] = NaN;
    draws[120 * count + 2] = Infinity;
    draws[199 * count + 3] = -Infinity;
    const clean = Float64Array.from({ length: 200 }, (_, s) => draws[s * count]);
    const out = looBlock({ draws, chains: 2, count, rEff: "relative" });
    const first = looBlock({ draws: clean, chains: 2, count: 1, rEff: "relative" });
    expect([...out.subarray(0, LOO_POINTWISE.length)]).toEqual([...first]);
    expect(first.every((v) => Number.isFinite(v))).toBe(true);
    for (const i of [1, 2, 3]) expect([...out.subarray(i * LOO_POINTWISE.length, (i + 1) * LOO_POINTWISE.length)].every(Number.isNaN)).toBe(true);
  });

  it("leaves a column whose tail is constant unsmoothed, with k Inf, as loo does", () => {
    const ratios = new Float64Array(100).fill(2);
    const weights = new Float64Array(100);
    expect(psisSmooth(ratios, 1, weights, new PsisScratch())).toBe(Infinity);
    expect([...weights].every((w) => w === 2)).toBe(true);
  });

  it("finds and orders the tail as R's stable sort of the whole column does: ties, crowded buckets, a tail alone in its bucket", () => {
    /** loo's do_psis_i as R has it: the whole column sorted (equal values by position), the tail smoothed by psis_smooth_tail. */
    const reference = (logRatios: Float64Array, rEff: number) => {
      const draws = logRatios.length;
      const max = Math.max(...logRatios);
      const lw = Array.from(logRatios, (v) => v - max);
      const tailLen = tailLength(rEff, draws);
      const order = lw.map((_, i) => i).sort((a, b) => lw[a] - lw[b] || a - b);
      const tail = order.slice(draws - tailLen);
      const expCutoff = Math.exp(lw[order[draws - tailLen - 1]]);
      const fit = gpdFit(Float64Array.from(tail, (i) => Math.exp(lw[i]) - expCutoff));
      tail.forEach((i, r) => (lw[i] = Math.log((fit.sigma * Math.expm1(-fit.k * Math.log1p(-(r + 0.5) / tailLen))) / fit.k + expCutoff)));
      return { k: fit.k, weights: lw.map((v) => (v > 0 ? 0 : v) + max) };
    };
    const uniform = uniforms(7);
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const columns = {
      // Values of one decimal: runs of ties, at the tail's start too.
      ties: Float64Array.from({ length: 1000 }, () => Math.round(10 * normal()) / 10),
      // One far outlier below: the whole tail in a few crowded buckets, sorted by quicksort.
      crowded: Float64Array.from({ length: 4000 }, (_, i) => (i === 17 ? -1e6 : 1e-3 * normal())),
      // The tail spread over the top, the rest far below it: the tail's bucket holds the tail alone.
      apart: Float64Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? -uniform() : -1000 - uniform())),
      normal: Float64Array.from({ length: 4000 }, () => 2 * normal()),
    };
    const scratch = new PsisScratch();
    for (const [name, ratios] of Object.entries(columns)) {
      for (const rEff of [1, 0.3]) {
        const wanted = reference(ratios, rEff);
        const weights = new Float64Array(ratios.length);
        const k = psisSmooth(ratios, rEff, weights, scratch);
        expect(k, name).toBe(wanted.k);
        expect(Array.from(weights), name).toEqual(wanted.weights);
      }
    }
  });
});

describe("a trace's PSIS-LOO, streamed over its observations", () => {
  it("equals R loo's on the grouped regression with a pool of two workers and a memory bound of 12 observations", async () => {
    const g = golden("grouped_regression.expected/loo_y.json");
    const received: WorkRequest[] = [];
    const trace = await openTrace(await openPathStore(join(FIXTURES, "grouped_regression.zarr")), { pool: inThreadPool(2, received) });
    const progress: number[] = [];
    // 12 observations × 1,600 draws × 8 bytes, twice over (chunks and draws): a block of at most 12.
    const result = await trace.loo({ memoryBound: 2 * 12 * 1600 * 8, onProgress: (done) => progress.push(done) });
    expect(result.variable).toBe("log_likelihood/y");
    expect(result.dims).toEqual(["obs_ind"]);
    expect(result.labels[0].slice(0, 3).map(Number)).toEqual([0, 1, 2]);
    expect([result.chains, result.draws, result.rEff]).toEqual([4, 1600, "relative"]);
    expect(relative(result.elpd_loo.estimate, g.results.r_eff_relative.elpd_loo)).toBeLessThan(1e-6);
    expect(relative(result.elpd_loo.se, g.results.r_eff_relative.se_elpd_loo)).toBeLessThan(1e-6);
    expect(relative(result.p_loo.estimate, g.results.r_eff_relative.p_loo)).toBeLessThan(1e-6);
    expect(relative(result.looic.se, g.results.r_eff_relative.se_looic)).toBeLessThan(1e-6);
    g.results.r_eff_relative.pointwise.influence_pareto_k.forEach((k, i) => expect(Math.abs(result.pointwise.pareto_k[i] - k)).toBeLessThan(1e-6));
    expect(result.kThreshold).toBeCloseTo(g.pareto_k_thresholds.modern_good_below, 12);
    const jobs = received.filter((r) => "block" in r && r.block.kind === "loo");
    expect(jobs.length).toBeGreaterThan(8);
    expect(progress.at(-1)).toBe(96);
  });

  it("takes r_eff = 1 when asked, and names the variable to choose, a missing group and a draw that is not finite", async () => {
    const trace = await openPath(join(FIXTURES, "arviz/centered_eight.zarr"));
    const g = golden("arviz/centered_eight.expected/loo_obs.json");
    const one = await trace.loo({ variable: "obs", rEff: 1 });
    expect(relative(one.elpd_loo.estimate, g.results.r_eff_1.elpd_loo)).toBeLessThan(1e-6);
    expect([...one.pointwise.r_eff]).toEqual(new Array(8).fill(1));
    await expect(trace.loo({ variable: "y" })).rejects.toThrow("the log_likelihood group has no variable 'y': it has obs");
    const cmdstan = await openPath(join(FIXTURES, "grouped_regression.cmdstan"));
    await expect(cmdstan.loo()).rejects.toThrow("the trace has no log_likelihood group, which PSIS-LOO needs");
    // 2 chains × 10 draws × 3 observations; observation "b" has a draw of -Inf (zero likelihood).
    const values = Float64Array.from({ length: 60 }, (_, i) => -1 - (i % 7) / 10);
    values[2 * 3 + 1] = -Infinity;
    const bad = await openTrace(
      memoryStore({
        ".zgroup": { zarr_format: 2 },
        "log_likelihood/.zgroup": { zarr_format: 2 },
        "log_likelihood/y/.zarray": zarray("<f8", [2, 10, 3], [2, 10, 3]),
        "log_likelihood/y/.zattrs": dims("chain", "draw", "obs"),
        "log_likelihood/y/0.0.0": asBytes(values),
        "log_likelihood/z/.zarray": zarray("<f8", [2, 10, 3], [2, 10, 3]),
        "log_likelihood/z/.zattrs": dims("chain", "draw", "obs"),
        "log_likelihood/obs/.zarray": zarray("<U1", [3], [3]),
        "log_likelihood/obs/.zattrs": dims("obs"),
        "log_likelihood/obs/0": utf32(["a", "b", "c"], 1),
      }),
    );
    await expect(bad.loo()).rejects.toThrow("the log_likelihood group has 2 variables (y, z): choose the one to use");
    await expect(bad.loo({ variable: "y" })).rejects.toThrow("log_likelihood/y has a draw that is not a finite number at obs=b: PSIS-LOO needs finite log-likelihoods (as R's loo does)");
  });
});

describe("loo_compare", () => {
  const compare = JSON.parse(readFileSync(join(FIXTURES, "arviz/compare_eight.json"), "utf8"));
  it.each([
    ["r_eff_relative", "relative"],
    ["r_eff_1", 1],
  ] as const)("ranks the eight schools' centered and non-centered models as R loo does (%s)", async (variant, rEff: REffMode) => {
    const models = await Promise.all(
      [
        ["centered_eight", "arviz/centered_eight.zarr"],
        ["non_centered_eight", "arviz/non_centered_eight.v3.zarr"],
      ].map(async ([name, store]) => {
        const result = await (await openPath(join(FIXTURES, store))).loo({ rEff });
        return comparedLoo(name, result);
      }),
    );
    const rows = looCompare(models);
    const expected = compare.results[variant];
    expect(rows.map((r) => r.name)).toEqual(expected.models.map((m: { model: string }) => m.model));
    expect(rows[0].name).toBe(expected.best);
    rows.forEach((row, i) => {
      const wanted = expected.models[i];
      for (const key of ["elpd_loo", "se_elpd_loo", "p_loo", "looic"] as const) expect(relative(row[key], wanted[key])).toBeLessThan(1e-6);
      expect(Math.abs(row.elpd_diff - wanted.elpd_diff)).toBeLessThan(1e-6 * Math.abs(wanted.elpd_loo));
      expect(Math.abs(row.se_diff - wanted.se_diff)).toBeLessThan(1e-6 * Math.max(wanted.se_diff, 1e-12));
    });
    // Eight observations: every difference is flagged; the best has no p_worse.
    expect(rows.map((r) => r.diag_diff)).toEqual(["", "N < 100"]);
    expect(rows[0].p_worse).toBeNaN();
    expect(rows[1].p_worse).toBeCloseTo(1 - normalCdfOf(rows[1].elpd_diff / rows[1].se_diff), 12);
    // Against a chosen reference: the centered model's differences are 0, the other's the negation.
    const against = looCompare(models, "centered_eight");
    expect(against.map((r) => r.name)).toEqual(rows.map((r) => r.name));
    expect(against[0].elpd_diff).toBeCloseTo(-rows[1].elpd_diff, 12);
    expect(against[0].se_diff).toBeCloseTo(rows[1].se_diff, 12);
    expect(against[1].elpd_diff).toBe(0);
    expect(() => looCompare(models, "eight")).toThrow("no model is named 'eight': the models are centered_eight, non_centered_eight");
    expect(() => looCompare(models.slice(0, 1))).toThrow("a comparison needs at least two models");
  });
});

describe("the Pareto k figure's words", () => {
  it("puts each k in loo's category, and counts them in the caption with the threshold for the draws", () => {
    expect([...kCategories(Float64Array.from([0.1, 0.69, 0.7, 0.99, 1, Infinity]), 0.7)]).toEqual([0, 0, 1, 1, 2, 2]);
    const pointwise = Object.fromEntries(LOO_POINTWISE.map((name) => [name, new Float64Array(3)])) as LooSummary["pointwise"];
    pointwise.pareto_k.set([0.2, 0.75, 1.3]);
    const summary = { pointwise, kThreshold: 0.7, draws: 4000 } as LooSummary;
    expect(paretoKCaption(summary)).toBe(
      "Pareto k of each of 3 observations: 1 below 0.70 (good), 1 from 0.70 to 1 (bad: that observation's elpd is unreliable), 1 at 1 or above (very bad). " +
        "The threshold is loo's min(1 − 1/log10 S, 0.7) for S = 4,000 draws. Click a point to query that observation.",
    );
  });
});
