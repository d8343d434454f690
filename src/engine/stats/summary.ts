import { bisectLeft } from "d3-array";
import type { Table } from "apache-arrow";
import { DrawscopeError } from "../errors.ts";
import { splitByLabels } from "../split.ts";
import { buildTable, float64Data, labelData, type BuiltColumn } from "../table-build.ts";
import { kde } from "./kde.ts";

export type PointKind = "median" | "mean" | "mode";
export type IntervalKind = "eti" | "hdi";

export const POINT_KINDS: readonly PointKind[] = ["median", "mean", "mode"];
export const INTERVAL_KINDS: readonly IntervalKind[] = ["eti", "hdi"];

export interface SummaryOptions {
  point: PointKind;
  interval: IntervalKind;
  /** Interval probabilities, each in (0, 1]. */
  probs: readonly number[];
}

export interface Interval {
  prob: number;
  lower: number;
  upper: number;
}

/** A point and intervals of one set of draws. NaN draws are left out; `n` counts the rest. */
export interface Summary {
  point: number;
  intervals: Interval[];
  n: number;
}

/** A summary asked for in a way that cannot be computed (a probability outside (0, 1], say). */
export class SummaryError extends DrawscopeError {
  override name = "SummaryError";
  override readonly tag = "summary";
}

export function checkProbs(probs: readonly number[]): void {
  if (probs.length === 0) throw new SummaryError("no interval probability: give at least one, e.g. 0.89");
  for (const p of probs) {
    if (!(p > 0 && p <= 1)) throw new SummaryError(`interval probability ${p} is outside (0, 1]: use e.g. 0.5, 0.89 or 0.95`);
  }
}

/** The non-NaN values, sorted ascending (infinities stay: they are draws too). */
export function sortedDraws(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** The q-quantile of sorted draws, interpolated linearly between order statistics (numpy's default). */
export function numpyQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const t = h - lo;
  if (t === 0 || lo + 1 >= n) return sorted[lo];
  const a = sorted[lo];
  const b = sorted[lo + 1];
  // numpy's lerp: from the nearer end, so t near 1 loses no precision.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}

/** Equal-tailed interval: the (1-p)/2 and 1-(1-p)/2 quantiles. */
export function eti(sorted: Float64Array, prob: number): Interval {
  const tail = (1 - prob) / 2;
  return { prob, lower: numpyQuantile(sorted, tail), upper: numpyQuantile(sorted, 1 - tail) };
}

/** Highest-density interval: the narrowest window of ceil(p·n) sorted draws (the first, on ties). */
export function hdi(sorted: Float64Array, prob: number): Interval {
  const n = sorted.length;
  if (n === 0) return { prob, lower: NaN, upper: NaN };
  const size = Math.min(n, Math.max(1, Math.ceil(prob * n)));
  let best = 0;
  let width = Infinity;
  for (let i = 0; i + size <= n; i++) {
    const w = sorted[i + size - 1] - sorted[i];
    if (w < width) {
      width = w;
      best = i;
    }
  }
  return { prob, lower: sorted[best], upper: sorted[best + size - 1] };
}

/**
 * numpy's pairwise summation (blocks of 128 summed with eight accumulators, halves otherwise):
 * the goldens' means are numpy's, and near-zero means differ in the 12th digit between orders.
 */
function pairwiseSum(a: Float64Array, from: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = from; i < from + n; i++) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    const r = a.slice(from, from + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += a[from + i + k];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) sum += a[from + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
}

export function mean(sorted: Float64Array): number {
  return sorted.length ? pairwiseSum(sorted, 0, sorted.length) / sorted.length : NaN;
}

/** The Gaussian kernel density of `sorted` at x, summed directly over the draws within reach. */
function densityAt(sorted: Float64Array, x: number, bandwidth: number): number {
  let i = bisectLeft(sorted, x - 6 * bandwidth);
  let sum = 0;
  for (; i < sorted.length && sorted[i] <= x + 6 * bandwidth; i++) sum += Math.exp(-0.5 * ((x - sorted[i]) / bandwidth) ** 2);
  return sum;
}

/**
 * The mode as the peak of the draws' kernel density (continuous draws have no repeats to count):
 * the binned estimate finds the peak's grid cell, then a golden-section search on the exact
 * kernel sum places it within the cell, so long tails (a coarse grid) cost no accuracy.
 */
export function mode(sorted: Float64Array): number {
  const finite = sorted.filter(Number.isFinite);
  if (finite.length === 0) return NaN;
  if (finite[0] === finite[finite.length - 1]) return finite[0];
  const { x, density, bandwidth } = kde(finite, { points: 512 });
  let best = 0;
  for (let i = 1; i < density.length; i++) if (density[i] > density[best]) best = i;
  let lo = x[Math.max(0, best - 1)];
  let hi = x[Math.min(x.length - 1, best + 1)];
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = densityAt(finite, a, bandwidth);
  let fb = densityAt(finite, b, bandwidth);
  // Each step keeps one of the two inner points: one kernel sum per step.
  while (hi - lo > bandwidth * 1e-5) {
    if (fa >= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = densityAt(finite, a, bandwidth);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = densityAt(finite, b, bandwidth);
    }
  }
  return (lo + hi) / 2;
}

function pointOf(sorted: Float64Array, kind: PointKind): number {
  if (kind === "mean") return mean(sorted);
  if (kind === "mode") return mode(sorted);
  return numpyQuantile(sorted, 0.5);
}

/** Point and intervals of already sorted draws. */
export function summarizeSorted(sorted: Float64Array, options: SummaryOptions): Summary {
  const interval = options.interval === "hdi" ? hdi : eti;
  return { point: pointOf(sorted, options.point), intervals: options.probs.map((p) => interval(sorted, p)), n: sorted.length };
}

export interface GroupedSummary {
  value: string;
  by: string[];
  options: SummaryOptions;
  /** One row per non-empty combination of the `by` labels, in label order. */
  rows: { keys: (string | number)[]; summary: Summary }[];
}

/** Summaries of the number column `value` of a tidy table, one per combination of the `by` columns. */
export function summarizeTable(table: Table, value: string, by: readonly string[], options: SummaryOptions): GroupedSummary {
  checkProbs(options.probs);
  const { groups } = splitByLabels(table, value, by);
  return {
    value,
    by: [...by],
    options,
    rows: groups.map((g) => ({ keys: g.keys, summary: summarizeSorted(sortedDraws(g.values), options) })),
  };
}

/**
 * The summary as a table: `<by...>, <value>, <value>_lower, <value>_upper`; with several
 * probabilities, the bounds get `_<p>` suffixes (`beta_lower_0.5`, `beta_upper_0.5`, …).
 */
export function summaryTable(summary: GroupedSummary): Table {
  const { rows, value } = summary;
  const columns: BuiltColumn[] = summary.by.map((name, k) => {
    const codeOf = new Map<string | number, number>();
    for (const r of rows) if (!codeOf.has(r.keys[k])) codeOf.set(r.keys[k], codeOf.size);
    const codes = Int32Array.from(rows, (r) => codeOf.get(r.keys[k])!);
    const labels = [...codeOf.keys()];
    return { name, role: "dim", data: labelData(labels, codes) };
  });
  const column = (pick: (s: Summary) => number) => float64Data(Float64Array.from(rows, (r) => pick(r.summary)));
  columns.push({ name: value, role: "value", data: column((s) => s.point), dims: summary.by });
  const several = summary.options.probs.length > 1;
  summary.options.probs.forEach((p, j) => {
    const suffix = several ? `_${p}` : "";
    columns.push({ name: `${value}_lower${suffix}`, role: "value", data: column((s) => s.intervals[j].lower), dims: summary.by });
    columns.push({ name: `${value}_upper${suffix}`, role: "value", data: column((s) => s.intervals[j].upper), dims: summary.by });
  });
  return buildTable(columns);
}
