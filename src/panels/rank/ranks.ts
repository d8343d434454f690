/**
 * Rank plots of chains (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021): the draws of all chains
 * are ranked together, and each chain's ranks should then be uniform when the chains mix. Shown as
 * histograms, or as ECDF differences with a simultaneous band (Säilynoja, Bürkner & Vehtari 2022).
 * Pure typed-array code: no DOM.
 */
import { averageRanks } from "../../engine/stats/rank.ts";
import type { ElementDraws } from "../chain-draws.ts";
import { uniforms } from "../../engine/stats/random.ts";

/** One element's ranks per chain (finite draws only) and the number of finite draws ranked. */
export interface ChainRanks {
  chains: string[];
  ranks: Float64Array[];
  total: number;
}

/** Rank each element's draws over all its chains together (ties get their average rank). */
export function chainRanks(element: ElementDraws): ChainRanks {
  const pooled = new Float64Array(element.series.reduce((a, s) => a + s.values.length, 0));
  let at = 0;
  for (const s of element.series) {
    pooled.set(s.values, at);
    at += s.values.length;
  }
  const all = averageRanks(pooled);
  let total = 0;
  at = 0;
  const ranks = element.series.map((s) => {
    const own = all.subarray(at, (at += s.values.length));
    const finite = own.filter((r) => !Number.isNaN(r));
    total += finite.length;
    return finite;
  });
  return { chains: element.series.map((s) => s.chain), ranks, total };
}

/**
 * Counts of ranks (1…total) in `bins` equal bins over (0, total]: bin b holds ranks r with
 * b·total/bins < r ≤ (b + 1)·total/bins, so with total a multiple of bins each bin spans as many ranks.
 */
export function rankHistogram(ranks: Float64Array, total: number, bins: number): Int32Array {
  const counts = new Int32Array(bins);
  for (let i = 0; i < ranks.length; i++) {
    const b = Math.ceil((ranks[i] * bins) / total) - 1;
    counts[Math.min(bins - 1, Math.max(0, b))]++;
  }
  return counts;
}

/** How many of `ranks` are ≤ k·total/points, for k = 0…points (the ECDF of fractional ranks, in counts). */
export function ecdfCounts(ranks: ArrayLike<number>, total: number, points: number, out: Int32Array): Int32Array {
  out.fill(0);
  for (let i = 0; i < ranks.length; i++) {
    // The first grid point at or above rank/total.
    const k = Math.ceil((ranks[i] * points) / total);
    out[Math.min(points, Math.max(0, k))]++;
  }
  for (let k = 1; k <= points; k++) out[k] += out[k - 1];
  return out;
}

/** A chain's ECDF of fractional ranks minus the uniform CDF, at z = k/points for k = 0…points. */
export function ecdfDifference(ranks: Float64Array, total: number, points: number): Float64Array {
  const counts = ecdfCounts(ranks, total, points, new Int32Array(points + 1));
  return Float64Array.from(counts, (c, k) => c / ranks.length - k / points);
}

/**
 * P(X ≤ x) for x = 0…draws, X hypergeometric: `draws` taken without replacement from `population`
 * items of which `successes` are marked. Computed from the pmf's ratio recurrence in logs.
 */
export function hypergeometricCdf(population: number, successes: number, draws: number): Float64Array {
  const cdf = new Float64Array(draws + 1);
  const lo = Math.max(0, draws + successes - population);
  const hi = Math.min(draws, successes);
  const logPmf = new Float64Array(hi - lo + 1);
  for (let x = lo; x < hi; x++) {
    logPmf[x - lo + 1] = logPmf[x - lo] + Math.log(((successes - x) * (draws - x)) / ((x + 1) * (population - successes - draws + x + 1)));
  }
  const peak = logPmf.reduce((a, v) => Math.max(a, v), -Infinity);
  let sum = 0;
  for (let i = 0; i < logPmf.length; i++) sum += Math.exp(logPmf[i] - peak);
  let running = 0;
  for (let x = lo; x <= draws; x++) {
    if (x <= hi) running += Math.exp(logPmf[x - lo] - peak) / sum;
    cdf[x] = x >= hi ? 1 : running;
  }
  return cdf;
}

/** A simultaneous band for the ECDF differences of several chains' fractional ranks. */
export interface EcdfBand {
  /** z = k/points, k = 0…points. */
  z: Float64Array;
  /** The band in counts of a chain's draws (ECDF × draws) at each z. */
  lowerCount: Int32Array;
  upperCount: Int32Array;
  /** The band as ECDF minus uniform CDF, as drawn. */
  lower: Float64Array;
  upper: Float64Array;
  chains: number;
  draws: number;
  /** The pointwise level that gives the simultaneous coverage. */
  gamma: number;
  level: number;
  simulations: number;
  seed: number;
}

export interface EcdfBandOptions {
  level?: number;
  simulations?: number;
  seed?: number;
}

export const BAND_SIMULATIONS = 1000;
export const BAND_SEED = 1;

/** The two-sided pointwise tail probability of a count x under a CDF: min(1, 2·min(P(X ≤ x), P(X ≥ x))). */
const twoSidedTail = (cdf: Float64Array, x: number) => Math.min(1, 2 * Math.min(cdf[x], 1 - (x > 0 ? cdf[x - 1] : 0)));

/**
 * A simultaneous band from the counts' exact CDFs at each grid point (`cdfs[k]`, counts 0…size)
 * and the simulated minima of the pointwise tail probabilities: γ is the α-quantile of those
 * minima, and the band is where the pointwise tail probability is at least γ.
 */
function bandOf(cdfs: Float64Array[], size: number, minima: Float64Array, level: number, simulations: number, seed: number, chains: number): EcdfBand {
  const points = cdfs.length - 1;
  minima.sort();
  const gamma = minima[Math.floor((1 - level) * simulations)];
  const z = Float64Array.from({ length: points + 1 }, (_, k) => k / points);
  const lowerCount = new Int32Array(points + 1);
  const upperCount = new Int32Array(points + 1);
  for (let k = 0; k <= points; k++) {
    const cdf = cdfs[k];
    let low = 0;
    while (low < size && cdf[low] < gamma / 2) low++;
    let high = size;
    while (high > 0 && 1 - cdf[high - 1] < gamma / 2) high--;
    lowerCount[k] = low;
    upperCount[k] = high;
  }
  return {
    z,
    lowerCount,
    upperCount,
    lower: Float64Array.from(lowerCount, (c, k) => c / size - z[k]),
    upper: Float64Array.from(upperCount, (c, k) => c / size - z[k]),
    chains,
    draws: size,
    gamma,
    level,
    simulations,
    seed,
  };
}

/**
 * The 1 − α simultaneous band for `chains` chains of `draws` draws each, their ranks pooled
 * (Säilynoja, Bürkner & Vehtari 2022, simulation-based adjustment). Under good mixing each chain's
 * draws hold a random subset of the pooled ranks, so its count of fractional ranks ≤ z is
 * hypergeometric. Random splits of the ranks are simulated; in each, the smallest two-sided
 * pointwise tail probability over every chain and grid point is kept.
 */
export function ecdfBand(chains: number, draws: number, points: number, options: EcdfBandOptions = {}): EcdfBand {
  const level = options.level ?? 0.95;
  const simulations = options.simulations ?? BAND_SIMULATIONS;
  const seed = options.seed ?? BAND_SEED;
  const total = chains * draws;
  const cdfs = Array.from({ length: points + 1 }, (_, k) => hypergeometricCdf(total, Math.floor((k * total) / points), draws));

  const random = uniforms(seed);
  const ranks = Int32Array.from({ length: total }, (_, i) => i + 1);
  const counts = new Int32Array(points + 1);
  const rest = new Int32Array(points + 1);
  const minima = new Float64Array(simulations);
  // The last chain holds the ranks the others do not: only the first (chains − 1)·draws places are shuffled.
  const shuffled = (chains - 1) * draws;
  for (let m = 0; m < simulations; m++) {
    for (let i = 0; i < shuffled; i++) {
      const j = i + Math.floor(random() * (total - i));
      const t = ranks[i];
      ranks[i] = ranks[j];
      ranks[j] = t;
    }
    let smallest = 1;
    for (let k = 0; k <= points; k++) rest[k] = Math.floor((k * total) / points);
    for (let c = 0; c < chains - 1; c++) {
      ecdfCounts(ranks.subarray(c * draws, (c + 1) * draws), total, points, counts);
      for (let k = 1; k < points; k++) {
        smallest = Math.min(smallest, twoSidedTail(cdfs[k], counts[k]));
        rest[k] -= counts[k];
      }
    }
    for (let k = 1; k < points; k++) smallest = Math.min(smallest, twoSidedTail(cdfs[k], rest[k]));
    minima[m] = smallest;
  }
  return bandOf(cdfs, draws, minima, level, simulations, seed, chains);
}

/** P(X ≤ x) for x = 0…n, X binomial(n, p), from the pmf's ratio recurrence in logs. */
export function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  if (p <= 0 || p >= 1) return cdf.fill(1, p <= 0 ? 0 : n);
  const logPmf = new Float64Array(n + 1);
  const odds = Math.log(p / (1 - p));
  for (let x = 0; x < n; x++) logPmf[x + 1] = logPmf[x] + Math.log((n - x) / (x + 1)) + odds;
  const peak = logPmf.reduce((a, v) => Math.max(a, v), -Infinity);
  let sum = 0;
  for (let x = 0; x <= n; x++) sum += Math.exp(logPmf[x] - peak);
  let running = 0;
  for (let x = 0; x <= n; x++) cdf[x] = Math.min(1, (running += Math.exp(logPmf[x] - peak) / sum));
  return cdf;
}

/**
 * The 1 − α simultaneous band for the ECDF of `n` independent uniform values (PIT values of a
 * calibrated model): the count at or below z is binomial(n, z); samples of n uniforms are
 * simulated and their smallest pointwise tail probabilities give γ, as for ranks.
 */
export function uniformEcdfBand(n: number, points: number, options: EcdfBandOptions = {}): EcdfBand {
  const level = options.level ?? 0.95;
  const simulations = options.simulations ?? BAND_SIMULATIONS;
  const seed = options.seed ?? BAND_SEED;
  const cdfs = Array.from({ length: points + 1 }, (_, k) => binomialCdf(n, k / points));
  const random = uniforms(seed);
  const sample = new Float64Array(n);
  const counts = new Int32Array(points + 1);
  const minima = new Float64Array(simulations);
  for (let m = 0; m < simulations; m++) {
    for (let i = 0; i < n; i++) sample[i] = random();
    ecdfCounts(sample, 1, points, counts);
    let smallest = 1;
    for (let k = 1; k < points; k++) smallest = Math.min(smallest, twoSidedTail(cdfs[k], counts[k]));
    minima[m] = smallest;
  }
  return bandOf(cdfs, n, minima, level, simulations, seed, 1);
}

const bands = new Map<string, EcdfBand>();

/** `ecdfBand` with the default level, simulations and seed, computed once per shape. */
export function cachedEcdfBand(chains: number, draws: number, points: number): EcdfBand {
  const key = `${chains}:${draws}:${points}`;
  let band = bands.get(key);
  if (!band) bands.set(key, (band = ecdfBand(chains, draws, points)));
  return band;
}

/** True when a chain's ECDF (in counts at the band's grid) stays within the band everywhere. */
export function insideBand(ranks: Float64Array, total: number, band: EcdfBand): boolean {
  const points = band.z.length - 1;
  const counts = ecdfCounts(ranks, total, points, new Int32Array(points + 1));
  return counts.every((c, k) => c >= band.lowerCount[k] && c <= band.upperCount[k]);
}

/** Grid points for the ECDF: as many as draws, up to 100. */
export const ecdfPoints = (draws: number): number => Math.max(1, Math.min(draws, 100));
