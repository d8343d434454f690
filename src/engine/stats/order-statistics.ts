/**
 * Quantiles without sorting: only the order statistics the quantiles interpolate between are put
 * in place (a quickselect over the ranks asked for), so summarising an element's draws costs
 * O(n log k) instead of a sort's O(n log n). Each quantile equals sortedQuantile's of the sorted
 * draws exactly: the same order statistics, the same interpolation.
 */

import { select } from "./quantile.ts";

/** Reused between calls: the draws of one element at a time, NaN left out. */
let scratch = new Float64Array(0);

/** Put every rank of `ranks[from..to)` (ascending) in place within a[left..right]. */
function selectRanks(a: Float64Array, left: number, right: number, ranks: readonly number[], from: number, to: number): void {
  if (from >= to) return;
  const m = (from + to) >> 1;
  const k = ranks[m];
  select(a, k, left, right);
  selectRanks(a, left, k - 1, ranks, from, m);
  selectRanks(a, k + 1, right, ranks, m + 1, to);
}

/**
 * The q-quantiles of `draws` (NaN left out), each as sortedQuantile gives it on the sorted draws,
 * and how many draws counted.
 */
export function quantiles(draws: ArrayLike<number>, qs: readonly number[]): { values: number[]; n: number } {
  if (scratch.length < draws.length) scratch = new Float64Array(draws.length);
  let n = 0;
  for (let i = 0; i < draws.length; i++) {
    const v = draws[i];
    if (v === v) scratch[n++] = v;
  }
  if (n === 0) return { values: qs.map(() => NaN), n };
  const at = qs.map((q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    return { lo, t: h - lo };
  });
  const ranks = [...new Set(at.flatMap(({ lo, t }) => (t === 0 || lo + 1 >= n ? [lo] : [lo, lo + 1])))].sort((x, y) => x - y);
  selectRanks(scratch, 0, n - 1, ranks, 0, ranks.length);
  const values = at.map(({ lo, t }) => {
    if (t === 0 || lo + 1 >= n) return scratch[lo];
    const a = scratch[lo];
    const b = scratch[lo + 1];
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
  });
  return { values, n };
}
