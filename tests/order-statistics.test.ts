import { describe, expect, it } from "vitest";
import { quantiles } from "../src/engine/stats/order-statistics.ts";
import { summarizeBlock, summaryWidth } from "../src/engine/stats/summary-block.ts";
import { sortedDraws, numpyQuantile, summarizeSorted, type SummaryOptions } from "../src/engine/stats/summary.ts";

/** A deterministic stream of numbers (a linear congruential generator), with ties and NaNs when asked. */
function draws(n: number, seed: number, { ties = false, nans = false } = {}): Float64Array {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Float64Array.from({ length: n }, () => {
    if (nans && next() < 0.05) return NaN;
    const v = next() * 4 - 2;
    return ties ? Math.round(v * 4) / 4 : v;
  });
}

const QS = [0.5, 0.025, 0.975, 0.055, 0.945, 0.25, 0.75, 0, 1];

/** −0 and 0 are one value: a sort puts −0 first, a selection need not. */
const zeroAsZero = (values: number[]) => values.map((v) => (v === 0 ? 0 : v));

describe("quantiles by selection", () => {
  it("equal numpyQuantile of the sorted draws exactly, with ties, NaNs, and from one draw to thousands", () => {
    for (const n of [1, 2, 3, 7, 100, 4000]) {
      for (const [seed, shape] of [
        [1, {}],
        [2, { ties: true }],
        [3, { nans: true }],
      ] as const) {
        const values = draws(n, seed, shape);
        const sorted = sortedDraws(values);
        const { values: selected, n: counted } = quantiles(values, QS);
        expect(counted).toBe(sorted.length);
        expect(zeroAsZero(selected)).toEqual(zeroAsZero(QS.map((q) => numpyQuantile(sorted, q))));
      }
    }
  });

  it("equal them too where equal-width buckets are lopsided or cannot be drawn: an outlier, infinities, one repeated value, ±0", () => {
    const base = draws(500, 6);
    const cases = {
      outlier: Float64Array.from(base, (v, i) => (i === 17 ? 1e300 : v)),
      negativeOutlier: Float64Array.from(base, (v, i) => (i === 3 ? -1e308 : v)),
      infinities: Float64Array.from(base, (v, i) => (i % 50 === 0 ? Infinity : i % 77 === 0 ? -Infinity : v)),
      repeated: new Float64Array(300).fill(2.5),
      twoValues: Float64Array.from(base, (v) => (v < 0 ? -1 : 1)),
      zeros: Float64Array.from(base, (v, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : v)),
      tiny: Float64Array.from(base, (v) => v * 1e-300),
    };
    for (const [name, values] of Object.entries(cases)) {
      const sorted = sortedDraws(values);
      expect(zeroAsZero(quantiles(values, QS).values), name).toEqual(zeroAsZero(QS.map((q) => numpyQuantile(sorted, q))));
    }
  });

  it("leave the draws as they were, and give NaN for no draws", () => {
    const values = draws(50, 4);
    const copy = values.slice();
    quantiles(values, QS);
    expect(values).toEqual(copy);
    expect(quantiles([NaN, NaN], [0.5])).toEqual({ values: [NaN], n: 0 });
  });

  it("make block summaries equal to those of the sorted draws, for every point and interval kind", () => {
    const block = draws(3 * 1000, 5, { nans: true });
    for (const options of [
      { point: "median", interval: "eti", probs: [0.5, 0.89] },
      { point: "mean", interval: "eti", probs: [0.9] },
      { point: "median", interval: "hdi", probs: [0.5, 0.95] },
    ] satisfies SummaryOptions[]) {
      const out = summarizeBlock({ draws: block, count: 3, options });
      const width = summaryWidth(options);
      for (let e = 0; e < 3; e++) {
        const expected = summarizeSorted(sortedDraws(block.subarray(e * 1000, (e + 1) * 1000)), options);
        expect([...out.subarray(e * width, (e + 1) * width)]).toEqual([expected.point, expected.n, ...expected.intervals.flatMap((i) => [i.lower, i.upper])]);
      }
    }
  });
});
