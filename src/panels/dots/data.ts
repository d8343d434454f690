import type { Table } from "apache-arrow";
import { splitByLabels } from "../../engine/split.ts";
import { sortedDraws, numpyQuantile } from "../../engine/stats/summary.ts";
import { buildTable, float64Data, labelData } from "../../engine/table-build.ts";
import { rowColumns, rowLabel, rowOrder, sortRows, streamedNote } from "../intervals.ts";
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

/** A row's dots: its keys and label, its median (for sorting) and its N dot quantiles. */
function dotRow(keys: (string | number)[], draws: ArrayLike<number>, value: string, n: number) {
  const sorted = sortedDraws(draws);
  return { keys, label: rowLabel(keys, value), median: numpyQuantile(sorted, 0.5), ...dotQuantiles(sorted, n) };
}

type DotRow = ReturnType<typeof dotRow>;

/** The rows shown, in the order asked for, at most MAX_DOTS dots in all; and notes on what was left out. */
function shownRows(all: DotRow[], n: number, options: PanelOptions) {
  const shown = Math.min(all.length, Math.max(1, Math.floor(MAX_DOTS / n)));
  const rows = sortRows(
    Float64Array.from(all, (r) => r.median),
    rowOrder(options.sort),
  )
    .slice(0, shown)
    .map((i) => all[i])
    .filter((r) => r.values.every(Number.isFinite));
  const skipped = Math.min(all.length, shown) - rows.length;
  const notes: string[] = [];
  if (shown < all.length) notes.push(`Showing ${formatNumber(shown)} of ${formatNumber(all.length)} rows (at most ${formatNumber(MAX_DOTS)} dots): fewer dots per row show more rows.`);
  if (skipped > 0) notes.push(`${formatCount(skipped, "row")} without finite draws left out.`);
  return { rows, notes };
}

const dotCount = (options: PanelOptions) => Math.max(1, Math.round(Number(options.dots)));

/** The rows shown, in order, each with its keys, label and N quantiles; and the notes on what was left out. */
function dotRows(table: Table, options: PanelOptions) {
  const value = String(options.value);
  const n = dotCount(options);
  const by = rowColumns(table, value, String(options.rows), true);
  const { groups } = splitByLabels(table, value, by);
  const { rows, notes } = shownRows(
    groups.map((g) => dotRow(g.keys, g.values, value, n)),
    n,
    options,
  );
  return { value, n, by, rows, notes };
}

function dotsData(value: string, by: string[], n: number, rows: DotRow[], notes: string[]): DotsData {
  const quantiles = new Float64Array(rows.length * n);
  rows.forEach((r, i) => quantiles.set(r.values, i * n));
  return { value, by, labels: rows.map((r) => r.label), probs: dotProbs(n), quantiles, notes };
}

export const panel: PanelData<DotsData> = {
  data(table, options) {
    const { value, n, by, rows, notes } = dotRows(table, options);
    return dotsData(value, by, n, rows, notes);
  },
  // Rows are the value's elements, each summarised from its draws as its block is read.
  async streamed(elements, options, signal) {
    const value = String(options.value);
    const n = dotCount(options);
    const all: DotRow[] = [];
    let by: string[] = [];
    for await (const block of elements.blocks(value, signal)) {
      by = block.dims;
      for (const { block: slab, draws } of block.slabs) {
        const first = slab.from - block.from;
        for (let e = 0; e < slab.count; e++) {
          all.push(
            dotRow(
              block.labels.map((l) => l[first + e]),
              draws.subarray(e * block.perElement, (e + 1) * block.perElement),
              value,
              n,
            ),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve));
    }
    const { rows, notes } = shownRows(all, n, options);
    if (String(options.rows) !== "") notes.push("Rows by another dimension need the table: narrow the query for them.");
    return dotsData(value, by, n, rows, [streamedNote(value, by), ...notes]);
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
