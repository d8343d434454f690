/**
 * Thinning a line for drawing: the draw axis is cut into a fixed number of equal spans, and per
 * span only the draws holding its smallest and largest value are kept, in draw order. Drawn at any
 * width up to that many pixels, the line covers the same pixels vertically in every column as the
 * full line does, with at most two points per span; the thinning does not depend on the width.
 */

/** Beyond this many points in a figure, each line keeps only its extremes per span of draws. */
export const LINE_POINT_LIMIT = 10_000;

/** Spans of the draw axis a thinned line keeps two points of: as many as the widest screens' pixel columns. */
export const LINE_SPANS = 2000;

export interface ThinnedLine {
  draws: Float64Array;
  values: Float64Array;
}

/**
 * Keep the minimum and maximum of each of `columns` equal spans of draws x0 to x1.
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

/**
 * Lines as a figure draws them: each thinned to LINE_SPANS spans of the figure's draws when its
 * `total` points exceed LINE_POINT_LIMIT, so a line keeps at most 2·LINE_SPANS + 2 points.
 */
export function linesToDraw(lines: readonly ChainLine[], domain: [number, number], total: number): ChainLine[] {
  if (total <= LINE_POINT_LIMIT) return lines.map(({ chain, draws, values }) => ({ chain, draws, values }));
  return lines.map(({ chain, draws, values }) => ({ chain, ...thinMinMax(draws, values, domain[0], domain[1], LINE_SPANS) }));
}
