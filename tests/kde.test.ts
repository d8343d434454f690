import { describe, expect, it } from "vitest";
import { bandwidthOf, kde } from "../src/engine/stats/kde.ts";
import { quantileInPlace } from "../src/engine/stats/quantile.ts";

/** A reproducible normal sample (Box–Muller over a linear congruential generator). */
function normalDraws(n: number, seed = 7): Float64Array {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

function exactDensity(values: ArrayLike<number>, at: number, h: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(-0.5 * ((at - values[i]) / h) ** 2);
  return sum / (values.length * h * Math.sqrt(2 * Math.PI));
}

describe("quantiles by selection", () => {
  it("interpolates between order statistics as numpy's default does", () => {
    const values = [10, 1, 7, 3, 5, 9, 2, 8, 4, 6];
    const q = (p: number) => quantileInPlace(Float64Array.from(values), p);
    expect(q(0)).toBe(1);
    expect(q(1)).toBe(10);
    expect(q(0.5)).toBe(5.5);
    expect(q(0.25)).toBeCloseTo(3.25, 12);
    expect(q(0.75)).toBeCloseTo(7.75, 12);
  });

  it("agrees with a sort on a large sample", () => {
    const draws = normalDraws(4001);
    const sorted = Float64Array.from(draws).sort();
    for (const p of [0.05, 0.5, 0.95]) {
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      const expected = sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
      expect(quantileInPlace(Float64Array.from(draws), p)).toBeCloseTo(expected, 12);
    }
  });
});

describe("Gaussian KDE", () => {
  it("uses R's bw.nrd0 rule", () => {
    // R: bw.nrd0(1:10) = 0.9 * min(sd, IQR/1.34) * 10^-0.2 = 1.719..., sd(1:10) = 3.0276503540974917.
    expect(bandwidthOf(Float64Array.from({ length: 10 }, (_, i) => i + 1))).toBeCloseTo(0.9 * 3.0276503540974917 * 10 ** -0.2, 12);
    // Zero spread falls back to |x| as R does.
    expect(bandwidthOf([2, 2, 2, 2])).toBeCloseTo(0.9 * 2 * 4 ** -0.2, 12);
  });

  it("matches the exact kernel sum within the binning error and integrates to one", () => {
    const draws = normalDraws(4000);
    const estimate = kde(draws);
    const peak = Math.max(...estimate.density);
    for (let i = 0; i < estimate.x.length; i += 17) {
      expect(Math.abs(estimate.density[i] - exactDensity(draws, estimate.x[i], estimate.bandwidth))).toBeLessThan(2e-3 * peak);
    }
    const step = estimate.x[1] - estimate.x[0];
    const area = estimate.density.reduce((a, b) => a + b, 0) * step;
    expect(area).toBeGreaterThan(0.995);
    expect(area).toBeLessThan(1.0001);
    expect(peak).toBeGreaterThan(0.35);
    expect(peak).toBeLessThan(0.45);
  });

  it("leaves out NaN and infinite draws, and honours adjust", () => {
    const draws = [...normalDraws(500), NaN, Infinity, -Infinity];
    const estimate = kde(draws, { adjust: 2, points: 128 });
    expect(estimate.n).toBe(500);
    expect(estimate.x.length).toBe(128);
    expect(estimate.bandwidth).toBeCloseTo(2 * bandwidthOf(draws.slice(0, 500)), 12);
  });

  it("gives an empty estimate for no finite draws", () => {
    const estimate = kde([NaN]);
    expect(estimate.n).toBe(0);
    expect(estimate.x.length).toBe(0);
  });
});
