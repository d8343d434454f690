import type { Table } from "apache-arrow";
import { splitByLabels } from "../../engine/split.ts";
import { sortedDraws, sortedQuantile } from "../../engine/stats/summary.ts";
import { buildTable, float64Data, labelData } from "../../engine/table-build.ts";
import { rowColumns, rowLabel, rowOrder, sortRows } from "../intervals.ts";
import { formatCount, formatNumber } from "../style.ts";
import type { PanelData, PanelOptions } from "../types.ts";
import { dotProbs, dotQuantiles } from "./bins.ts";

/** More dots than this in one panel would be too many SVG nodes: rows beyond it are left out. */
export const MAX_DOTS = 10_000;

/**
 * What a quantile-dot panel draws: the N dot quantiles of each row shown (at most MAX_DOTS
 * numbers in all, whatever the number of draws), in the order asked for. Where the dots stack
 * depends on the width: the page bins them.
 */
export interface DotsData {
  value: string;
  by: string[];
  /** Labels of the rows shown, top to bottom. */
  labels: string[];
  /** The dots' probabilities, (i − 0.5)/N, and row r's quantiles at them from r·N on. */
  probs: Float64Array;
  quantiles: Float64Array;
  /** What was left out, and why. */
  notes: string[];
}

/** The rows shown, in order, each with its keys, label and N quantiles; and the notes on what was left out. */
function dotRows(table: Table, options: PanelOptions) {
  const value = String(options.value);
  const n = Math.max(1, Math.round(Number(options.dots)));
  const by = rowColumns(table, value, String(options.rows), true);
  const { groups } = splitByLabels(table, value, by);
  const all = groups.map((g) => {
    const sorted = sortedDraws(g.values);
    return { keys: g.keys, label: rowLabel(g.keys, value), median: sortedQuantile(sorted, 0.5), ...dotQuantiles(sorted, n) };
  });
  const shownRows = Math.min(all.length, Math.max(1, Math.floor(MAX_DOTS / n)));
  const rows = sortRows(Float64Array.from(all, (r) => r.median), rowOrder(options.sort))
    .slice(0, shownRows)
    .map((i) => all[i])
    .filter((r) => r.values.every(Number.isFinite));
  const skipped = Math.min(all.length, shownRows) - rows.length;
  const notes: string[] = [];
  if (shownRows < all.length) notes.push(`Showing ${formatNumber(shownRows)} of ${formatNumber(all.length)} rows (at most ${formatNumber(MAX_DOTS)} dots): fewer dots per row show more rows.`);
  if (skipped > 0) notes.push(`${formatCount(skipped, "row")} without finite draws left out.`);
  return { value, n, by, rows, notes };
}

export const panel: PanelData<DotsData> = {
  data(table, options) {
    const { value, n, by, rows, notes } = dotRows(table, options);
    const quantiles = new Float64Array(rows.length * n);
    rows.forEach((r, i) => quantiles.set(r.values, i * n));
    return { value, by, labels: rows.map((r) => r.label), probs: dotProbs(n), quantiles, notes };
  },
  // The dots' quantiles by row; where they were drawn depends on the page's width and is not part of it.
  derived(table, options) {
    const { value, n, by, rows } = dotRows(table, options);
    const dims = by.map((name, k) => {
      const distinct = [...new Set(rows.map((r) => r.keys[k]))];
      const codes = new Int32Array(rows.length * n);
      rows.forEach((r, i) => codes.fill(distinct.indexOf(r.keys[k]), i * n, (i + 1) * n));
      return { name, role: "dim" as const, data: labelData(distinct, codes) };
    });
    const prob = new Float64Array(rows.length * n);
    const quantile = new Float64Array(rows.length * n);
    rows.forEach((r, i) => {
      prob.set(r.probs, i * n);
      quantile.set(r.values, i * n);
    });
    return buildTable([...dims, { name: "prob", role: "value", data: float64Data(prob) }, { name: value, role: "value", data: float64Data(quantile), dims: by }]);
  },
};
