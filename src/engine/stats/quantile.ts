/**
 * The q-quantile of `values` by linear interpolation between order statistics (numpy's default,
 * R's type 7). `scratch` is reordered in place; selection instead of a sort keeps it O(n).
 */
export function quantileInPlace(scratch: Float64Array, q: number): number {
  const n = scratch.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const below = select(scratch, lo, 0, n - 1);
  if (h === lo) return below;
  // After selecting `lo`, the next order statistic is the smallest value to its right.
  let above = Infinity;
  for (let i = lo + 1; i < n; i++) if (scratch[i] < above) above = scratch[i];
  return below + (h - lo) * (above - below);
}

/** Hoare's quickselect: the k-th smallest of a[left..right], leaving it at a[k], smaller values before it and larger after. */
export function select(a: Float64Array, k: number, left: number, right: number): number {
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot avoids the quadratic case on sorted draws.
    const pivot = median3(a[left], a[mid], a[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}
