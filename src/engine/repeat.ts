import type { NumericData } from "./column-data.ts";

/**
 * Fill `out` with `codes` laid out as one axis of a C-ordered block: each code repeated `inner`
 * times, the whole period repeated `outer` times. Runs are written with `fill` and the period is
 * copied by doubling, so the cost is a few memory passes whatever the sizes.
 */
export function repeatAxis(out: NumericData, codes: ArrayLike<number>, inner: number, outer: number): void {
  const period = codes.length * inner;
  for (let i = 0; i < codes.length; i++) out.fill(codes[i], i * inner, (i + 1) * inner);
  const total = period * outer;
  let filled = period;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    out.copyWithin(filled, 0, n);
    filled += n;
  }
}
