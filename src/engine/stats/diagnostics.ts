import { DrawscopeError } from "../errors.ts";
import { essOfChains, essOfCheckedChains } from "./ess.ts";
import { DOUBLE_EPS, meanOf } from "./moments.ts";
import { normalQuantile } from "./normal-quantile.ts";
import { sortOrder } from "./rank.ts";
import { rhatOfCheckedChains } from "./rhat.ts";

/** The convergence diagnostics of one scalar, in the order of the `diagnose` CSV's columns. */
export const DIAGNOSTIC_NAMES = ["mean", "sd", "median", "mad", "q5", "q95", "rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd"] as const;

export type DiagnosticName = (typeof DIAGNOSTIC_NAMES)[number];

/** Draws that cannot be cut into the given number of chains. */
export class DiagnosticsError extends DrawscopeError {
  override name = "DiagnosticsError";
  override readonly tag = "diagnostics";
}

const [MEAN, SD, MEDIAN, MAD, Q5, Q95, RHAT, ESS_BULK, ESS_TAIL, MCSE_MEAN, MCSE_SD] = DIAGNOSTIC_NAMES.map((_, i) => i);

/** R's `mad` constant: makes the median absolute deviation estimate a normal's sd. */
const MAD_SCALE = 1.4826;
/** posterior's offset in rank normalisation, (rank - 3/8) / (S - 2·3/8 + 1). */
const RANK_OFFSET = 3 / 8;

/** Scratch reused across calls (diagnostics run scalar after scalar on same-sized draws). */
let capacity = 0;
let splitValues = new Float64Array(0);
let order = new Int32Array(0);
let allSorted = new Float64Array(0);
let splitSorted = new Float64Array(0);
let normalised = new Float64Array(0);
let series = new Float64Array(0);
let foldOrder = new Int32Array(0);
let foldSorted = new Float64Array(0);

function reserve(n: number): void {
  if (n <= capacity) return;
  capacity = Math.max(n, 2 * capacity);
  splitValues = new Float64Array(capacity);
  order = new Int32Array(capacity);
  allSorted = new Float64Array(capacity);
  splitSorted = new Float64Array(capacity);
  normalised = new Float64Array(capacity);
  series = new Float64Array(capacity);
  foldOrder = new Int32Array(capacity);
  foldSorted = new Float64Array(capacity);
}

/** Normal scores of average ranks 1, 1.5, ..., S for one S, filled in as ranks come up. */
let scoreCount = 0;
let scores = new Float64Array(0);

/** The normal score of a rank among S values, given as twice the rank (average ranks are halves). */
function normalScore(doubledRank: number): number {
  let z = scores[doubledRank];
  if (z !== z) {
    z = normalQuantile((doubledRank / 2 - RANK_OFFSET) / (scoreCount - 2 * RANK_OFFSET + 1));
    scores[doubledRank] = z;
  }
  return z;
}

function prepareScores(count: number): void {
  if (count === scoreCount) return;
  scoreCount = count;
  scores = new Float64Array(2 * count + 1).fill(NaN);
}

/**
 * The diagnostics of one scalar's draws, as R's posterior package (1.4) computes them.
 * `draws` holds `chains` chains one after another, each `draws.length / chains` draws long.
 * Writes DIAGNOSTIC_NAMES.length values into `out` from `offset`; NaN where R gives NA (or NaN).
 *
 * mean, sd (n - 1), median, mad (1.4826 × median absolute deviation) and q5/q95 (type 7) are over
 * all draws; q5/q95 are NaN when a draw is NaN (posterior's quantile2; R's `quantile` would stop).
 * rhat is the larger of the rank-normalised split R-hats of the draws and of their distances
 * from the median; ess_bulk the ESS of the rank-normalised split chains; ess_tail the smaller
 * ESS of the indicators of the 5% and 95% quantiles; mcse_mean sd / sqrt(ESS of the draws);
 * mcse_sd from the ESS of the squared deviations (posterior 1.4's `mcse_sd`).
 */
export function diagnoseDraws(draws: Float64Array, chains: number, out: Float64Array, offset = 0): void {
  const n = draws.length;
  if (!(Number.isInteger(chains) && chains >= 1 && n % chains === 0)) {
    throw new DiagnosticsError(`${n} draws cannot be cut into ${chains} chains of equal length`);
  }
  out.fill(NaN, offset, offset + DIAGNOSTIC_NAMES.length);
  if (n === 0) return;
  reserve(n);
  const { values, rows, cols } = splitChains(draws, chains);
  const count = rows * cols;

  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    if (draws[i] !== draws[i]) {
      hasNaN = true;
      break;
    }
  }
  if (hasNaN) {
    // Every statistic is NA but the bulk ESS, which sees only the split chains: they leave out
    // the middle draw of odd-length chains, which may be the only NaN.
    if (!values.subarray(0, count).some((v) => v !== v)) out[offset + ESS_BULK] = bulkEss(values, rows, cols);
    return;
  }

  const mean = meanOf(draws);
  let squares = 0;
  let fourths = 0;
  for (let i = 0; i < n; i++) {
    const d = draws[i] - mean;
    const d2 = d * d;
    squares += d2;
    fourths += d2 * d2;
  }
  const sd = Math.sqrt(squares / (n - 1));
  out[offset + MEAN] = mean;
  out[offset + SD] = n > 1 ? sd : NaN;

  sortSplit(values, count);
  // Split chains usually hold every draw; otherwise sort all draws for the quantiles.
  let sorted = splitSorted;
  if (count < n) {
    sorted = allSorted;
    sorted.set(draws);
    sorted.subarray(0, n).sort();
  }
  const median = sortedMedian(sorted, n);
  const q5 = rQuantile7(sorted, n, 0.05);
  const q95 = rQuantile7(sorted, n, 0.95);
  out[offset + MEDIAN] = median;
  out[offset + Q5] = q5;
  out[offset + Q95] = q95;

  // Rank-normalised split chains: the bulk R-hat and ESS; the same for distances from the
  // median (whose order follows from the draws' order), the tail R-hat. Normal scores are
  // finite, and constant only when every value is tied.
  prepareScores(count);
  if (normaliseRanks(order, splitSorted, count, normalised) > 1) {
    out[offset + RHAT] = rhatOfCheckedChains(normalised, rows, cols);
    out[offset + ESS_BULK] = essOfCheckedChains(normalised, rows, cols);
  }
  if (Number.isFinite(median)) {
    foldedOrder(count, median);
    // With every draw in the split chains, the folded split draws are all the folded draws.
    out[offset + MAD] = MAD_SCALE * (count === n ? sortedMedian(foldSorted, n) : medianDistance(sorted, n, median));
    const tailRhat = normaliseRanks(foldOrder, foldSorted, count, normalised) > 1 ? rhatOfCheckedChains(normalised, rows, cols) : NaN;
    const bulkRhat = out[offset + RHAT];
    out[offset + RHAT] = bulkRhat !== bulkRhat || tailRhat !== tailRhat ? NaN : Math.max(bulkRhat, tailRhat);
  } else {
    out[offset + RHAT] = NaN;
  }

  const min = sorted[0];
  const max = sorted[n - 1];
  if (Number.isFinite(min) && Number.isFinite(max) && !(max - min < DOUBLE_EPS)) {
    out[offset + ESS_TAIL] = Math.min(quantileEss(values, rows, cols, q5), quantileEss(values, rows, cols, q95));
  }

  const splitMin = splitSorted[0];
  const splitMax = splitSorted[count - 1];
  if (Number.isFinite(splitMin) && Number.isFinite(splitMax) && !(splitMax - splitMin < DOUBLE_EPS)) {
    out[offset + MCSE_MEAN] = sd / Math.sqrt(essOfCheckedChains(values, rows, cols));
  }
  for (let i = 0; i < count; i++) {
    const d = values[i] - mean;
    series[i] = d * d;
  }
  const meanSquare = squares / n;
  const varianceVariance = (fourths / n - meanSquare * meanSquare) / essOfChains(series, rows, cols);
  out[offset + MCSE_SD] = Math.sqrt(varianceVariance / meanSquare / 4);
}

/**
 * posterior's `.split_chains`: each chain's first and second halves become chains of their own
 * (an odd chain's middle draw is left out), column after column. With 2 or 3 draws per chain,
 * R's matrix indexing drops to vectors, so the result is chains × 2 (first and last draws).
 * With one draw per chain the draws are left as they are.
 */
function splitChains(draws: Float64Array, chains: number): { values: Float64Array; rows: number; cols: number } {
  const length = draws.length / chains;
  if (length === 1) return { values: draws, rows: 1, cols: chains };
  if (length <= 3) {
    for (let c = 0; c < chains; c++) {
      splitValues[c] = draws[c * length];
      splitValues[chains + c] = draws[c * length + length - 1];
    }
    return { values: splitValues, rows: chains, cols: 2 };
  }
  const half = Math.floor(length / 2);
  // Even chains are already their halves one after another.
  if (length % 2 === 0) return { values: draws, rows: half, cols: 2 * chains };
  for (let c = 0; c < chains; c++) {
    const start = c * length;
    splitValues.set(draws.subarray(start, start + half), 2 * c * half);
    splitValues.set(draws.subarray(start + length - half, start + length), (2 * c + 1) * half);
  }
  return { values: splitValues, rows: half, cols: 2 * chains };
}

/** Sort the split draws: their order into `order`, the sorted values into `splitSorted`. */
function sortSplit(values: Float64Array, count: number): void {
  sortOrder(values, count, order);
  for (let k = 0; k < count; k++) splitSorted[k] = values[order[k]];
}

/**
 * posterior's `z_scale`: the normal scores of average ranks. `sortedValues` ascend, and
 * `positions[k]` is where `sortedValues[k]` came from; each position's score goes to `out`.
 * Returns the number of distinct values.
 */
function normaliseRanks(positions: Int32Array, sortedValues: Float64Array, count: number, out: Float64Array): number {
  let groups = 0;
  for (let start = 0; start < count; groups++) {
    const v = sortedValues[start];
    let end = start + 1;
    while (end < count && sortedValues[end] === v) end++;
    // Ranks start+1..end (1-based) are tied: twice their average is start + end + 1.
    const z = normalScore(start + end + 1);
    for (let k = start; k < end; k++) out[positions[k]] = z;
    start = end;
  }
  return groups;
}

/**
 * The order of the split draws' |x - center| (posterior's `fold_draws`), into foldOrder with
 * the distances in foldSorted: a merge of the sorted draws below the center (read downwards)
 * and above it (upwards).
 */
function foldedOrder(count: number, center: number): void {
  const values = splitSorted;
  let above = 0;
  while (above < count && values[above] <= center) above++;
  let below = above - 1;
  let k = 0;
  while (below >= 0 && above < count) {
    const down = center - values[below];
    const up = values[above] - center;
    if (down <= up) {
      foldOrder[k] = order[below--];
      foldSorted[k++] = down;
    } else {
      foldOrder[k] = order[above++];
      foldSorted[k++] = up;
    }
  }
  for (; below >= 0; below--, k++) {
    foldOrder[k] = order[below];
    foldSorted[k] = center - values[below];
  }
  for (; above < count; above++, k++) {
    foldOrder[k] = order[above];
    foldSorted[k] = values[above] - center;
  }
}

/** The bulk ESS alone (rank-normalised split chains), for draws whose other statistics are NA. */
function bulkEss(values: Float64Array, rows: number, cols: number): number {
  const count = rows * cols;
  prepareScores(count);
  sortSplit(values, count);
  return normaliseRanks(order, splitSorted, count, normalised) > 1 ? essOfCheckedChains(normalised, rows, cols) : NaN;
}

/** posterior's `.ess_quantile`: the ESS of the split chains' indicators of draws <= q (NaN when all agree). */
function quantileEss(values: Float64Array, rows: number, cols: number, q: number): number {
  const count = rows * cols;
  let below = 0;
  for (let i = 0; i < count; i++) {
    const indicator = values[i] <= q ? 1 : 0;
    series[i] = indicator;
    below += indicator;
  }
  return below > 0 && below < count ? essOfCheckedChains(series, rows, cols) : NaN;
}

/** R's `median` of sorted values: the middle one, or the mean of the middle two. */
function sortedMedian(sorted: Float64Array, n: number): number {
  const half = n >> 1;
  if (n % 2 === 1) return sorted[half];
  return middleMean(sorted[half - 1], sorted[half]);
}

function middleMean(a: number, b: number): number {
  const mean = (a + b) / 2;
  return Number.isFinite(mean) || !Number.isFinite(a) || !Number.isFinite(b) ? mean : a / 2 + b / 2;
}

/** R's `quantile(type = 7)` of sorted values, with R's interpolation (1 - h)·lo + h·hi. */
function rQuantile7(sorted: Float64Array, n: number, p: number): number {
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1];
  const high = sorted[hi - 1];
  if (!(index > lo) || high === low) return low;
  const h = index - lo;
  return (1 - h) * low + h * high;
}

/** The median of |x - center| over sorted values, merging both sides of the center up to the middle. */
function medianDistance(sorted: Float64Array, n: number, center: number): number {
  let above = 0;
  while (above < n && sorted[above] <= center) above++;
  let below = above - 1;
  const half = n >> 1;
  let previous = NaN;
  let current = NaN;
  for (let k = 0; k <= half; k++) {
    previous = current;
    const down = below >= 0 ? center - sorted[below] : Infinity;
    const up = above < n ? sorted[above] - center : Infinity;
    if (below >= 0 && (above >= n || down <= up)) {
      current = down;
      below--;
    } else {
      current = up;
      above++;
    }
  }
  return n % 2 === 1 ? current : middleMean(previous, current);
}
