import { Autocovariance, type ChainSummary } from "./autocovariance.ts";
import { returnsNA, varianceOf } from "./moments.ts";

const autocovariance = new Autocovariance();
/** Geyer's autocorrelation estimates by lag, reused across calls. */
let rho = new Float64Array(0);

/**
 * The effective sample size of `cols` chains of `rows` draws (column after column in `x`) as
 * posterior 1.4's internal `.ess` computes it (Vehtari et al. 2021): autocorrelations from the
 * chains' mean autocovariance and the between-chain variance, truncated by Geyer's initial
 * positive sequence, made monotone, and the ESS capped at S·log10(S). NaN where posterior gives NA:
 * fewer than 3 rows, or NaN, infinite or constant draws.
 */
export function essOfChains(x: Float64Array, rows: number, cols: number): number {
  return returnsNA(x, rows * cols) ? NaN : essOfCheckedChains(x, rows, cols);
}

/** essOfChains for draws the caller knows to be finite and not constant (with their chains' summary, when it has it: see Autocovariance.load). */
export function essOfCheckedChains(x: Float64Array, rows: number, cols: number, summary?: ChainSummary): number {
  if (rows < 3) return NaN;
  autocovariance.load(x, rows, cols, summary);
  const scale = rAutocovarianceScale(rows);
  const meanVar = (scale * autocovariance.at(0) * rows) / (rows - 1);
  let varPlus = (meanVar * (rows - 1)) / rows;
  if (cols > 1) varPlus += varianceOf(autocovariance.chainMeans, 0, cols);
  if (rho.length < rows) rho = new Float64Array(Math.max(rows, 2 * rho.length));

  // Sums of adjacent pairs (even lag t, t + 1) are added while they stay positive.
  let even = 1;
  let odd = 1 - (meanVar - scale * autocovariance.at(1)) / varPlus;
  rho[0] = even;
  rho[1] = odd;
  let t = 0;
  while (t < rows - 5 && even + odd > 0) {
    t += 2;
    even = 1 - (meanVar - scale * autocovariance.at(t)) / varPlus;
    odd = 1 - (meanVar - scale * autocovariance.at(t + 1)) / varPlus;
    rho[t] = 0;
    rho[t + 1] = 0;
    if (even + odd >= 0) {
      rho[t] = even;
      rho[t + 1] = odd;
    }
  }
  const maxT = t;
  if (even > 0) rho[maxT] = even;
  // Initial monotone sequence: no pair may exceed the pair before it.
  for (t = 2; t <= maxT - 2; t += 2) {
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  // R sums rho_hat_t[1:max_t]; with max_t = 0 that is 1:0, i.e. the first element alone.
  let sum = maxT === 0 ? rho[0] : 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  const draws = cols * rows;
  const tau = Math.max(-1 + 2 * sum + rho[maxT], 1 / Math.log10(draws));
  return draws / tau;
}

/** R's fft_next_good_size: the least n' >= n whose only prime factors are 2, 3 and 5 (2 at least). */
export function fftNextGoodSize(n: number): number {
  if (n <= 2) return 2;
  for (; ; n++) {
    let m = n;
    while (m % 2 === 0) m /= 2;
    while (m % 3 === 0) m /= 3;
    while (m % 5 === 0) m /= 5;
    if (m <= 1) return n;
  }
}

/**
 * What R's `autocovariance` (posterior's, and loo's) gives against the biased autocovariance: it
 * pads a chain of N to 2M (M = fftNextGoodSize(N)) and divides R's unnormalized inverse FFT by
 * 2N², so every lag comes out M/N times the biased value. It is 1 for the usual draw counts (400,
 * 500, 1000…), and matters with several chains, where the between-chain variance is not scaled.
 */
export const rAutocovarianceScale = (rows: number) => fftNextGoodSize(rows) / rows;
