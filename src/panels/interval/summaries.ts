import { summarizeElement, summaryWidth } from "../../engine/stats/summary-block.ts";
import type { Summary, SummaryOptions } from "../../engine/stats/summary.ts";

/**
 * Summaries of many elements in columns: element i's point, its draw count, and its bounds for
 * each probability (ascending, as the options give them). Typed arrays only, so they cross to
 * the page as they are, and their size is elements × (2 + 2 · probabilities) numbers, whatever
 * the number of draws.
 */
export interface SummaryColumns {
  point: Float64Array;
  n: Float64Array;
  /** One array per probability. */
  lower: Float64Array[];
  upper: Float64Array[];
}

export function summaryColumns(count: number, probs: readonly number[]): SummaryColumns {
  return {
    point: new Float64Array(count),
    n: new Float64Array(count),
    lower: probs.map(() => new Float64Array(count)),
    upper: probs.map(() => new Float64Array(count)),
  };
}

/** Summaries of consecutive blocks of elements as one set of columns. */
export function concatSummaries(parts: readonly SummaryColumns[], probs: readonly number[]): SummaryColumns {
  const out = summaryColumns(
    parts.reduce((n, p) => n + p.point.length, 0),
    probs,
  );
  let at = 0;
  for (const part of parts) {
    out.point.set(part.point, at);
    out.n.set(part.n, at);
    probs.forEach((_, j) => {
      out.lower[j].set(part.lower[j], at);
      out.upper[j].set(part.upper[j], at);
    });
    at += part.point.length;
  }
  return out;
}

/**
 * Summarize element i from its draws alone (in any order, NaN left out), so the columns can be
 * filled from a split table or, element by element, from draws read in chunks.
 */
export function setSummary(columns: SummaryColumns, i: number, draws: ArrayLike<number>, options: SummaryOptions): void {
  const one = new Float64Array(summaryWidth(options));
  summarizeElement(draws, options, one, 0);
  setSummaries(columns, i, one, options);
}

/** Elements from i on, from summaries laid out as summarizeBlock gives them (summaryWidth values each). */
export function setSummaries(columns: SummaryColumns, i: number, summaries: Float64Array, options: SummaryOptions): void {
  const width = summaryWidth(options);
  for (let e = 0; e * width < summaries.length; e++) {
    const at = e * width;
    columns.point[i + e] = summaries[at];
    columns.n[i + e] = summaries[at + 1];
    for (let j = 0; j < options.probs.length; j++) {
      columns.lower[j][i + e] = summaries[at + 2 + 2 * j];
      columns.upper[j][i + e] = summaries[at + 3 + 2 * j];
    }
  }
}

/** Element i's summary back as one object, for drawing it. */
export function summaryAt(columns: SummaryColumns, i: number, probs: readonly number[]): Summary {
  return { point: columns.point[i], n: columns.n[i], intervals: probs.map((prob, j) => ({ prob, lower: columns.lower[j][i], upper: columns.upper[j][i] })) };
}
