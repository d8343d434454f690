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
  const theta = new Float64Array(grid);
  for (let j = 0; j < grid; j++) theta[j] = 1 / x[n - 1] + (1 - Math.sqrt(grid / (j + 0.5))) / prior / firstQuartile;
  // loo's lx(theta, x): with a = -theta and k = mean(log1p(a x)), log(a / k) - k - 1.
  const profile = sumsOfLog1p(theta, x, n);
  for (let j = 0; j < grid; j++) {
    const k = profile[j] / n;
    profile[j] = n * (Math.log(-theta[j] / k) - k - 1);
  }
  const normalizer = logSumExp(profile, grid);
  let thetaHat = 0;
  for (let j = 0; j < grid; j++) thetaHat += theta[j] * Math.exp(profile[j] - normalizer);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log1p(-thetaHat * x[i]);
  const kHat = sum / n;
  const sigma = -kHat / thetaHat;
  const k = (kHat * n) / (n + 10) + (10 * 0.5) / (n + 10);
  return { k: Number.isNaN(k) ? Infinity : k, sigma };
}

/** Products are logged (and restarted) once they leave [1/PRODUCT_LIMIT, PRODUCT_LIMIT]. */
const PRODUCT_LIMIT = 1e250;
/** Factors multiplied between checks of the products' range. */
const BLOCK = 8;

/**
 * For each t of `theta`, Σ log1p(-t·x[i]) over x[0..n), as logs of products of the factors
 * 1 - t·x[i]: a log every few dozen values instead of one per value, which is what gpdFit's grid
 * spends its time on. The products of all t advance a block of values at a time, so their
 * multiplies are mostly independent of one another. A product is logged (and restarted) when it
 * leaves [1/PRODUCT_LIMIT, PRODUCT_LIMIT] after a block; a block that overflowed or underflowed
 * the double range, or met a factor at or below 0 (where log1p gives -Inf or NaN), is summed term
 * by term with log1p instead. Forming 1 - t·x rounds it, so each term is off by up to half an ulp
 * of 1 (absolutely): the sums agree with sums of log1p to about n·1e-16.
 */
function sumsOfLog1p(theta: Float64Array, x: Float64Array, n: number): Float64Array {
  const grid = theta.length;
  const sums = new Float64Array(grid);
  const products = new Float64Array(grid).fill(1);
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    for (let j = 0; j < grid; j++) {
      const a = -theta[j];
      const before = products[j];
      let product = before;
      for (let i = start; i < end; i++) product *= 1 + a * x[i];
      if (!(product > 1 / PRODUCT_LIMIT && product < PRODUCT_LIMIT)) {
        if (product > 0 && product < Infinity) sums[j] += Math.log(product);
        else {
          // Overflowed, underflowed, or a factor at or below 0: this block's terms one by one.
          sums[j] += Math.log(before);
          for (let i = start; i < end; i++) sums[j] += Math.log1p(a * x[i]);
        }
        product = 1;
      }
      products[j] = product;
    }
  }
  for (let j = 0; j < grid; j++) sums[j] += Math.log(products[j]);
  return sums;
}

/** loo's qgpd: the generalized Pareto quantile at p (NaN for a scale that is NaN or not positive). */
export function gpdQuantile(p: number, k: number, sigma: number): number {
  if (!(sigma > 0)) return NaN;
  return (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}

/** Values of a column sorted to guess where its tail begins. */
const SAMPLE = 256;

/** Working space for psisSmooth, grown as columns need. */
export class PsisScratch {
  candidates = new Float64Array(0);
  sample = new Float64Array(SAMPLE);
  /** After psisSmooth: the positions of the draws whose weights were smoothed (the first `smoothed`), in rank order. */
  order = new Int32Array(0);
  smoothed = 0;
  taken = new Uint8Array(0);
  exceedances = new Float64Array(0);

  ensure(draws: number, tail: number): void {
    if (this.candidates.length < draws) this.candidates = new Float64Array(draws);
    if (this.order.length < tail) {
      this.order = new Int32Array(tail);
      this.taken = new Uint8Array(tail);
      this.exceedances = new Float64Array(tail);
    }
  }
}

/** The first position in sorted[0..n) whose value is not below v. */
function lowerBound(sorted: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The column's largest `tailLen` values, sorted, with the values just below them: the values at or
 * above a guess are gathered and sorted, the guess a quantile of a sorted sample of the column
 * safely below the tail's share (all values when it was not). Returns the sorted candidates and
 * how many there are; the tail is their last `tailLen`.
 */
function sortedTop(values: Float64Array, draws: number, tailLen: number, scratch: PsisScratch): { sorted: Float64Array; below: number } {
  const sample = scratch.sample;
  for (let j = 0; j < SAMPLE; j++) sample[j] = values[Math.floor((j * draws) / SAMPLE)];
  sample.sort();
  const at = Math.floor(SAMPLE * (1 - (2 * tailLen) / draws)) - 2;
  const candidates = scratch.candidates;
  for (let guess = at > 0 ? sample[at] : -Infinity; ; guess = -Infinity) {
    let count = 0;
    let below = -Infinity;
    for (let i = 0; i < draws; i++) {
      const v = values[i];
      if (v >= guess) candidates[count++] = v;
      else if (v > below) below = v;
    }
    if (count >= tailLen) return { sorted: candidates.subarray(0, count).sort(), below };
  }
}

/**
 * loo's do_psis_i on one column: `logRatios` (S values) become Pareto-smoothed log weights in `out`
 * (not normalized); returns the Pareto k (Inf where the tail is too short or constant).
 *
 * The `tailLen` largest ratios are replaced by the expected order statistics of the generalized
 * Pareto fitted to them, the weights truncated at the largest raw ratio. The tail is found and
 * ordered as R's stable sort orders the column (ties by position) without sorting all of it (see
 * sortedTop), and each tail draw takes its rank by binary search, equal values in the order of
 * their positions.
 */
export function psisSmooth(logRatios: Float64Array, rEff: number, out: Float64Array, scratch: PsisScratch): number {
  const draws = logRatios.length;
  let max = -Infinity;
  for (let i = 0; i < draws; i++) if (logRatios[i] > max) max = logRatios[i];
  for (let i = 0; i < draws; i++) out[i] = logRatios[i] - max;
  const tailLen = tailLength(rEff, draws);
  let k = Infinity;
  scratch.smoothed = 0;
  if (tailLen >= MIN_TAIL) {
    scratch.ensure(draws, tailLen);
    const top = sortedTop(out, draws, tailLen, scratch);
    const first = top.sorted.length - tailLen;
    const sorted = top.sorted.subarray(first);
    const threshold = sorted[0];
    // loo's cutoff: the largest value before the tail; and how many equal to the tail's smallest stay out of it.
    const cutoff = first > 0 ? top.sorted[first - 1] : top.below;
    let equalOutside = 0;
    while (first - 1 - equalOutside >= 0 && top.sorted[first - 1 - equalOutside] === threshold) equalOutside++;
    if (Math.abs(sorted[tailLen - 1] - sorted[0]) >= DOUBLE_EPS / 100) {
      const order = scratch.order;
      const taken = scratch.taken.fill(0, 0, tailLen);
      let equalSeen = 0;
      for (let i = 0; i < draws; i++) {
        const v = out[i];
        if (v < threshold || (v === threshold && equalSeen++ < equalOutside)) continue;
        let rank = lowerBound(sorted, tailLen, v);
        while (taken[rank]) rank++;
        taken[rank] = 1;
        order[rank] = i;
      }
      const expCutoff = Math.exp(cutoff);
      const x = scratch.exceedances;
      for (let r = 0; r < tailLen; r++) x[r] = Math.exp(sorted[r]) - expCutoff;
      const fit = gpdFit(x, tailLen);
      k = fit.k;
      if (Number.isFinite(k)) {
        for (let r = 0; r < tailLen; r++) out[order[r]] = Math.log(gpdQuantile((r + 0.5) / tailLen, k, fit.sigma) + expCutoff);
        scratch.smoothed = tailLen;
      }
    }
  }
  for (let i = 0; i < draws; i++) out[i] = (out[i] > 0 ? 0 : out[i]) + max;
  return k;
}
