import { quantiles } from "./order-statistics.ts";
import { sortedDraws, summarizeSorted, type SummaryOptions } from "./summary.ts";

/** A block of elements' draws, `count` elements of equal length one after another, to summarise alike. */
export interface SummaryBlock {
  draws: Float64Array;
  count: number;
  options: SummaryOptions;
}

/** Values per element of a block's summaries: the point, the draw count, then each probability's lower and upper bound. */
export const summaryWidth = (options: SummaryOptions) => 2 + 2 * options.probs.length;

/**
 * Summarise one element's draws (in any order, NaN left out) into `out` from `at`: point, draw
 * count, and each probability's bounds. A median with equal-tailed intervals is only quantiles:
 * they are selected, not sorted for (the same values as from the sorted draws).
 */
export function summarizeElement(draws: ArrayLike<number>, options: SummaryOptions, out: Float64Array, at: number): void {
  const { probs } = options;
  if (options.point === "median" && options.interval === "eti") {
    const { values, n } = quantiles(draws, [0.5, ...probs.flatMap((p) => [(1 - p) / 2, 1 - (1 - p) / 2])]);
    out[at] = values[0];
    out[at + 1] = n;
    for (let j = 0; j < probs.length; j++) {
      out[at + 2 + 2 * j] = values[1 + 2 * j];
      out[at + 3 + 2 * j] = values[2 + 2 * j];
    }
    return;
  }
  const summary = summarizeSorted(sortedDraws(draws), options);
  out[at] = summary.point;
  out[at + 1] = summary.n;
  summary.intervals.forEach((interval, j) => {
    out[at + 2 + 2 * j] = interval.lower;
    out[at + 3 + 2 * j] = interval.upper;
  });
}

/** Every element's summary, summaryWidth values each, in order. */
export function summarizeBlock({ draws, count, options }: SummaryBlock): Float64Array {
  const width = summaryWidth(options);
  const perElement = count ? draws.length / count : 0;
  const out = new Float64Array(count * width);
  for (let e = 0; e < count; e++) summarizeElement(draws.subarray(e * perElement, (e + 1) * perElement), options, out, e * width);
  return out;
}
