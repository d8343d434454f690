import { allocateLike, type ColumnData } from "./column-data.ts";

/**
 * Lay values out in the C-ordered grid of the output dimensions: row r of the grid takes
 * `source[Σ offsets[k][index along k]]`, so an axis the source lacks (offsets all 0) broadcasts
 * and a source in another axis order is transposed.
 */
export function gather(source: ColumnData, offsets: readonly Uint32Array[], total: number): ColumnData {
  const out = allocateLike(source, total);
  const rank = offsets.length;
  const src = source.data as ArrayLike<unknown>;
  const dst = out.data as unknown[];
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const last = offsets[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < total; r += last.length) {
    let base = 0;
    for (let k = 0; k < rank - 1; k++) base += offsets[k][idx[k]];
    for (let i = 0; i < last.length; i++) dst[r + i] = src[base + last[i]];
    for (let k = rank - 2; k >= 0; k--) {
      if (++idx[k] < offsets[k].length) break;
      idx[k] = 0;
    }
  }
  return out;
}
