import { MODEL } from "../../engine/stack-models.ts";
import {
  extentOf,
  formatProb,
  INNER_OPTION,
  INTERVAL_NAMES,
  INTERVAL_OPTION,
  intervalsPhrase,
  OUTER_OPTION,
  OWN_DIMS,
  POINT_OPTION,
  REFERENCE_OPTION,
  referenceOf,
  rowOrder,
  SORT_OPTION,
  sortRows,
} from "../intervals.ts";
import { referenceMark } from "../reference-line.ts";
import { intervalMarks, MIN_ROW_HEIGHT, niceDomain, rowChart, type IntervalItem, type IntervalStyle } from "../row-chart.ts";
import { formatCount, formatNumber } from "../style.ts";
import type { PanelKind } from "../types.ts";
import type { IntervalData } from "./data.ts";
import { summaryAt } from "./summaries.ts";

/** Beyond this many intervals the rest are left out, and the caption says so (the page draws those scrolled into view). */
const MAX_INTERVALS = 3000;

export const panel: PanelKind<IntervalData> = {
  kind: "interval",
  title: "Intervals",
  order: 20,
  // A query over the memory budget is summarised element by element from its chunks.
  streams: true,
  options: [
    { key: "value", label: "Value", type: "value" },
    { key: "rows", label: "Rows by", type: "dim", none: OWN_DIMS },
    { key: "color", label: "Colour/dodge by", type: "dim", none: "none" },
    POINT_OPTION,
    INTERVAL_OPTION,
    INNER_OPTION,
    OUTER_OPTION,
    SORT_OPTION,
    REFERENCE_OPTION,
  ],
  // The worker sends every row's summary: the order they are drawn in and the reference line are the page's.
  drawOnly: ["sort", "ref"],
  derived: "Interval summary",
  // Rows by the value's own dims (a scalar gets one row); stacked groups are dodged by source.
  // Several models: one forest, each row's models dodged.
  dimDefaults: ({ source, model }) => ({ rows: "", color: model ? MODEL : source ? "source" : "" }),
  render(data, options, { width }) {
    const { value, by, point, interval, probs, color, colors, dodge, rows, row, level, summaries } = data;
    const order = rowOrder(options.sort);
    const ref = referenceOf(options.ref);

    // Rows are sorted by their first summary's point (the first colour level present, when dodged).
    const first = new Int32Array(rows.length).fill(-1);
    for (let i = row.length - 1; i >= 0; i--) first[row[i]] = i;
    const sorted = sortRows(
      Float64Array.from(first, (i) => summaries.point[i]),
      order,
    );
    const lanes = dodge ? colors.length : 1;
    const shown = sorted.slice(0, Math.min(rows.length, Math.max(1, Math.floor(MAX_INTERVALS / lanes))));
    // Each shown row's summaries, in their label order.
    const place = new Int32Array(rows.length).fill(-1);
    shown.forEach((r, i) => (place[r] = i));
    const members: number[][] = shown.map(() => []);
    for (let i = 0; i < row.length; i++) if (place[row[i]] >= 0) members[place[row[i]]].push(i);

    const laneStep = lanes > 1 ? 0.8 / lanes : 0;
    const items: IntervalItem[] = members.flatMap((summariesOfRow, y) =>
      summariesOfRow.map((i) => {
        const levelName = level[i] >= 0 ? colors[level[i]] : "";
        const lane = dodge ? level[i] : 0;
        return {
          label: dodge ? `${rows[shown[y]]} · ${levelName}` : rows[shown[y]],
          y: y + (lane - (lanes - 1) / 2) * laneStep,
          color: levelName,
          summary: summaryAt(summaries, i, probs),
        };
      }),
    );
    // A few rows share about 360 px; many get the least height that keeps lanes and labels apart.
    const minRow = lanes > 1 ? 6 + 10 * lanes : MIN_ROW_HEIGHT;
    const maxRow = lanes > 1 ? 8 + 12 * lanes : 28;
    const rowHeight = Math.max(minRow, Math.min(maxRow, Math.floor(360 / Math.max(1, shown.length))));
    const bounds = items.flatMap((d) => [d.summary.point, ...d.summary.intervals.flatMap((v) => [v.lower, v.upper])]);
    const domain = niceDomain(extentOf([bounds], ref === undefined ? [] : [ref]));
    // Items are in row order: row r's are items rowStart[r]…rowStart[r + 1] − 1.
    const rowStart = new Int32Array(shown.length + 1);
    members.forEach((m, y) => (rowStart[y + 1] = rowStart[y] + m.length));
    const style: IntervalStyle = { pointKind: point, intervalKind: interval, colored: color !== "", radius: lanes > 1 ? 3 : 3.5, thick: lanes > 1 ? 3.5 : 4.5, thin: 1.5 };
    const node = rowChart({
      width,
      labels: shown.map((r) => rows[r]),
      rowHeight,
      domain,
      xLabel: value,
      colors: color ? colors : undefined,
      marks: (start, end) => [referenceMark(ref), intervalMarks(items.slice(rowStart[start], rowStart[Math.min(end, shown.length)]), style)],
    });

    const split = by.length ? ` by ${by.join(" and ")}` : "";
    const counted = dodge ? `${formatCount(items.length, "interval")} in ${formatCount(shown.length, "row")}` : formatCount(shown.length, "row");
    const draws = extentOf([summaries.n]);
    const notes: string[] = [...(data.notes ?? [])];
    if (shown.length < rows.length) {
      notes.push(
        `Showing ${formatNumber(shown.length)} of ${formatNumber(rows.length)} rows${order === "label" ? "" : " (the first in this order)"}: narrow the query or split rows by another dimension.`,
      );
    }
    const sortedBy = dodge ? `the ${colors[0]}'s ${point}` : point;
    const named = (p: number) => `${formatProb(p)} ${INTERVAL_NAMES[interval]}`;
    const lines = probs.length > 1 ? `thick line: ${named(probs[0])}, thin line: ${named(probs[1])}` : `line: ${named(probs[0])}`;
    const perRow = draws ? `, from ${draws[0] === draws[1] ? formatCount(draws[0], "draw") : `${formatNumber(draws[0])}–${formatNumber(draws[1])} draws`} per ${dodge ? "interval" : "row"}` : "";
    return {
      name: `Intervals of ${value}${split}: ${counted}, ${point} with ${intervalsPhrase(probs, interval)}`,
      caption: [
        `Point: ${point}; ${lines} (${interval === "eti" ? "equal-tailed" : "highest-density"} intervals)${perRow}.`,
        order === "label" ? "Rows in label order." : `Rows sorted by ${sortedBy}, ${order}.`,
        ref === undefined ? "" : `Dashed line at ${ref}.`,
        ...notes,
      ]
        .filter((s) => s !== "")
        .join(" "),
      node,
    };
  },
};
