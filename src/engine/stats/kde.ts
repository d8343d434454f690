import { DrawscopeError } from "../errors.ts";
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

/** Where a variable's support ends, e.g. `{ lower: 0 }` for a scale such as sigma. */
export interface KdeBounds {
  lower?: number;
  upper?: number;
}

export interface KdeOptions extends KdeBounds {
  /** Grid points; 512 by default. */
  points?: number;
  /** Multiplies the rule-of-thumb bandwidth (ignored when `bandwidth` is given). */
  adjust?: number;
  bandwidth?: number;
}

/** Bounds that contradict the draws (a draw below `lower`), or an empty interval. */
export class BoundsError extends DrawscopeError {
  override name = "BoundsError";
  override readonly tag = "bounds";
}

/** How the bandwidth is chosen, in words for the UI. */
export const BANDWIDTH_RULE = "Silverman's rule of thumb, 0.9·min(sd, IQR/1.34)·n^(-1/5) (R's bw.nrd0)";

/** The kernel is cut this many bandwidths from its centre (it keeps all but 6e-5 of its mass). */
const KERNEL_REACH = 4;
/** An unbounded grid spans the draws and this many bandwidths either side. */
const GRID_MARGIN = 3;

/** Bounds chosen for a panel's draws, and why, in words for a caption. */
export interface AutoBounds {
  bounds: KdeBounds;
  /** E.g. "every draw of sigma is ≥ 0", "some draws of beta are below 0". */
  reason: string;
}

/**
 * Bounds for the draws of one panel (all its curves alike): a variable whose finite draws are
 * all ≥ 0, such as a scale (sigma, tau), is bounded below at 0; any other is not bounded.
 */
export function autoBounds(samples: readonly ArrayLike<number>[], name: string): AutoBounds {
  let any = false;
  for (const values of samples) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v >= 0) any = true;
      else if (v > -Infinity) return { bounds: {}, reason: `some draws of ${name} are below 0` };
    }
  }
  return any ? { bounds: { lower: 0 }, reason: `every draw of ${name} is ≥ 0` } : { bounds: {}, reason: `${name} has no finite draws` };
}

/** The finite values' count, range and sum, in one pass. */
interface Summary {
  n: number;
  min: number;
  max: number;
  sum: number;
}

function summarise(values: ArrayLike<number>): Summary {
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // v - v is 0 for finite v, NaN for NaN and infinities.
    if (v - v === 0) {
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { n, min, max, sum };
}

function finiteValues(values: ArrayLike<number>, n: number): Float64Array {
  if (n === values.length) return new Float64Array(values);
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v === 0) out[k++] = v;
  }
  return out;
}

/** Values per bucket in the counting pass of `quartiles`. */
const VALUES_PER_BUCKET = 4;

/**
 * The 0.25 and 0.75 quantiles of the finite values, exactly as `quantileInPlace` gives them
 * (numpy's default), without reordering anything. A counting pass over equal-width buckets of
 * [min, max] finds the buckets that hold the order statistics needed; only their values are
 * gathered and sorted. Quickselect mispredicts about half its comparisons on draws; these passes
 * have no data-dependent branches. When the draws are so lumpy that those buckets hold more than
 * a quarter of them, quickselect on a copy does it instead.
 */
function quartiles(values: ArrayLike<number>, { n, min, max }: Summary): [number, number] {
  if (min === max) return [min, min];
  const all = n === values.length;
  const buckets = Math.max(16, Math.floor(n / VALUES_PER_BUCKET));
  const scale = buckets / (max - min);
  // floor((max - min)·scale) can round to `buckets`: one more bucket holds it.
  const counts = new Int32Array(buckets + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (all || v - v === 0) counts[Math.floor((v - min) * scale)]++;
  }
  // Order statistics h and h + 1 for each quartile, h = (n - 1)·q.
  const h1 = (n - 1) * 0.25;
  const h3 = (n - 1) * 0.75;
  const ranks = [Math.floor(h1), Math.floor(h1) + 1, Math.floor(h3), Math.min(n - 1, Math.floor(h3) + 1)];
  // Walk the buckets in value order: each wanted bucket gets a place among the gathered values
  // (its count becomes the cursor the gathering pass writes at), each rank its slot there.
  const slot = new Int32Array(ranks.length);
  let gathered = 0;
  let below = 0;
  for (let b = 0; b <= buckets; b++) {
    const count = counts[b];
    const end = below + count;
    let wanted = false;
    for (let k = 0; k < ranks.length; k++) {
      if (ranks[k] >= below && ranks[k] < end) {
        slot[k] = gathered + ranks[k] - below;
        wanted = true;
      }
    }
    counts[b] = wanted ? gathered : -1;
    if (wanted) gathered += count;
    below = end;
  }
  if (gathered > n / 4) {
    const scratch = finiteValues(values, n);
    return [quantileInPlace(scratch, 0.25), quantileInPlace(scratch, 0.75)];
  }
  const picked = new Float64Array(gathered);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!all && v - v !== 0) continue;
    const b = Math.floor((v - min) * scale);
    const at = counts[b];
    if (at >= 0) {
      picked[at] = v;
      counts[b] = at + 1;
    }
  }
  // Buckets are in value order, so sorting the gathered values sorts each bucket in place.
  picked.sort();
  const q1 = picked[slot[0]] + (h1 - ranks[0]) * (picked[slot[1]] - picked[slot[0]]);
  const q3 = picked[slot[2]] + (h3 - ranks[2]) * (picked[slot[3]] - picked[slot[2]]);
  return [q1, q3];
}

/** Silverman's rule of thumb with R's fallbacks for zero spread. */
function silverman(values: ArrayLike<number>, summary: Summary): number {
  const { n, sum } = summary;
  const mean = sum / n;
  const all = n === values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    if (all || d - d === 0) ss += d * d;
  }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const [q1, q3] = quartiles(values, summary);
  const spread = Math.min(sd, (q3 - q1) / 1.34) || sd || Math.abs(summary.min) || 1;
  return 0.9 * spread * n ** -0.2;
}

/** The rule-of-thumb bandwidth of the finite values (see BANDWIDTH_RULE). */
export function bandwidthOf(values: ArrayLike<number>): number {
  const summary = summarise(values);
  return summary.n ? silverman(values, summary) : NaN;
}

/**
 * Where grid index `i` (outside the grid) reflects to inside it, or -1 when it does not: about
 * index 0 when the lower bound is on, about `last` when the upper one is, and back and forth
 * (period 2·last) when both are.
 */
function reflectIndex(i: number, last: number, lower: boolean, upper: boolean): number {
  if (lower && upper) {
    const period = 2 * last;
    const r = ((i % period) + period) % period;
    return r <= last ? r : period - r;
  }
  if (lower && i < 0 && -i <= last) return -i;
  if (upper && i > last && 2 * last - i >= 0) return 2 * last - i;
  return -1;
}

/**
 * Gaussian KDE by linear binning onto the grid, then a discrete convolution with the kernel
 * (cut at KERNEL_REACH bandwidths): O(n + points·kernel width) instead of O(n·points).
 *
 * The grid spans the draws and GRID_MARGIN bandwidths either side. A bound within the kernel's
 * reach of the draws becomes the grid's end instead, and the estimate is reflected at it: the
 * bins mirrored about the bound (a grid point, so linear binning commutes with the mirror) are
 * added before the convolution, so the curve starts exactly at the bound, has no mass beyond it,
 * and still integrates to one. A bound further away cannot change the grid's values.
 */
export function kde(values: ArrayLike<number>, options: KdeOptions = {}): Density {
  const points = Math.max(2, options.points ?? 512);
  const lower = options.lower ?? -Infinity;
  const upper = options.upper ?? Infinity;
  if (!(lower < upper)) throw new BoundsError(`the lower bound (${lower}) must be below the upper bound (${upper})`);
  const summary = summarise(values);
  const { n, min, max } = summary;
  if (n === 0) return { x: new Float64Array(0), density: new Float64Array(0), bandwidth: NaN, n };
  if (min < lower) throw new BoundsError(`a draw (${min}) is below the lower bound ${lower}`);
  if (max > upper) throw new BoundsError(`a draw (${max}) is above the upper bound ${upper}`);
  const bandwidth = options.bandwidth ?? silverman(values, summary) * (options.adjust ?? 1);
  if (!(bandwidth > 0 && bandwidth < Infinity)) throw new RangeError(`the bandwidth must be a positive number, not ${bandwidth}`);

  const reflectLower = min - lower <= KERNEL_REACH * bandwidth;
  const reflectUpper = upper - max <= KERNEL_REACH * bandwidth;
  const lo = reflectLower ? lower : min - GRID_MARGIN * bandwidth;
  const hi = reflectUpper ? upper : max + GRID_MARGIN * bandwidth;
  const last = points - 1;
  const step = (hi - lo) / last;
  const reach = Math.ceil((KERNEL_REACH * bandwidth) / step);

  // Binned counts with `reach` bins of padding either side, so the convolution needs no bounds checks.
  const padded = new Float64Array(points + 2 * reach);
  const perStep = 1 / step;
  const all = n === values.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!all && v - v !== 0) continue;
    const position = (v - lo) * perStep;
    const j = position < last ? Math.floor(position) : last - 1;
    const w = position - j;
    padded[reach + j] += 1 - w;
    padded[reach + j + 1] += w;
  }
  // A bin on a bound is its own mirror image: it counts twice.
  if (reflectLower) padded[reach] *= 2;
  if (reflectUpper) padded[reach + last] *= 2;
  if (reflectLower || reflectUpper) {
    for (let k = 1; k <= reach; k++) {
      const below = reflectIndex(-k, last, reflectLower, reflectUpper);
      const above = reflectIndex(last + k, last, reflectLower, reflectUpper);
      if (below >= 0) padded[reach - k] = padded[reach + below];
      if (above >= 0) padded[reach + last + k] = padded[reach + above];
    }
  }

  // The discrete kernel, scaled so that it sums to exactly 1/(n·step): the estimate keeps unit mass.
  const kernel = new Float64Array(reach + 1);
  let mass = 0;
  for (let k = 0; k <= reach; k++) {
    const z = (k * step) / bandwidth;
    kernel[k] = Math.exp(-0.5 * z * z);
    mass += k === 0 ? kernel[k] : 2 * kernel[k];
  }
  const scale = 1 / (n * step * mass);
  for (let k = 0; k <= reach; k++) kernel[k] *= scale;

  const x = new Float64Array(points);
  const density = new Float64Array(points);
  const k0 = kernel[0];
  for (let i = 0; i < points; i++) {
    const c = reach + i;
    let sum = padded[c] * k0;
    for (let k = 1; k <= reach; k++) sum += kernel[k] * (padded[c - k] + padded[c + k]);
    density[i] = sum;
    x[i] = lo + i * step;
  }
  x[last] = hi;
  return { x, density, bandwidth, n };
}
