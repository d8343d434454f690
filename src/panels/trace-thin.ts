/**
 * Thinning a line for drawing: per pixel column, only the draws holding the column's smallest and
 * largest value are kept, in draw order. The line then covers the same pixels vertically in every
 * column as the full line does, with at most two points per column.
 */

/** Beyond this many points in a figure, each line keeps only its extremes per pixel column. */
export const LINE_POINT_LIMIT = 10_000;

export interface ThinnedLine {
  draws: Float64Array;
  values: Float64Array;
}

/**
 * Keep the minimum and maximum of each of `columns` pixel columns spanning draws x0 to x1.
 * `draws` must be ascending; NaN values are left out.
 */
export function thinMinMax(draws: Float64Array, values: Float64Array, x0: number, x1: number, columns: number): ThinnedLine {
  const n = draws.length;
  const keptDraws = new Float64Array(Math.min(n, 2 * columns + 2));
  const keptValues = new Float64Array(keptDraws.length);
  const perDraw = x1 > x0 ? columns / (x1 - x0) : 0;
  let length = 0;
  let column = -1;
  let low = -1;
  let high = -1;
  const flush = () => {
    if (low < 0) return;
    const [first, second] = low < high ? [low, high] : [high, low];
    keptDraws[length] = draws[first];
    keptValues[length++] = values[first];
    if (second !== first) {
      keptDraws[length] = draws[second];
      keptValues[length++] = values[second];
    }
  };
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const c = Math.min(columns - 1, Math.max(0, Math.floor((draws[i] - x0) * perDraw)));
    if (c !== column) {
      flush();
      column = c;
      low = high = i;
    } else if (v < values[low]) low = i;
    else if (v > values[high]) high = i;
  }
  flush();
  return { draws: keptDraws.slice(0, length), values: keptValues.slice(0, length) };
}

/** One chain's line: its draws (ascending) and values. */
export interface ChainLine {
  chain: string;
  draws: Float64Array;
  values: Float64Array;
}

/** The first and last draw over all lines. */
export function drawExtent(lines: readonly ChainLine[]): [number, number] {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const { draws } of lines) {
    if (draws.length === 0) continue;
    x0 = Math.min(x0, draws[0]);
    x1 = Math.max(x1, draws[draws.length - 1]);
  }
  return [x0, x1];
}

/** Lines as a figure draws them: each thinned to `frameWidth` pixel columns when the figure's `total` points exceed LINE_POINT_LIMIT. */
export function linesToDraw(lines: readonly ChainLine[], domain: [number, number], frameWidth: number, total: number): ChainLine[] {
  if (total <= LINE_POINT_LIMIT) return lines.map(({ chain, draws, values }) => ({ chain, draws, values }));
  const columns = Math.max(1, Math.round(frameWidth));
  return lines.map(({ chain, draws, values }) => ({ chain, ...thinMinMax(draws, values, domain[0], domain[1], columns) }));
}
