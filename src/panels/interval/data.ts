import { MODEL } from "../../engine/stack-models.ts";
import { splitByLabels } from "../../engine/split.ts";
import { checkProbs, summarizeTable, summaryTable, type IntervalKind, type PointKind, type SummaryOptions } from "../../engine/stats/summary.ts";
import { intervalKind, pointKind, probsOf, rowColumns, rowLabel, streamedNote } from "../intervals.ts";
import type { PanelData, PanelOptions } from "../types.ts";
import { concatSummaries, setSummaries, setSummary, summaryColumns, type SummaryColumns } from "./summaries.ts";

/**
 * What an interval panel draws: one summary per combination of the row dimensions (and the
 * dodged colour), in label order with the colour innermost, grouped into labelled rows. Its size
 * is summaries × a few numbers plus a label per row, whatever the number of draws; sorting,
 * the reference line and the width are the page's.
 */
export interface IntervalData {
  value: string;
  /** The columns summaries are split by: the row dimensions, then the colour when it is dodged. */
  by: string[];
  point: PointKind;
  interval: IntervalKind;
  probs: number[];
  /** The colour column ("" for none), its levels, and whether its levels are dodged within a row. */
  color: string;
  colors: string[];
  dodge: boolean;
  /** One label per row, in label order. */
  rows: string[];
  /** Per summary: its row, and its colour level (an index into `colors`, −1 without a colour). */
  row: Int32Array;
  level: Int32Array;
  summaries: SummaryColumns;
  /** How the summaries were made, when that is not from the query's table (said in the caption). */
  notes?: string[];
}

/** The columns an interval panel's summaries are split by, and what the colour does. */
function layoutOf(table: Parameters<typeof rowColumns>[0], options: PanelOptions) {
  const value = String(options.value);
  const color = String(options.color);
  // Coloured by model, the value's own rows leave the model out, so the models are dodged within each row.
  const rowDims = rowColumns(table, value, String(options.rows), color !== "source").filter((d) => d !== MODEL || color !== MODEL);
  // Colour by a column the rows are not split by dodges its levels within each row.
  const dodge = color !== "" && !rowDims.includes(color);
  return { value, color, rowDims, dodge, by: dodge ? [...rowDims, color] : rowDims };
}

function summaryOptions(options: PanelOptions): SummaryOptions & { probs: number[] } {
  const summary = { point: pointKind(options.point), interval: intervalKind(options.interval), probs: probsOf(options.inner, options.outer) };
  checkProbs(summary.probs);
  return summary;
}

export const panel: PanelData<IntervalData> = {
  data(table, options) {
    const { value, color, rowDims, dodge, by } = layoutOf(table, options);
    const summary = summaryOptions(options);
    const { groups, labels } = splitByLabels(table, value, by);
    const colorAt = by.indexOf(color);
    const colors = colorAt >= 0 ? labels[colorAt].map(String) : [];
    const summaries = summaryColumns(groups.length, summary.probs);
    const row = new Int32Array(groups.length);
    const level = new Int32Array(groups.length).fill(-1);
    const rows: string[] = [];
    const rowOf = new Map<string, number>();
    groups.forEach((g, i) => {
      const label = rowLabel(g.keys.slice(0, rowDims.length), value);
      let at = rowOf.get(label);
      if (at === undefined) {
        at = rows.length;
        rowOf.set(label, at);
        rows.push(label);
      }
      row[i] = at;
      if (colorAt >= 0) level[i] = colors.indexOf(String(g.keys[colorAt]));
      setSummary(summaries, i, g.values, summary);
    });
    return { value, by, ...summary, color, colors, dodge, rows, row, level, summaries };
  },
  async streamed(elements, options, signal) {
    const value = String(options.value);
    const summary = summaryOptions(options);
    const parts: { rows: string[]; summaries: SummaryColumns }[] = [];
    let by: string[] = [];
    for await (const block of elements.blocks(value, signal)) {
      by = block.dims;
      const summaries = summaryColumns(block.count, summary.probs);
      setSummaries(summaries, 0, await elements.summarize(block, summary, signal), summary);
      const rows = Array.from({ length: block.count }, (_, i) =>
        rowLabel(
          block.labels.map((l) => l[i]),
          value,
        ),
      );
      parts.push({ rows, summaries });
    }
    const rows = parts.flatMap((p) => p.rows);
    const notes = [streamedNote(value, by)];
    const asked = String(options.rows) !== "" || (String(options.color) !== "" && String(options.color) !== "source");
    if (asked) notes.push("Rows by another dimension and colours need the table: narrow the query for them.");
    return {
      value,
      by,
      ...summary,
      color: "",
      colors: [],
      dodge: false,
      rows,
      row: Int32Array.from(rows, (_, i) => i),
      level: new Int32Array(rows.length).fill(-1),
      summaries: concatSummaries(
        parts.map((p) => p.summaries),
        summary.probs,
      ),
      notes,
    };
  },
  derived(table, options) {
    const { value, by } = layoutOf(table, options);
    return summaryTable(summarizeTable(table, value, by, summaryOptions(options)));
  },
};
