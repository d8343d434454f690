import { extent } from "d3-array";
import { contours } from "d3-contour";
import { quantileInPlace } from "./quantile.ts";

/**
 * A density on a regular grid: the estimate at (x0 + i·dx, y0 + j·dy) is `density[j·nx + i]`.
 */
export interface Grid2d {
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  density: Float64Array;
  /** The Gaussian kernel's standard deviation along each axis. */
  bandwidthX: number;
  bandwidthY: number;
  /** Pairs the estimate is built from (pairs with a NaN or an infinity are left out). */
  n: number;
}

export interface Density2dOptions {
  /** Grid points along each axis; 128 by default. */
  points?: number;
  /** Multiplies the rule-of-thumb bandwidths (ignored when `bandwidth` is given). */
  adjust?: number;
  bandwidth?: readonly [number, number];
}

/** How the 2-D bandwidths are chosen, in words for the UI. */
export const BANDWIDTH_RULE_2D = "Scott's rule per axis, min(sd, IQR/1.34)·n^(-1/6)";

/** Scott's normal reference rule for two dimensions, on a robust spread. `scratch` is reordered. */
function scott2d(scratch: Float64Array): number {
  const n = scratch.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scratch[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (scratch[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const iqr = quantileInPlace(scratch, 0.75) - quantileInPlace(scratch, 0.25);
  const spread = Math.min(sd, iqr / 1.34) || sd || Math.abs(scratch[0]) || 1;
  return spread * n ** (-1 / 6);
}

/** Samples of a Gaussian with standard deviation `h` at multiples of `step`, cut at four h. */
function kernel(h: number, step: number, points: number): Float64Array {
  const reach = Math.min(points - 1, Math.ceil((4 * h) / step));
  const k = new Float64Array(reach + 1);
  const scale = 1 / (h * Math.sqrt(2 * Math.PI));
  for (let j = 0; j <= reach; j++) k[j] = scale * Math.exp(-0.5 * ((j * step) / h) ** 2);
  return k;
}

/**
 * Gaussian product-kernel KDE of (x, y) pairs: bilinear binning onto the grid, then the kernel
 * applied along x and along y (it is separable), so O(n + points²·kernel width). The grid spans
 * the data and three bandwidths either side on each axis.
 */
export function density2d(x: ArrayLike<number>, y: ArrayLike<number>, options: Density2dOptions = {}): Grid2d {
  const points = options.points ?? 128;
  const length = Math.min(x.length, y.length);
  const fx = new Float64Array(length);
  const fy = new Float64Array(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      fx[n] = x[i];
      fy[n++] = y[i];
    }
  }
  const density = new Float64Array(points * points);
  if (n === 0) return { nx: points, ny: points, x0: 0, y0: 0, dx: 1, dy: 1, density, bandwidthX: NaN, bandwidthY: NaN, n };
  const xs = fx.subarray(0, n);
  const ys = fy.subarray(0, n);
  const adjust = options.adjust ?? 1;
  const [hx, hy] = options.bandwidth ?? [scott2d(xs.slice()) * adjust, scott2d(ys.slice()) * adjust];
  // Both hold n ≥ 1 finite values, so their extents are defined.
  const [xMin, xMax] = extent(xs) as [number, number];
  const [yMin, yMax] = extent(ys) as [number, number];
  const x0 = xMin - 3 * hx;
  const y0 = yMin - 3 * hy;
  const dx = (xMax - xMin + 6 * hx) / (points - 1);
  const dy = (yMax - yMin + 6 * hy) / (points - 1);

  const counts = new Float64Array(points * points);
  for (let k = 0; k < n; k++) {
    const px = (xs[k] - x0) / dx;
    const py = (ys[k] - y0) / dy;
    const i = Math.min(points - 2, Math.floor(px));
    const j = Math.min(points - 2, Math.floor(py));
    const wx = px - i;
    const wy = py - j;
    const at = j * points + i;
    counts[at] += (1 - wx) * (1 - wy);
    counts[at + 1] += wx * (1 - wy);
    counts[at + points] += (1 - wx) * wy;
    counts[at + points + 1] += wx * wy;
  }

  const kx = kernel(hx, dx, points);
  const ky = kernel(hy, dy, points);
  const along = new Float64Array(points * points);
  for (let j = 0; j < points; j++) {
    const row = j * points;
    for (let i = 0; i < points; i++) {
      let sum = counts[row + i] * kx[0];
      for (let k = 1; k < kx.length; k++) {
        if (i - k >= 0) sum += counts[row + i - k] * kx[k];
        if (i + k < points) sum += counts[row + i + k] * kx[k];
      }
      along[row + i] = sum;
    }
  }
  for (let j = 0; j < points; j++) {
    for (let i = 0; i < points; i++) {
      let sum = along[j * points + i] * ky[0];
      for (let k = 1; k < ky.length; k++) {
        if (j - k >= 0) sum += along[(j - k) * points + i] * ky[k];
        if (j + k < points) sum += along[(j + k) * points + i] * ky[k];
      }
      density[j * points + i] = sum / n;
    }
  }
  return { nx: points, ny: points, x0, y0, dx, dy, density, bandwidthX: hx, bandwidthY: hy, n };
}

/**
 * Density levels whose upper sets hold the given shares of the estimated mass (highest density
 * regions): a 0.5 level's contour encloses the densest half of the draws.
 */
export function massThresholds(grid: Grid2d, shares: readonly number[]): number[] {
  const sorted = grid.density.slice().sort().reverse();
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i];
  return shares.map((share) => {
    if (total === 0) return NaN;
    let sum = 0;
    for (let i = 0; i < sorted.length; i++) {
      sum += sorted[i];
      if (sum >= share * total) return sorted[i];
    }
    return sorted[sorted.length - 1];
  });
}

/** One contour line: x and y of its vertices, in data coordinates; closed when first equals last. */
export interface Polyline {
  x: Float64Array;
  y: Float64Array;
}

/**
 * The lines where the grid's density crosses `level`: the rings of d3-contour's polygons (marching
 * squares, linearly interpolated), each closed. d3-contour puts value (i, j) at the centre of a unit
 * cell, (i + ½, j + ½), and closes a ring along the grid's edge, where the density is next to nothing.
 * No level (NaN, a grid with no mass) has no lines, where d3-contour would throw.
 */
export function contourLines(grid: Grid2d, level: number): Polyline[] {
  if (Number.isNaN(level)) return [];
  const { density, x0, y0, dx, dy } = grid;
  const shape = contours()
    .size([grid.nx, grid.ny])
    .contour(density as unknown as number[], level);
  return shape.coordinates.flat().map((ring) => ({
    x: Float64Array.from(ring, ([i]) => x0 + (i - 0.5) * dx),
    y: Float64Array.from(ring, ([, j]) => y0 + (j - 0.5) * dy),
  }));
}
