import { quantileInPlace } from "./quantile.ts";

/** A kernel density estimate on an evenly spaced grid. */
export interface Density {
  x: Float64Array;
  density: Float64Array;
  /** The Gaussian kernel's standard deviation. */
  bandwidth: number;
  /** Finite draws the estimate is built from (NaN and infinities are left out). */
  n: number;
}

export interface KdeOptions {
  /** Grid points; 512 by default. */
  points?: number;
  /** Multiplies the rule-of-thumb bandwidth (ignored when `bandwidth` is given). */
  adjust?: number;
  bandwidth?: number;
}

/** How the bandwidth is chosen, in words for the UI. */
export const BANDWIDTH_RULE = "Silverman's rule of thumb, 0.9·min(sd, IQR/1.34)·n^(-1/5) (R's bw.nrd0)";

function finiteValues(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** Silverman's rule of thumb with R's fallbacks for zero spread. `scratch` is reordered. */
function silverman(scratch: Float64Array): number {
  const n = scratch.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scratch[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (scratch[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const iqr = quantileInPlace(scratch, 0.75) - quantileInPlace(scratch, 0.25);
  const spread = Math.min(sd, iqr / 1.34) || sd || Math.abs(scratch[0]) || 1;
  return 0.9 * spread * n ** -0.2;
}

/** The rule-of-thumb bandwidth of the finite values (see BANDWIDTH_RULE). */
export function bandwidthOf(values: ArrayLike<number>): number {
  const finite = finiteValues(values);
  return finite.length ? silverman(finite) : NaN;
}

/**
 * Gaussian KDE by linear binning onto the grid, then a discrete convolution with the kernel
 * (cut at four bandwidths): O(n + points·kernel width) instead of O(n·points).
 * The grid spans the data and three bandwidths either side.
 */
export function kde(values: ArrayLike<number>, options: KdeOptions = {}): Density {
  const points = options.points ?? 512;
  const finite = finiteValues(values);
  const n = finite.length;
  if (n === 0) return { x: new Float64Array(0), density: new Float64Array(0), bandwidth: NaN, n };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (finite[i] < min) min = finite[i];
    if (finite[i] > max) max = finite[i];
  }
  const bandwidth = options.bandwidth ?? silverman(finite) * (options.adjust ?? 1);
  const lo = min - 3 * bandwidth;
  const step = (max - min + 6 * bandwidth) / (points - 1);
  const counts = new Float64Array(points);
  for (let i = 0; i < n; i++) {
    const position = (finite[i] - lo) / step;
    const j = Math.min(points - 2, Math.floor(position));
    const w = position - j;
    counts[j] += 1 - w;
    counts[j + 1] += w;
  }
  const reach = Math.min(points - 1, Math.ceil((4 * bandwidth) / step));
  const kernel = new Float64Array(reach + 1);
  const scale = 1 / (n * bandwidth * Math.sqrt(2 * Math.PI));
  for (let j = 0; j <= reach; j++) kernel[j] = scale * Math.exp(-0.5 * ((j * step) / bandwidth) ** 2);
  const x = new Float64Array(points);
  const density = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    x[i] = lo + i * step;
    let sum = counts[i] * kernel[0];
    const far = Math.min(reach, Math.max(i, points - 1 - i));
    for (let j = 1; j <= far; j++) {
      if (i - j >= 0) sum += counts[i - j] * kernel[j];
      if (i + j < points) sum += counts[i + j] * kernel[j];
    }
    density[i] = sum;
  }
  return { x, density, bandwidth, n };
}
