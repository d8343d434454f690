import type { Table } from "apache-arrow";
import { tableColumns } from "../../engine/columns.ts";
import type { ContrastMode } from "../../engine/stats/contrast.ts";
import { INTERVAL_KINDS, POINT_KINDS, type IntervalKind, type PointKind } from "../../engine/stats/summary.ts";
import type { OptionValue, PanelData, PanelOptions } from "../types.ts";
import { contrastRows, contrastTable, type ContrastRow } from "./rows.ts";

/** What a contrast panel draws: one summarised row per contrast (at most a few hundred), and the words around them. */
export interface ContrastData {
  value: string;
  dim: string;
  mode: ContrastMode;
  /** The reference level in mode "reference". */
  reference?: string;
  point: PointKind;
  interval: IntervalKind;
  /** The outer probability, then the inner one when it is drawn. */
  probs: number[];
  rows: ContrastRow[];
  /** What could not be honoured or needs saying (a value that does not vary over the dim). */
  notes: string[];
}

const pointOf = (option: OptionValue): PointKind => POINT_KINDS.find((k) => k === option) ?? "median";
const intervalOf = (option: OptionValue): IntervalKind => INTERVAL_KINDS.find((k) => k === option) ?? "eti";

/** The contrast asked for by the options: which value, between which levels. */
function request(options: PanelOptions) {
  const mode = String(options.mode) as ContrastMode;
  return { value: String(options.value), dim: String(options.dim), mode, reference: mode === "reference" ? String(options.level) : undefined };
}

export const panel: PanelData<ContrastData> = {
  data(table, options) {
    const asked = request(options);
    const prob = Number(options.prob);
    const inner = Number(options.inner);
    const notes: string[] = [];
    const probs = [prob];
    if (inner > 0 && inner < prob) probs.push(inner);
    else if (inner > 0) notes.push(`The inner probability ${inner} is not below ${prob}: no inner interval.`);
    const point = pointOf(options.point);
    const interval = intervalOf(options.interval);
    // The rows alone travel to the page: the differences stay here (the export derives them again).
    const { rows } = contrastRows(table, { ...asked, point, interval, probs });
    const columns = tableColumns(table);
    const valueDims = columns.find((c) => c.name === asked.value)?.dims ?? [];
    if (columns.find((c) => c.name === asked.dim)?.role === "dim" && !valueDims.includes(asked.dim)) {
      notes.push(`${asked.value} does not vary over ${asked.dim}, so its contrasts are zero.`);
    }
    return { ...asked, point, interval, probs, rows, notes };
  },
  derived(table: Table, options) {
    return contrastTable(table, request(options));
  },
};
