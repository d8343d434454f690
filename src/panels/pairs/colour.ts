import type { Table } from "apache-arrow";
import { finiteExtent, isLabelColumn, readCodes, readNumbers, type RowSample } from "./read.ts";

/** More colour levels than this get no legend and no contours or densities of their own. */
export const MAX_LEGEND = 12;

/** What colours the points, as the worker reads it: the page turns it into a scale and a palette. */
export type ColourData =
  | { kind: "none" }
  | { kind: "continuous"; column: string; domain: [number, number]; values: Float64Array }
  | { kind: "categorical"; column: string; labels: string[]; codes: Int32Array };

/** The colour column's values at the sampled rows ("" for one colour). */
export function colourData(table: Table, column: string, sample: RowSample): ColourData {
  if (!column) return { kind: "none" };
  if (isLabelColumn(table, column)) return { kind: "categorical", column, ...readCodes(table, column, sample) };
  const values = readNumbers(table, column, sample);
  const [min, max] = finiteExtent(values);
  return { kind: "continuous", column, values, domain: Number.isFinite(min) ? [min, max] : [0, 1] };
}

/**
 * Rows split by colour level when there are a few levels (each level's index, to be drawn in its
 * colour), else all rows as one group.
 */
export function colourGroups(colour: ColourData): { level?: number; rows?: Int32Array }[] {
  if (colour.kind !== "categorical" || colour.labels.length > MAX_LEGEND) return [{}];
  const counts = new Int32Array(colour.labels.length);
  for (let i = 0; i < colour.codes.length; i++) counts[colour.codes[i]]++;
  const rows = Array.from(counts, (c) => new Int32Array(c));
  const filled = new Int32Array(colour.labels.length);
  for (let i = 0; i < colour.codes.length; i++) {
    const c = colour.codes[i];
    rows[c][filled[c]++] = i;
  }
  return rows.map((r, level) => ({ level, rows: r }));
}

/** values[rows[k]] for each k (all values when rows is undefined). */
export function gather(values: Float64Array, rows?: Int32Array): Float64Array {
  return rows ? Float64Array.from(rows, (r) => values[r]) : values;
}
