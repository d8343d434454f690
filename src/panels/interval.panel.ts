import { LabelCoder } from "../engine/columns.ts";
import { summarizeTable, summaryTable } from "../engine/stats/summary.ts";
import {
  extentOf,
  formatProb,
  INNER_OPTION,
  INTERVAL_NAMES,
  INTERVAL_OPTION,
  intervalKind,
  intervalMarks,
  intervalsPhrase,
  MIN_ROW_HEIGHT,
  niceDomain,
  OUTER_OPTION,
  OWN_DIMS,
  POINT_OPTION,
  pointKind,
  probsOf,
  REFERENCE_OPTION,
  referenceMark,
  referenceOf,
  rowChart,
  rowColumns,
  rowLabel,
  rowOrder,
  SORT_OPTION,
  sortRows,
  type IntervalItem,
} from "./intervals.ts";
import { formatCount, formatNumber } from "./style.ts";
import type { PanelKind } from "./types.ts";

/** Beyond this many intervals (three SVG marks each) the rest are left out, and the caption says so. */
const MAX_INTERVALS = 3000;

export const panel: PanelKind = {
  kind: "interval",
  title: "Intervals",
  order: 20,
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
  // Rows by the value's own dims (a scalar gets one row); stacked groups are dodged by source.
  dimDefaults: ({ source }) => ({ rows: "", color: source ? "source" : "" }),
  render(table, options, { width }) {
    const value = String(options.value);
    const color = String(options.color);
    const point = pointKind(options.point);
    const interval = intervalKind(options.interval);
    const probs = probsOf(options.inner, options.outer);
    const order = rowOrder(options.sort);
    const ref = referenceOf(options.ref);
    const rowDims = rowColumns(table, value, String(options.rows), color !== "source");
    // Colour by a column the rows are not split by dodges its levels within each row.
    const dodge = color !== "" && !rowDims.includes(color);
    const by = dodge ? [...rowDims, color] : rowDims;
    const summary = summarizeTable(table, value, by, { point, interval, probs });
    const colors = color ? new LabelCoder(table, color).labels.map(String) : [];
    const colorAt = color ? by.indexOf(color) : -1;

    // Rows in label order; a dodged row holds one summary per colour level present.
    const rows: { label: string; items: (typeof summary.rows)[number][] }[] = [];
    const rowOf = new Map<string, number>();
    for (const r of summary.rows) {
      const label = rowLabel(r.keys.slice(0, rowDims.length), value);
      let at = rowOf.get(label);
      if (at === undefined) {
        at = rows.length;
        rowOf.set(label, at);
        rows.push({ label, items: [] });
      }
      rows[at].items.push(r);
    }
    const lanes = dodge ? colors.length : 1;
    const sorted = sortRows(Float64Array.from(rows, (r) => r.items[0].summary.point), order);
    const shownRows = Math.min(rows.length, Math.max(1, Math.floor(MAX_INTERVALS / lanes)));
    const shown = sorted.slice(0, shownRows).map((i) => rows[i]);

    const laneStep = lanes > 1 ? 0.8 / lanes : 0;
    const items: IntervalItem[] = shown.flatMap((row, i) =>
      row.items.map((r) => {
        const level = colorAt >= 0 ? String(r.keys[colorAt]) : "";
        const lane = dodge ? colors.indexOf(level) : 0;
        return {
          label: dodge ? `${row.label} · ${level}` : row.label,
          y: i + (lane - (lanes - 1) / 2) * laneStep,
          color: level,
          summary: r.summary,
        };
      }),
    );
    // A few rows share about 360 px; many get the least height that keeps lanes and labels apart.
    const minRow = lanes > 1 ? 6 + 10 * lanes : MIN_ROW_HEIGHT;
    const maxRow = lanes > 1 ? 8 + 12 * lanes : 28;
    const rowHeight = Math.max(minRow, Math.min(maxRow, Math.floor(360 / Math.max(1, shown.length))));
    const bounds = items.flatMap((d) => [d.summary.point, ...d.summary.intervals.flatMap((v) => [v.lower, v.upper])]);
    const domain = niceDomain(extentOf([bounds], ref === undefined ? [] : [ref]));
    const node = rowChart({
      width,
      labels: shown.map((r) => r.label),
      rowHeight,
      domain,
      xLabel: value,
      colors: color ? colors : undefined,
      marks: [
        referenceMark(ref),
        intervalMarks(items, {
          pointKind: point,
          intervalKind: interval,
          colored: color !== "",
          radius: lanes > 1 ? 3 : 3.5,
          thick: lanes > 1 ? 3.5 : 4.5,
          thin: 1.5,
        }),
      ],
    });

    const split = by.length ? ` by ${by.join(" and ")}` : "";
    const counted = dodge ? `${formatCount(items.length, "interval")} in ${formatCount(shown.length, "row")}` : formatCount(shown.length, "row");
    const draws = extentOf([summary.rows.map((r) => r.summary.n)]);
    const notes: string[] = [];
    if (shown.length < rows.length) {
      notes.push(`Showing ${formatNumber(shown.length)} of ${formatNumber(rows.length)} rows${order === "label" ? "" : " (the first in this order)"}: narrow the query or split rows by another dimension.`);
    }
    const sortedBy = dodge ? `the ${colors[0]}'s ${point}` : point;
    const named = (p: number) => `${formatProb(p)} ${INTERVAL_NAMES[interval]}`;
    const lines = probs.length > 1 ? `thick line: ${named(probs[0])}, thin line: ${named(probs[1])}` : `line: ${named(probs[0])}`;
    const perRow = draws ? `, from ${draws[0] === draws[1] ? formatNumber(draws[0]) : `${formatNumber(draws[0])}–${formatNumber(draws[1])}`} draws per ${dodge ? "interval" : "row"}` : "";
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
      data: { label: "Interval summary", table: summaryTable(summary) },
    };
  },
};
