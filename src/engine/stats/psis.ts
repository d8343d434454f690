import { DOUBLE_EPS } from "./moments.ts";

// Pareto smoothed importance sampling as R's loo 2.5.1 computes it (psis.R, gpdfit.R), for one
// column of log importance ratios at a time.

/** Tails shorter than this are not smoothed (loo's enough_tail_samples): k is Inf. */
const MIN_TAIL = 5;

/** loo's n_pareto: how many of the largest ratios are smoothed, min(0.2 S, 3 sqrt(S / r_eff)) rounded up. */
export const tailLength = (rEff: number, draws: number) => Math.ceil(Math.min(0.2 * draws, 3 * Math.sqrt(draws / rEff)));

/** matrixStats' logSumExp of values[0..n): the largest plus log1p of the others' exponentials relative to it (NaN if any is). */
export function logSumExp(values: Float64Array, n = values.length): number {
  let max = -Infinity;
  let top = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) return NaN;
    if (v > max) {
      max = v;
      top = i;
    }
  }
  if (top < 0 || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) if (i !== top) sum += Math.exp(values[i] - max);
  return max + Math.log1p(sum);
}

export interface GpdFit {
  k: number;
  sigma: number;
}

/**
 * loo's gpdfit: the generalized Pareto fit of Zhang & Stephens (2009) to `x` (ascending,
 * exceedances over the cutoff), a grid of 30 + floor(sqrt(n)) values of theta weighted by the
 * profile likelihood (prior 3), and k pulled toward 0.5 by the weakly informative prior (adjust_k_wip,
 * a = 10). A k that is NaN is Inf.
 */
export function gpdFit(x: Float64Array, n = x.length): GpdFit {
  const prior = 3;
  const grid = 30 + Math.floor(Math.sqrt(n));
  const firstQuartile = x[Math.floor(n / 4 + 0.5) - 1];
  const { slopes, sums } = gridScratch(grid);
  // slopes[j] = -theta[j]; loo's lx(theta, x): with k = mean(log1p(-theta x)), log(-theta / k) - k - 1.
  for (let j = 0; j < grid; j++) slopes[j] = -(1 / x[n - 1] + (1 - Math.sqrt(grid / (j + 0.5))) / prior / firstQuartile);
  sumsOfLog1p(slopes, grid, x, n, sums);
  for (let j = 0; j < grid; j++) {
    const k = sums[j] / n;
    sums[j] = n * (Math.log(slopes[j] / k) - k - 1);
  }
  const normalizer = logSumExp(sums, grid);
  let thetaHat = 0;
  for (let j = 0; j < grid; j++) thetaHat -= slopes[j] * Math.exp(sums[j] - normalizer);
  slopes[0] = -thetaHat;
  sumsOfLog1p(slopes, 1, x, n, sums);
  const kHat = sums[0] / n;
  const sigma = -kHat / thetaHat;
  const k = (kHat * n) / (n + 10) + (10 * 0.5) / (n + 10);
  return { k: Number.isNaN(k) ? Infinity : k, sigma };
}

/** gpdFit's grid: its slopes and their sums, with room for sumsOfLog1p's four at a time. */
let grids = { slopes: new Float64Array(0), sums: new Float64Array(0) };

function gridScratch(grid: number): typeof grids {
  if (grids.slopes.length < grid + 3) grids = { slopes: new Float64Array(grid + 3), sums: new Float64Array(grid + 3) };
  return grids;
}

/** Products are logged (and restarted) once they leave [1/PRODUCT_LIMIT, PRODUCT_LIMIT]. */
const PRODUCT_LIMIT = 1e250;
/** Factors multiplied between checks of the products' range. */
const BLOCK = 8;

/**
 * For each a of slopes[0..count), Σ log1p(a·x[i]) over x[0..n) into `sums`, as logs of products of
 * the factors 1 + a·x[i]: a log every few dozen values instead of one per value, which is what
 * gpdFit's grid spends its time on. Four products advance together, so that their multiplies do
 * not wait on one another (past `count` they are of factors 1, whatever the slopes hold). A product
 * is logged (and restarted) when it leaves [1/PRODUCT_LIMIT, PRODUCT_LIMIT] after a block of
 * values; a block that overflowed or underflowed the double range, or met a factor at or below 0
 * (where log1p gives -Inf or NaN), is summed term by term with log1p instead. Forming 1 + a·x
 * rounds it, so each term is off by up to half an ulp of 1 (absolutely): the sums agree with sums
 * of log1p to about n·1e-16.
 */
function sumsOfLog1p(slopes: Float64Array, count: number, x: Float64Array, n: number, sums: Float64Array): void {
  sums.fill(0, 0, count);
  for (let j = 0; j < count; j += 4) {
    const a0 = slopes[j];
    const a1 = j + 1 < count ? slopes[j + 1] : 0;
    const a2 = j + 2 < count ? slopes[j + 2] : 0;
    const a3 = j + 3 < count ? slopes[j + 3] : 0;
    let p0 = 1;
    let p1 = 1;
    let p2 = 1;
    let p3 = 1;
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      const b0 = p0;
      const b1 = p1;
      const b2 = p2;
      const b3 = p3;
      for (let i = start; i < end; i++) {
        const v = x[i];
        p0 *= 1 + a0 * v;
        p1 *= 1 + a1 * v;
        p2 *= 1 + a2 * v;
        p3 *= 1 + a3 * v;
      }
      if (!(p0 > 1 / PRODUCT_LIMIT && p0 < PRODUCT_LIMIT)) p0 = settle(sums, j, a0, b0, p0, x, start, end);
      if (!(p1 > 1 / PRODUCT_LIMIT && p1 < PRODUCT_LIMIT)) p1 = settle(sums, j + 1, a1, b1, p1, x, start, end);
      if (!(p2 > 1 / PRODUCT_LIMIT && p2 < PRODUCT_LIMIT)) p2 = settle(sums, j + 2, a2, b2, p2, x, start, end);
      if (!(p3 > 1 / PRODUCT_LIMIT && p3 < PRODUCT_LIMIT)) p3 = settle(sums, j + 3, a3, b3, p3, x, start, end);
    }
    sums[j] += Math.log(p0);
    sums[j + 1] += Math.log(p1);
    sums[j + 2] += Math.log(p2);
    sums[j + 3] += Math.log(p3);
  }
}

/**
 * A product that left the range after the block x[start..end): its log added to sums[j] and the
 * product restarted at 1; or, where it overflowed, underflowed or met a factor at or below 0, the
 * product before the block logged and the block's terms summed one by one.
 */
function settle(sums: Float64Array, j: number, a: number, before: number, product: number, x: Float64Array, start: number, end: number): number {
  if (product > 0 && product < Infinity) sums[j] += Math.log(product);
  else {
    sums[j] += Math.log(before);
    for (let i = start; i < end; i++) sums[j] += Math.log1p(a * x[i]);
  }
  return 1;
}

/**
 * log1p(-p) at loo's probabilities for a tail of n, p = (r + 0.5) / n: the part of qgpd that
 * depends on the tail length alone, kept for the lengths met (they repeat across observations).
 */
function logSurvivals(n: number): Float64Array {
  let logs = survivalCache.get(n);
  if (!logs) {
    if (survivalCache.size === SURVIVAL_LENGTHS) survivalCache.clear();
    logs = Float64Array.from({ length: n }, (_, r) => Math.log1p(-(r + 0.5) / n));
    survivalCache.set(n, logs);
  }
  return logs;
}

const survivalCache = new Map<number, Float64Array>();
/** Tail lengths whose logs are kept at once. */
const SURVIVAL_LENGTHS = 256;

/** Buckets the shifted log ratios are counted in, to find the tail and sort it without comparing. */
const BUCKETS = 1024;
/** A bucket with more values than this is sorted by quicksort rather than by insertion. */
const INSERTION_LIMIT = 24;

/** Working space for psisTail, grown as columns need. */
export class PsisScratch {
  /** Per bucket, its last draw linked (-1 when it has none); per draw, the draw linked into its bucket before it (-1 for the first). */
  heads = new Int32Array(BUCKETS + 1);
  previous = new Int32Array(0);
  /** The tail's candidates, sorted, and their positions. */
  values = new Float64Array(0);
  positions = new Int32Array(0);
  /** Where each bucket's candidates end, as gathered. */
  ends = new Int32Array(BUCKETS + 1);
  exceedances = new Float64Array(0);
  /** After psisTail: the positions of the draws whose weights were smoothed (the first `smoothed`), in rank order. */
  order = new Int32Array(0);
  /** After psisTail: their smoothed weights relative to the largest ratio's, truncated at 1 (as `order`). */
  tailWeights = new Float64Array(0);
  smoothed = 0;

  ensureBuckets(draws: number): void {
    if (this.previous.length < draws) this.previous = new Int32Array(draws);
  }

  ensure(draws: number, tail: number): void {
    this.ensureBuckets(draws);
    if (this.values.length < draws) {
      this.values = new Float64Array(draws);
      this.positions = new Int32Array(draws);
    }
    if (this.exceedances.length < tail) {
      this.exceedances = new Float64Array(tail);
      this.tailWeights = new Float64Array(tail);
    }
  }
}

/**
 * Ready the buckets for `draws` values in [lowest, 0]: value v of draw i belongs in bucket
 * ((v - lowest)·scale) | 0 (the largest, 0, in bucket BUCKETS), with the scale returned; draw i
 * goes in bucket b by linking it into the bucket's list: previous[i] = heads[b], heads[b] = i. A
 * caller that links the draws as it writes their values passes `linked` to psisTail.
 */
export function startBuckets(scratch: PsisScratch, draws: number, lowest: number): number {
  scratch.ensureBuckets(draws);
  scratch.heads.fill(-1);
  return BUCKETS / -lowest;
}

/** Link the values into their buckets' lists (see startBuckets). */
function linkInBuckets(shifted: Float64Array, lowest: number, scratch: PsisScratch): void {
  const scale = startBuckets(scratch, shifted.length, lowest);
  const { heads, previous } = scratch;
  for (let i = 0; i < shifted.length; i++) {
    const b = ((shifted[i] - lowest) * scale) | 0;
    previous[i] = heads[b];
    heads[b] = i;
  }
}

/**
 * loo's do_psis_i on one column: `logRatios` (S values) become Pareto-smoothed log weights in `out`
 * (not normalized); returns the Pareto k (Inf where the tail is too short or constant). The
 * ratios are shifted by their largest, smoothed (see psisTail), truncated at that largest, and
 * shifted back.
 */
export function psisSmooth(logRatios: Float64Array, rEff: number, out: Float64Array, scratch: PsisScratch): number {
  const draws = logRatios.length;
  let max = -Infinity;
  for (let i = 0; i < draws; i++) if (logRatios[i] > max) max = logRatios[i];
  let lowest = 0;
  for (let i = 0; i < draws; i++) {
    const v = logRatios[i] - max;
    out[i] = v;
    if (v < lowest) lowest = v;
  }
  const k = psisTail(out, lowest, tailLength(rEff, draws), scratch);
  const { order, tailWeights } = scratch;
  for (let r = 0; r < scratch.smoothed; r++) out[order[r]] = Math.log(tailWeights[r]);
  for (let i = 0; i < draws; i++) out[i] += max;
  return k;
}

/**
 * The smoothing of do_psis_i, on log ratios already shifted by their largest (`shifted`, the
 * largest 0 and the smallest `lowest`, all finite): the `tailLen` largest are replaced by the
 * expected order statistics of the generalized Pareto fitted to them, truncated at 0. Returns the
 * Pareto k (Inf where the tail is too short or constant, and then nothing is smoothed); the
 * smoothed draws' positions and weights (exp of loo's log weights) are left in `scratch.order`
 * and `scratch.tailWeights`, in rank order, the first `scratch.smoothed`.
 *
 * R sorts the whole column (stably: equal values in the order of their positions) to find the
 * tail. Here the values are linked into lists by bucket of equal width; the lists from the top
 * bucket down are gathered until they hold the tail, and each bucket (a few values) sorted by
 * insertion, which gives R's order of the tail without touching the rest. With `linked`, the
 * caller has linked them (see startBuckets).
 */
export function psisTail(shifted: Float64Array, lowest: number, tailLen: number, scratch: PsisScratch, linked = false): number {
  scratch.smoothed = 0;
  // A column this narrow has a constant tail too (loo's test, below).
  if (tailLen < MIN_TAIL || -lowest < DOUBLE_EPS / 100) return Infinity;
  const draws = shifted.length;
  scratch.ensure(draws, tailLen);
  if (!linked) linkInBuckets(shifted, lowest, scratch);
  // The buckets' draws from the top bucket down, until the tail is among them: the candidates, in
  // descending order of bucket and, within one, of position (the order the lists hold them).
  const { heads, previous, values, positions, ends } = scratch;
  let candidates = 0;
  let first = BUCKETS + 1;
  let filled = 0;
  while (candidates < tailLen && first > 0) {
    first--;
    for (let i = heads[first]; i >= 0; i = previous[i]) {
      values[candidates] = shifted[i];
      positions[candidates++] = i;
    }
    if (heads[first] >= 0) ends[filled++] = candidates;
  }
  // Reversed: ascending by bucket, and by position within one; then each bucket sorted by value (ties keep the order of positions).
  for (let i = 0, j = candidates - 1; i < j; i++, j--) swapPairs(values, positions, i, j);
  for (let k = 0; k < filled; k++) {
    const start = candidates - ends[k];
    const end = candidates - (k > 0 ? ends[k - 1] : 0);
    if (end - start > INSERTION_LIMIT) quicksortPairs(values, positions, start, end);
    else if (end - start > 1) insertionSortPairs(values, positions, start, end);
  }
  const tailStart = candidates - tailLen;
  // loo's cutoff: the largest value before the tail (in the next bucket down that holds any).
  const cutoff = tailStart > 0 ? values[tailStart - 1] : largestBelow(shifted, scratch, first);
  if (Math.abs(values[candidates - 1] - values[tailStart]) < DOUBLE_EPS / 100) return Infinity;
  const expCutoff = Math.exp(cutoff);
  const x = scratch.exceedances;
  for (let r = 0; r < tailLen; r++) x[r] = Math.exp(values[tailStart + r]) - expCutoff;
  const fit = gpdFit(x, tailLen);
  if (!Number.isFinite(fit.k)) return fit.k;
  // loo's qgpd at each rank, sigma·expm1(-k·log1p(-p)) / k (NaN for a scale that is not positive),
  // above the cutoff. loo takes its log and truncates that at 0; the weight itself is what its
  // caller sums, so it is kept rather than its log (which would be exponentiated again).
  const { k } = fit;
  const sigma = fit.sigma > 0 ? fit.sigma : NaN;
  const survivals = logSurvivals(tailLen);
  const weights = scratch.tailWeights;
  for (let r = 0; r < tailLen; r++) {
    const w = (sigma * Math.expm1(-k * survivals[r])) / k + expCutoff;
    weights[r] = w > 1 ? 1 : w;
  }
  scratch.order = positions.subarray(tailStart, candidates);
  scratch.smoothed = tailLen;
  return fit.k;
}

/** The largest value in the highest bucket below `first` that holds any (-Inf if none does). */
function largestBelow(shifted: Float64Array, scratch: PsisScratch, first: number): number {
  const { heads, previous } = scratch;
  let b = first - 1;
  while (b >= 0 && heads[b] < 0) b--;
  let largest = -Infinity;
  if (b >= 0) for (let i = heads[b]; i >= 0; i = previous[i]) if (shifted[i] > largest) largest = shifted[i];
  return largest;
}

/** Whether value a at position p comes before value b at position q in R's stable order. */
const before = (a: number, p: number, b: number, q: number) => a < b || (a === b && p < q);

/** Sort values[start..end) ascending, ties by position, moving positions along. */
function insertionSortPairs(values: Float64Array, positions: Int32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const v = values[i];
    const p = positions[i];
    let j = i - 1;
    while (j >= start && before(v, p, values[j], positions[j])) {
      values[j + 1] = values[j];
      positions[j + 1] = positions[j];
      j--;
    }
    values[j + 1] = v;
    positions[j + 1] = p;
  }
}

function swapPairs(values: Float64Array, positions: Int32Array, i: number, j: number): void {
  const v = values[i];
  values[i] = values[j];
  values[j] = v;
  const p = positions[i];
  positions[i] = positions[j];
  positions[j] = p;
}

/** As insertionSortPairs, for a crowded bucket: quicksort on (value, position), median-of-three pivots. */
function quicksortPairs(values: Float64Array, positions: Int32Array, start: number, end: number): void {
  while (end - start > INSERTION_LIMIT) {
    const mid = (start + end) >> 1;
    const last = end - 1;
    if (before(values[mid], positions[mid], values[start], positions[start])) swapPairs(values, positions, mid, start);
    if (before(values[last], positions[last], values[mid], positions[mid])) {
      swapPairs(values, positions, last, mid);
      if (before(values[mid], positions[mid], values[start], positions[start])) swapPairs(values, positions, mid, start);
    }
    // The pivot (the median) at start; values[last] is at least the pivot, which bounds the scans.
    swapPairs(values, positions, start, mid);
    const pv = values[start];
    const pp = positions[start];
    let i = start;
    let j = end;
    for (;;) {
      do i++;
      while (before(values[i], positions[i], pv, pp));
      do j--;
      while (before(pv, pp, values[j], positions[j]));
      if (i >= j) break;
      swapPairs(values, positions, i, j);
    }
    swapPairs(values, positions, start, j);
    // Recurse into the smaller side, loop on the larger.
    if (j - start < end - j - 1) {
      quicksortPairs(values, positions, start, j);
      start = j + 1;
    } else {
      quicksortPairs(values, positions, j + 1, end);
      end = j;
    }
  }
  insertionSortPairs(values, positions, start, end);
}
