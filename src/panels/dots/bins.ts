import { numpyQuantile } from "../../engine/stats/summary.ts";

/**
 * Quantile dotplots: N equally likely dots per row, stacked so that they never overlap.
 *
 * How a quantile becomes a dot:
 * 1. The dots are the quantiles at probabilities (i − 0.5)/N, i = 1..N, of the row's sorted draws.
 * 2. Wilkinson's dot-density binning, left to right: a bin starts at the first quantile not yet
 *    binned and takes every quantile less than one dot width (`width`, in data units) beyond it.
 *    The bin sits at the middle of its first and last quantile, so every quantile is within half
 *    a dot width of its bin.
 * 3. Two bins' centres can still be closer than a dot width: they are spread apart by the least
 *    squares shift (each bin weighted by its dots) that leaves neighbours at least one width apart
 *    and keeps their order; bins already apart do not move.
 * 4. Each dot is drawn at its bin's (spread) centre, at height `stack` (0 at the bottom) within
 *    the bin: quantiles in ascending order fill bins left to right, bottom to top.
 */

/** The probabilities of N dots: (i − 0.5)/N, i = 1..N. */
export const dotProbs = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);

/** The N dot quantiles of sorted draws, and their probabilities. */
export function dotQuantiles(sorted: Float64Array, n: number): { probs: Float64Array; values: Float64Array } {
  const probs = dotProbs(n);
  return { probs, values: probs.map((p) => numpyQuantile(sorted, p)) };
}

/** Where each dot of a row goes. */
export interface DotLayout {
  /** Each dot's centre, in data units (the dots' order is the quantiles'). */
  x: Float64Array;
  /** Each dot's height in its stack, from 0. */
  stack: Int32Array;
  /** Each dot's bin. */
  bin: Int32Array;
  /** Bin centres before spreading (the middle of their quantiles) and after. */
  binMiddle: Float64Array;
  binCenter: Float64Array;
  /** The tallest stack. */
  tallest: number;
}

/** Start and end (exclusive) of each bin of ascending values (step 2 above). */
function binRanges(values: Float64Array, width: number): Int32Array {
  const starts: number[] = [];
  let i = 0;
  while (i < values.length) {
    starts.push(i);
    const limit = values[i] + width;
    i++;
    while (i < values.length && values[i] < limit) i++;
  }
  starts.push(values.length);
  return Int32Array.from(starts);
}

/** The tallest stack of ascending values binned at `width`, without placing the dots. */
export function tallestStack(values: Float64Array, width: number): number {
  const ranges = binRanges(values, width);
  let tallest = 0;
  for (let b = 0; b + 1 < ranges.length; b++) tallest = Math.max(tallest, ranges[b + 1] - ranges[b]);
  return tallest;
}

/**
 * Step 3: centres moved as little as possible (weighted least squares) so that neighbours are at
 * least `width` apart, in order. With d_k = c_k − k·width the constraint is d nondecreasing: an
 * isotonic regression, solved by pooling adjacent violators.
 */
export function spreadCenters(centers: Float64Array, weights: ArrayLike<number>, width: number): Float64Array {
  const n = centers.length;
  // Pooled blocks: their weighted mean of d, total weight, and how many bins they hold.
  const mean = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let k = 0; k < n; k++) {
    mean[blocks] = centers[k] - k * width;
    weight[blocks] = weights[k];
    size[blocks] = 1;
    blocks++;
    while (blocks > 1 && mean[blocks - 2] > mean[blocks - 1]) {
      const w = weight[blocks - 2] + weight[blocks - 1];
      mean[blocks - 2] = (mean[blocks - 2] * weight[blocks - 2] + mean[blocks - 1] * weight[blocks - 1]) / w;
      weight[blocks - 2] = w;
      size[blocks - 2] += size[blocks - 1];
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let k = 0;
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < size[b]; j++, k++) out[k] = mean[b] + k * width;
  }
  return out;
}

/** Steps 2–4 for one row's ascending quantiles, with dots `width` wide (data units). */
export function layoutDots(values: Float64Array, width: number): DotLayout {
  const ranges = binRanges(values, width);
  const bins = ranges.length - 1;
  const binMiddle = new Float64Array(bins);
  const counts = new Int32Array(bins);
  const bin = new Int32Array(values.length);
  const stack = new Int32Array(values.length);
  let tallest = 0;
  for (let b = 0; b < bins; b++) {
    const from = ranges[b];
    const to = ranges[b + 1];
    binMiddle[b] = (values[from] + values[to - 1]) / 2;
    counts[b] = to - from;
    tallest = Math.max(tallest, counts[b]);
    for (let i = from; i < to; i++) {
      bin[i] = b;
      stack[i] = i - from;
    }
  }
  const binCenter = spreadCenters(binMiddle, counts, width);
  const x = Float64Array.from(bin, (b) => binCenter[b]);
  return { x, stack, bin, binMiddle, binCenter, tallest };
}

/**
 * The largest dot diameter (pixels, in steps of a quarter pixel from `maxDiameter` down to
 * `minDiameter`) at which every row's tallest stack fits `stackHeight` pixels, given the x
 * scale's pixels per data unit; `fits` is false when even the smallest dots overflow.
 */
export function dotDiameter(rows: readonly Float64Array[], pixelsPerUnit: number, stackHeight: number, maxDiameter: number, minDiameter: number): { diameter: number; fits: boolean } {
  const tallestAt = (diameter: number) => rows.reduce((a, values) => Math.max(a, tallestStack(values, diameter / pixelsPerUnit)), 0);
  for (let d = maxDiameter; d >= minDiameter; d -= 0.25) {
    if (tallestAt(d) * d <= stackHeight) return { diameter: d, fits: true };
  }
  return { diameter: minDiameter, fits: tallestAt(minDiameter) * minDiameter <= stackHeight };
}
