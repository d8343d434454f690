import { bisectRight } from "d3-array";
import type { Table } from "apache-arrow";
import { LabelCoder, tableColumns } from "../../engine/columns.ts";
import { splitByLabels } from "../../engine/split.ts";
import { ContrastError, contrastDraws, contrastPairs, type ContrastMode } from "../../engine/stats/contrast.ts";
import { checkProbs, sortedDraws, summarizeSorted, type Summary, type SummaryOptions } from "../../engine/stats/summary.ts";

/** More contrasts than this are a wall of rows and, for all pairs, millions of differences. */
const MAX_CONTRASTS = 200;

export interface ContrastRequest extends SummaryOptions {
  value: string;
  dim: string;
  mode: ContrastMode;
  /** The reference level for mode "reference" ("" or absent: the first level). */
  reference?: string;
}

/** One drawn row: a contrast (within one source and one label of any other dims of the value). */
export interface ContrastRow {
  /** The labels of `ContrastRows.by`, in that order. */
  keys: (string | number)[];
  /** "East - North", preceded by the labels of the value's other dims ("School 1 · East - North"). */
  label: string;
  /** The source (posterior, prior) when groups are stacked. */
  source?: string;
  summary: Summary;
  /** Draws above zero among the `summary.n` non-NaN draws. */
  above: number;
}

export interface ContrastRows {
  /** The within-draw differences, a tidy table (exported by the panel). */
  draws: Table;
  /** The columns a row is split by: other dims, `contrast`, then the source (rows of one contrast together). */
  by: string[];
  rows: ContrastRow[];
}

/** How many of the sorted draws are above `x`. */
export function countAbove(sorted: Float64Array, x: number): number {
  return sorted.length - bisectRight(sorted, x);
}

/** The within-draw differences the panel summarises (and exports), refused when there would be too many contrasts to draw. */
export function contrastTable(table: Table, request: Omit<ContrastRequest, keyof SummaryOptions>): Table {
  if (request.dim === "") throw new ContrastError("contrasts need a dimension to compare levels of, and this table has none: add a spec with one, e.g. beta[groups]");
  if (tableColumns(table).some((c) => c.name === request.dim)) {
    const levels = new LabelCoder(table, request.dim).labels;
    const count = contrastPairs(levels, request.mode, request.reference).length;
    if (count > MAX_CONTRASTS) {
      throw new ContrastError(`${levels.length} levels of ${request.dim} give ${count} contrasts, more than ${MAX_CONTRASTS} can be drawn: compare against a reference, or narrow the query`);
    }
  }
  return contrastDraws(table, { value: request.value, dim: request.dim, mode: request.mode, reference: request.reference });
}

/** Contrasts of a value between levels of a dim, summarised per contrast with P(contrast > 0). */
export function contrastRows(table: Table, request: ContrastRequest): ContrastRows {
  checkProbs(request.probs);
  const draws = contrastTable(table, request);
  const columns = tableColumns(draws);
  const source = columns.find((c) => c.role === "source")?.name;
  const others = columns.filter((c) => c.role === "dim" && c.name !== "contrast").map((c) => c.name);
  const by = [...others, "contrast", ...(source ? [source] : [])];
  const { groups } = splitByLabels(draws, request.value, by);
  const rows = groups.map(({ keys, values }): ContrastRow => {
    const sorted = sortedDraws(values);
    const named = source ? keys.slice(0, -1) : keys;
    return {
      keys,
      label: named.map(String).join(" · "),
      source: source ? String(keys[keys.length - 1]) : undefined,
      summary: summarizeSorted(sorted, request),
      above: countAbove(sorted, 0),
    };
  });
  return { draws, by, rows };
}
