/**
 * Quantiles without sorting: only the order statistics the quantiles interpolate between are put
 * in place, so summarising an element's draws costs O(n) instead of a sort's O(n log n). Each
 * quantile equals numpyQuantile's of the sorted draws exactly: the same order statistics, the
 * same interpolation.
 *
 * The draws are first counted into buckets of equal width between their least and greatest value:
 * that pass has no data-dependent branch, while a quickselect's comparisons go either way at
 * random and mispredict (several times slower on draws). Only the few draws in the buckets that
 * hold the ranks asked for are then selected among; the bucket index is monotone in the value, so
 * every draw of a lower bucket is ≤ every draw of a higher one.
 */

import { select } from "./quantile.ts";

/** Below this many draws a plain selection is as fast as counting into buckets. */
const MIN_BUCKETED = 64;
const MAX_BUCKETS = 4096;

/** Reused between calls: the draws of one element (NaN left out) when they are selected among, and the bucket counts and draws. */
let scratch = new Float64Array(0);
let picked = new Float64Array(0);
let counts = new Int32Array(0);
/** Per bucket, where its draws start in `picked` when it holds a rank, else -1; and where its next draw goes. */
let starts = new Int32Array(0);
let cursors = new Int32Array(0);

/** Put every rank of `ranks[from..to)` (ascending) in place within a[left..right]. */
function selectRanks(a: Float64Array, left: number, right: number, ranks: readonly number[], from: number, to: number): void {
  if (from >= to) return;
  const m = (from + to) >> 1;
  const k = ranks[m];
  select(a, k, left, right);
  selectRanks(a, left, k - 1, ranks, from, m);
  selectRanks(a, k + 1, right, ranks, m + 1, to);
}

/** The draws that are not NaN, into `scratch` (whose first `n` values they are). */
function numbersOf(draws: ArrayLike<number>): void {
  if (scratch.length < draws.length) scratch = new Float64Array(draws.length);
  let n = 0;
  for (let i = 0; i < draws.length; i++) {
    const v = draws[i];
    if (v === v) scratch[n++] = v;
  }
}

/**
 * The values of `ranks` (ascending, distinct) among the `n` draws that are not NaN, least `min`
 * and greatest `max`, in the order of `ranks`. `draws` is left as it is.
 */
function rankValues(draws: ArrayLike<number>, n: number, min: number, max: number, ranks: readonly number[]): number[] {
  const buckets = Math.min(MAX_BUCKETS, n >> 2);
  const scale = buckets / (max - min);
  if (n < MIN_BUCKETED || !(scale > 0 && scale < Infinity)) {
    // Few draws, all equal, or an infinite one (no finite bucket width): select among them all.
    numbersOf(draws);
    selectRanks(scratch, 0, n - 1, ranks, 0, ranks.length);
    return ranks.map((k) => scratch[k]);
  }
  // Truncation is the floor of these non-negative indices; the greatest draws get a bucket of their
  // own (index `buckets`). A NaN's index truncates to 0: it is counted there, then taken off.
  const size = buckets + 1;
  if (counts.length < size) {
    counts = new Int32Array(size);
    starts = new Int32Array(size);
    cursors = new Int32Array(size);
  }
  counts.fill(0, 0, size);
  for (let i = 0; i < draws.length; i++) counts[((draws[i] - min) * scale) | 0]++;
  counts[0] -= draws.length - n;

  // Each rank's bucket and its rank within it; the draws of those buckets laid out one after another.
  starts.fill(-1, 0, size);
  const inBucket: number[] = [];
  const bucketOf: number[] = [];
  let held = 0;
  for (let b = 0, below = 0, r = 0; r < ranks.length; b++) {
    const count = counts[b];
    while (r < ranks.length && ranks[r] < below + count) {
      if (starts[b] < 0) {
        starts[b] = cursors[b] = held;
        held += count;
      }
      bucketOf.push(b);
      inBucket.push(ranks[r] - below);
      r++;
    }
    below += count;
  }
  if (picked.length < held) picked = new Float64Array(held);
  for (let i = 0; i < draws.length; i++) {
    const v = draws[i];
    const b = ((v - min) * scale) | 0;
    if (starts[b] >= 0 && v === v) picked[cursors[b]++] = v;
  }
  return ranks.map((_, r) => {
    const b = bucketOf[r];
    const from = starts[b];
    return select(picked, from + inBucket[r], from, from + counts[b] - 1);
  });
}

/**
 * The q-quantiles of `draws` (NaN left out), each as numpyQuantile gives it on the sorted draws,
 * and how many draws counted.
 */
export function quantiles(draws: ArrayLike<number>, qs: readonly number[]): { values: number[]; n: number } {
  let n = draws.length;
  let min = Infinity;
  let max = -Infinity;
  // Math.min and max have no branch to mispredict; a NaN makes both NaN, and only then are the draws that are not NaN counted.
  for (let i = 0; i < draws.length; i++) {
    min = Math.min(min, draws[i]);
    max = Math.max(max, draws[i]);
  }
  if (min !== min) {
    n = 0;
    min = Infinity;
    max = -Infinity;
    for (let i = 0; i < draws.length; i++) {
      const v = draws[i];
      if (v === v) {
        n++;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  if (n === 0) return { values: qs.map(() => NaN), n };
  const at = qs.map((q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    return { lo, t: h - lo };
  });
  const ranks = [...new Set(at.flatMap(({ lo, t }) => (t === 0 || lo + 1 >= n ? [lo] : [lo, lo + 1])))].sort((x, y) => x - y);
  const valueAtRank = new Map(rankValues(draws, n, min, max, ranks).map((v, r) => [ranks[r], v]));
  const values = at.map(({ lo, t }) => {
    const a = valueAtRank.get(lo)!;
    if (t === 0 || lo + 1 >= n) return a;
    const b = valueAtRank.get(lo + 1)!;
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
  });
  return { values, n };
}
