/**
 * How a query's output rows (C order over the output dimensions) are cut into record batches:
 * each batch is one index along the axes before `axis`, a range of `axis`, and the whole of the
 * axes after it. `axis` is the outermost one whose index spans at most `batchRows` rows, and its
 * ranges follow the chunk grid (`blockStarts`), so a batch reads only the chunks it overlaps and
 * memory holds a few chunks and one batch, whatever the output's size.
 */
export interface BatchGrid {
  sizes: readonly number[];
  /** The axis cut into ranges; -1 when there is no axis (one row of scalars). */
  axis: number;
  ranges: readonly (readonly [number, number])[];
}

/** One batch: per output axis, the half-open range of its positions the batch covers. */
export interface GridBatch {
  index: number;
  bounds: [number, number][];
  /** Which of the grid's ranges along its axis this batch takes. */
  range: number;
}

/**
 * Group the blocks starting at `starts` (ascending, from 0) along an axis of `size` into ranges of
 * at most `cap` positions: consecutive whole blocks while they fit, and a block longer than `cap`
 * cut into pieces of `cap` from its start, so no range reaches into a block it does not cover.
 */
export function groupBlocks(starts: readonly number[], size: number, cap: number): [number, number][] {
  const ranges: [number, number][] = [];
  let [lo, hi] = [0, 0];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : size;
    if (end - start > cap) {
      if (hi > lo) ranges.push([lo, hi]);
      for (let at = start; at < end; at += cap) ranges.push([at, Math.min(at + cap, end)]);
      [lo, hi] = [end, end];
    } else if (end - lo > cap) {
      ranges.push([lo, hi]);
      [lo, hi] = [start, end];
    } else {
      hi = end;
    }
  });
  if (hi > lo) ranges.push([lo, hi]);
  return ranges;
}

export function batchGrid(sizes: readonly number[], blockStarts: (axis: number) => number[], batchRows: number): BatchGrid {
  if (sizes.length === 0) return { sizes, axis: -1, ranges: [] };
  const rowsAfter = (axis: number) => sizes.slice(axis + 1).reduce((a, b) => a * b, 1);
  let axis = 0;
  while (axis < sizes.length - 1 && rowsAfter(axis) > batchRows) axis++;
  const cap = Math.max(1, Math.floor(batchRows / Math.max(1, rowsAfter(axis))));
  return { sizes, axis, ranges: groupBlocks(blockStarts(axis), sizes[axis], cap) };
}

/** The batches of a grid, in output order. */
export function* gridBatches(grid: BatchGrid): Generator<GridBatch> {
  const { sizes, axis, ranges } = grid;
  if (axis < 0) {
    yield { index: 0, bounds: [], range: -1 };
    return;
  }
  if (sizes.some((n) => n === 0)) return;
  const outer = new Array<number>(axis).fill(0);
  for (let index = 0; ; ) {
    for (let range = 0; range < ranges.length; range++) {
      const bounds: [number, number][] = sizes.map((n, a) => (a < axis ? [outer[a], outer[a] + 1] : a === axis ? [...ranges[range]] : [0, n]));
      yield { index: index++, bounds, range };
    }
    let a = axis - 1;
    for (; a >= 0; a--) {
      if (++outer[a] < sizes[a]) break;
      outer[a] = 0;
    }
    if (a < 0) return;
  }
}
