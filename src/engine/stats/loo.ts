import type { ChainSummary } from "./autocovariance.ts";
import { essOfCheckedChains } from "./ess.ts";
import { varianceOf } from "./moments.ts";
import { normalQuantile } from "./normal-quantile.ts";
import { psisTail, PsisScratch, startBuckets, tailLength } from "./psis.ts";

// PSIS-LOO as R's loo 2.5.1 computes it (loo.R's pointwise_loo_calcs, mcse_elpd,
// table_of_estimates; relative_eff's ess_rfun), one observation at a time.

/** The values computed per observation, in this order. */
export const LOO_POINTWISE = ["elpd_loo", "mcse_elpd_loo", "p_loo", "looic", "pareto_k", "n_eff", "r_eff"] as const;
export type LooPointwiseName = (typeof LOO_POINTWISE)[number];
const WIDTH = LOO_POINTWISE.length;

/** How r_eff is set: loo's relative_eff of exp(log-likelihood) over the chains (its default in loo.R), or 1. */
export type REffMode = "relative" | 1;

/** Blom's approximate normal order statistics, loo 2.5.1's grid for the MCSE of elpd (n_samples = 1000). */
const BLOM = (() => {
  const n = 1000;
  const c = 3 / 8;
  return Float64Array.from({ length: n }, (_, r) => normalQuantile((r + 1 - c) / (n - 2 * c + 1)));
})();

/** Working space for one observation at a time. */
class LooScratch {
  values = new Float64Array(0);
  likelihood = new Float64Array(0);
  weights = new Float64Array(0);
  logs = new Float64Array(BLOM.length);
  psis = new PsisScratch();
  #columns = new Float64Array(0);

  /** Space for a few observations' draws, transposed out of a block. */
  columns(size: number): Float64Array {
    if (this.#columns.length < size) this.#columns = new Float64Array(size);
    return this.#columns;
  }

  chains: ChainSummary = { sums: new Float64Array(0), mins: new Float64Array(0), maxs: new Float64Array(0) };

  ensure(draws: number, chains: number): void {
    if (this.values.length < draws) {
      this.values = new Float64Array(draws);
      this.likelihood = new Float64Array(draws);
      this.weights = new Float64Array(draws);
    }
    if (this.chains.sums.length < chains) this.chains = { sums: new Float64Array(chains), mins: new Float64Array(chains), maxs: new Float64Array(chains) };
  }
}

const scratch = new LooScratch();

/**
 * loo's relative_eff for one observation: the ESS of its likelihood draws exp(ll) (chains one
 * after another in `likelihood`) by loo 2.5.1's ess_rfun, over the number of draws; with the
 * chains' summary when the caller has it (see Autocovariance.load).
 */
export function relativeEff(likelihood: Float64Array, chains: number, summary?: ChainSummary): number {
  const rows = likelihood.length / chains;
  return essOfCheckedChains(likelihood, rows, chains, summary) / likelihood.length;
}

/** Powers of log1p's series that mcseElpd sums (see SPREAD_SERIES). */
const SERIES_TERMS = 16;
/**
 * mcseElpd takes the series for sd / exp(elpd) up to this. The grid's largest |z| is below 3.3,
 * so |x| = |sd·z / exp(elpd)| < 0.1, where what the series leaves out, at most
 * |x|^17 / (17 (1 - |x|)), is below 1e-17.
 */
const SERIES_LIMIT = 0.03;

/**
 * With a = sd / exp(elpd), log(exp(elpd) + sd·z) = elpd + log1p(a·z), and log1p(a·z) is
 * Σ c_n aⁿ zⁿ with c_n = (-1)ⁿ⁺¹ / n: over the grid, its mean is Σ c_n m_n aⁿ and its mean square
 * Σ_n (Σ_{i+j=n} c_i c_j) m_n aⁿ, where m_n is the grid's mean of zⁿ. These are their
 * coefficients by power of a (index n), so the spread is two polynomials in a rather than a
 * thousand logs.
 */
const SPREAD_SERIES = (() => {
  const moments = new Float64Array(2 * SERIES_TERMS + 1);
  for (const z of BLOM) for (let n = 0, power = 1; n <= 2 * SERIES_TERMS; n++, power *= z) moments[n] += power / BLOM.length;
  const c = (n: number) => (n % 2 === 1 ? 1 : -1) / n;
  const mean = new Float64Array(SERIES_TERMS + 1);
  const square = new Float64Array(2 * SERIES_TERMS + 1);
  for (let i = 1; i <= SERIES_TERMS; i++) {
    mean[i] = c(i) * moments[i];
    for (let j = 1; j <= SERIES_TERMS; j++) square[i + j] += c(i) * c(j) * moments[i + j];
  }
  return { mean, square };
})();

/** Σ coefficients[n]·aⁿ, by Horner's rule. */
function polynomial(coefficients: Float64Array, a: number): number {
  let sum = 0;
  for (let n = coefficients.length - 1; n >= 0; n--) sum = sum * a + coefficients[n];
  return sum;
}

/**
 * loo 2.5.1's mcse_elpd for one observation: the spread of log(z) over a normal grid around
 * exp(elpd), z's variance Σ w²(likelihood - exp(elpd))² (normalized weights) given. Where the
 * grid is narrow against exp(elpd), as it mostly is, by SPREAD_SERIES; else log by log.
 */
export function mcseElpd(variance: number, elpd: number, rEff: number): number {
  const epd = Math.exp(elpd);
  const sd = Math.sqrt(variance);
  const a = sd / epd;
  if (a <= SERIES_LIMIT) {
    const mean = polynomial(SPREAD_SERIES.mean, a);
    const spread = ((polynomial(SPREAD_SERIES.square, a) - mean * mean) * BLOM.length) / (BLOM.length - 1);
    return Math.sqrt(spread / rEff);
  }
  const logs = scratch.logs;
  let n = 0;
  for (let r = 0; r < BLOM.length; r++) {
    const z = epd + sd * BLOM[r];
    if (z > 0) logs[n++] = Math.log(z);
  }
  return Math.sqrt(varianceOf(logs, 0, n) / rEff);
}

/** One observation's PSIS-LOO weights and what is computed on the way (see looWeights). */
export interface LooWeights {
  /** Normalized weights, one per draw (scratch space: valid until the next call). */
  weights: Float64Array;
  /** exp(ll - llMax) per draw (scratch space too). */
  likelihood: Float64Array;
  llMax: number;
  likelihoodSum: number;
  rEff: number;
  k: number;
  /** Σ w², and elpd_loo: llMax + log Σ w·likelihood. */
  squares: number;
  elpd: number;
  /** Σ w²·(likelihood·exp(llMax) − exp(elpd))², for loo's MCSE of elpd. */
  spread: number;
}

/**
 * One observation's PSIS-LOO weights from its S log-likelihood draws (chain after chain), as loo
 * smooths them: r_eff by relative_eff over the chains (or 1), the log ratios −ll Pareto-smoothed,
 * the weights normalized. Undefined when a draw is not finite (loo refuses such input).
 *
 * loo's sums of exponentials share two passes of exp here: the likelihood relative to its largest
 * draw, and the smoothed tail's weights. The values agree with loo's to about 1e-14.
 */
export function looWeights(ll: Float64Array, chains: number, rEffMode: REffMode): LooWeights | undefined {
  const draws = ll.length;
  scratch.ensure(draws, chains);
  // Each chain's bounds, and so the column's. exp is increasing, so the likelihood's bounds in a
  // chain (which relative_eff's summary needs) are those of its log-likelihood, exponentiated.
  const { sums, mins, maxs } = scratch.chains;
  const rows = draws / chains;
  let llMax = -Infinity;
  let llMin = Infinity;
  for (let c = 0, s = 0; c < chains; c++) {
    let max = -Infinity;
    let min = Infinity;
    for (const end = s + rows; s < end; s++) {
      const v = ll[s];
      if (v > max) max = v;
      if (v < min) min = v;
    }
    maxs[c] = max;
    mins[c] = min;
    if (max > llMax) llMax = max;
    if (min < llMin) llMin = min;
  }
  // Infinities show in the bounds; a NaN (which no comparison sees) shows in the sum below.
  if (!(Number.isFinite(llMax) && Number.isFinite(llMin))) return undefined;
  const likelihood = scratch.likelihood.subarray(0, draws);
  const weights = scratch.weights.subarray(0, draws);
  // The log ratios -ll shifted by their largest, -llMin, as loo shifts them: (-ll) - (-llMin) is llMin - ll exactly.
  const shifted = scratch.values.subarray(0, draws);
  const lowest = llMin - llMax;
  // One pass writes what the steps after it read: the likelihood and each chain's summary (for
  // relative_eff), and the shifted ratios counted in psisTail's buckets.
  const bucketScale = startBuckets(scratch.psis, draws, lowest);
  const { heads, previous } = scratch.psis;
  let likelihoodSum = 0;
  for (let c = 0, s = 0; c < chains; c++) {
    let sum = 0;
    for (const end = s + rows; s < end; s++) {
      const v = ll[s];
      const l = Math.exp(v - llMax);
      likelihood[s] = l;
      likelihoodSum += l;
      sum += l;
      const ratio = llMin - v;
      shifted[s] = ratio;
      const b = ((ratio - lowest) * bucketScale) | 0;
      previous[s] = heads[b];
      heads[b] = s;
    }
    sums[c] = sum;
    mins[c] = Math.exp(mins[c] - llMax);
    maxs[c] = Math.exp(maxs[c] - llMax);
  }
  if (Number.isNaN(likelihoodSum)) return undefined;
  // relative_eff of exp(ll): the ESS does not change when every draw is scaled by exp(-llMax).
  const rEff = rEffMode === "relative" ? relativeEff(likelihood, chains, scratch.chains) : 1;
  const k = psisTail(shifted, lowest, tailLength(rEff, draws), scratch.psis, true);
  // Weights relative to the largest raw ratio, which bounds every smoothed one. A draw the
  // smoothing left alone has weight exp(llMin - ll) = exp(llMin - llMax) / likelihood: a division
  // instead of an exp, unless its likelihood underflowed (a range of log-likelihoods over ~700).
  const scale = Math.exp(lowest);
  let wSum = 0;
  let weighted = 0;
  for (let s = 0; s < draws; s++) {
    const l = likelihood[s];
    const w = l > 1e-300 && scale > 0 ? scale / l : Math.exp(shifted[s]);
    weights[s] = w;
    wSum += w;
    weighted += w * l;
  }
  const { order, smoothed, tailWeights } = scratch.psis;
  for (let r = 0; r < smoothed; r++) {
    const s = order[r];
    const w = tailWeights[r];
    wSum += w - weights[s];
    weighted += (w - weights[s]) * likelihood[s];
    weights[s] = w;
  }
  const inverse = 1 / wSum;
  const elpd = llMax + Math.log(weighted * inverse);
  // The likelihood relative to exp(llMax), and exp(elpd) so too: the spread is exp(2 llMax) times this one's.
  const epd = weighted * inverse;
  let squares = 0;
  let spread = 0;
  for (let s = 0; s < draws; s++) {
    const w = weights[s] * inverse;
    weights[s] = w;
    squares += w * w;
    const d = w * (likelihood[s] - epd);
    spread += d * d;
  }
  return { weights, likelihood, llMax, likelihoodSum, rEff, k, squares, elpd, spread: spread * Math.exp(2 * llMax) };
}

/**
 * The LOO values of one observation from its S log-likelihood draws (`ll`, chain after chain):
 * written to out[at..at + LOO_POINTWISE.length). A draw that is not finite makes every value NaN
 * (the caller names the observation).
 */
export function looObservation(ll: Float64Array, chains: number, rEffMode: REffMode, out: Float64Array, at: number): void {
  const smoothed = looWeights(ll, chains, rEffMode);
  if (!smoothed) {
    out.fill(NaN, at, at + WIDTH);
    return;
  }
  const { llMax, likelihoodSum, rEff, k, squares, elpd, spread } = smoothed;
  const lpd = llMax + Math.log(likelihoodSum) - Math.log(ll.length);
  out[at] = elpd;
  out[at + 1] = mcseElpd(spread, elpd, rEff);
  out[at + 2] = lpd - elpd;
  out[at + 3] = -2 * elpd;
  out[at + 4] = k;
  out[at + 5] = rEff / squares;
  out[at + 6] = rEff;
}

/** A block of observations' draws, draw after draw: observation i's draw s at s·count + i, draws chain after chain (S = chains × draws per chain). */
export interface LooBlock {
  draws: Float64Array;
  chains: number;
  count: number;
  rEff: REffMode;
}

/** Observations transposed at a time: their draws' rows are read a cache line at a time. */
const TRANSPOSED = 32;

/** The LOO values of every observation of a block: LOO_POINTWISE.length values per observation, in order. */
export function looBlock({ draws, chains, count, rEff }: LooBlock): Float64Array {
  const out = new Float64Array(count * WIDTH);
  const length = draws.length / count;
  const columns = scratch.columns(TRANSPOSED * length);
  for (let from = 0; from < count; from += TRANSPOSED) {
    const n = Math.min(TRANSPOSED, count - from);
    for (let s = 0; s < length; s++) {
      const row = s * count + from;
      for (let j = 0; j < n; j++) columns[j * length + s] = draws[row + j];
    }
    for (let j = 0; j < n; j++) looObservation(columns.subarray(j * length, (j + 1) * length), chains, rEff, out, (from + j) * WIDTH);
  }
  return out;
}

/** An estimate summed over observations and its standard error, as loo's table_of_estimates: sqrt(N · var). */
export interface Estimate {
  estimate: number;
  se: number;
}

export const summedEstimate = (pointwise: Float64Array): Estimate => {
  let estimate = 0;
  for (const v of pointwise) estimate += v;
  return { estimate, se: Math.sqrt(pointwise.length * varianceOf(pointwise)) };
};
