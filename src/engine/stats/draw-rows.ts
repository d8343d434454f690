/**
 * Draws of several elements laid out by draw ("rows"): draw d of element e at `rows[d·count + e]`,
 * as the chunks of a variable whose own dimension is its last (chain, draw, obs) hold them. A
 * block is gathered from its chunks in this layout, which copies each chunk's rows whole; an
 * element's statistics need its draws one after another, so a job turns the rows around a few
 * elements at a time where it runs (on a pool worker, in a buffer that stays in cache).
 */

/**
 * Values turned around at a time by forEachElement, and the gap after each element's run in the
 * buffer they go to: runs a multiple of 4 KiB apart would all fall in one set of the cache, and
 * evict each other as a row's values are written to them. Both chosen by measuring.
 */
const PIECE_VALUES = 1 << 17;
const GAP = 8;
let piece = new Float64Array(0);

/**
 * Visit each of a block's `count` elements with its draws one after another (a view valid during
 * the call), the block's rows turned around a few elements at a time: each row's values for those
 * elements are read in order and written to the elements' runs, which stay in cache.
 */
export function forEachElement(block: Float64Array, count: number, perElement: number, visit: (element: number, draws: Float64Array) => void): void {
  const step = Math.max(1, Math.floor(PIECE_VALUES / Math.max(1, perElement)));
  const stride = perElement + GAP;
  for (let from = 0; from < count; from += step) {
    const width = Math.min(count, from + step) - from;
    if (piece.length < width * stride) piece = new Float64Array(width * stride);
    for (let d = 0, src = from; d < perElement; d++, src += count) {
      for (let e = 0, at = d; e < width; e++, at += stride) piece[at] = block[src + e];
    }
    for (let e = 0; e < width; e++) visit(from + e, piece.subarray(e * stride, e * stride + perElement));
  }
}
