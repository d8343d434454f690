import * as Plot from "@observablehq/plot";
import { extentOf, formatValue, OWN_DIMS, REFERENCE_OPTION, referenceOf, rowOrder, SORT_OPTION } from "../intervals.ts";
import { labelMargin } from "../labels.ts";
import { referenceMark } from "../reference-line.ts";
import { dataAttributes, rowChart } from "../row-chart.ts";
import { formatCount, formatNumber } from "../style.ts";
import type { PanelKind } from "../types.ts";
import { dotDiameter, layoutDots } from "./bins.ts";
import type { DotsData } from "./data.ts";

/** Dots are at most this wide (pixels), and at least this (then rows grow to fit their stacks). */
const MAX_DIAMETER = 16;
const MIN_DIAMETER = 1.5;
/** Space between a row's tallest stack and the next row, in pixels. */
const ROW_GAP = 6;

export const panel: PanelKind<DotsData> = {
  kind: "dots",
  title: "Quantile dots",
  order: 25,
  // A query over the memory budget is summarised element by element from its chunks.
  streams: true,
  options: [
    { key: "value", label: "Value", type: "value" },
    { key: "rows", label: "Rows by", type: "dim", none: OWN_DIMS },
    { key: "dots", label: "Dots per row", type: "number", min: 5, max: 1000, step: 1, default: 100 },
    SORT_OPTION,
    REFERENCE_OPTION,
  ],
  // The reference line only widens the axis: the quantiles stay.
  drawOnly: ["ref"],
  derived: "Quantile dots",
  dimDefaults: () => ({ rows: "" }),
  render(data, options, { width }) {
    const { value, by, labels, probs, quantiles } = data;
    const n = probs.length;
    const order = rowOrder(options.sort);
    const ref = referenceOf(options.ref);
    const rows = labels.map((label, i) => ({ label, values: quantiles.subarray(i * n, (i + 1) * n) }));

    // Dots as wide as they can be while every row's tallest stack fits its row (see bins.ts).
    const rowHeight = Math.max(24, Math.min(72, Math.floor(400 / Math.max(1, rows.length))));
    const plotWidth = Math.max(40, width - labelMargin(labels, width) - 20);
    const extent = extentOf(
      rows.map((r) => r.values),
      ref === undefined ? [] : [ref],
    ) ?? [0, 1];
    const pad = (extent[1] - extent[0]) * 0.04 || Math.abs(extent[0]) * 0.1 || 1;
    const span = extent[1] - extent[0] + 2 * pad;
    const pixelsPerUnit = plotWidth / span;
    const { diameter, fits } = dotDiameter(
      rows.map((r) => r.values),
      pixelsPerUnit,
      rowHeight - ROW_GAP,
      Math.min(MAX_DIAMETER, rowHeight - ROW_GAP),
      MIN_DIAMETER,
    );
    const binWidth = diameter / pixelsPerUnit;
    const layouts = rows.map((r) => layoutDots(r.values, binWidth));
    const tallest = layouts.reduce((a, l) => Math.max(a, l.tallest), 0);
    const height = fits ? rowHeight : Math.ceil(tallest * diameter + ROW_GAP);
    // Spreading bins can push the outermost past the padding: the domain grows to hold them, and
    // the dots shrink with it so that bins one width apart still never overlap.
    const reach = extentOf(
      layouts.map((l) => l.binCenter),
      [extent[0] - pad, extent[1] + pad],
    )!;
    const domain: [number, number] = [Math.min(extent[0] - pad, reach[0] - binWidth / 2), Math.max(extent[1] + pad, reach[1] + binWidth / 2)];
    const spacing = (binWidth * plotWidth) / (domain[1] - domain[0]);

    // Row i's baseline is ROW_GAP/2 above its bottom edge; stacks grow upwards from it.
    const total = rows.length * n;
    const x = new Float64Array(total);
    const y = new Float64Array(total);
    const prob = new Float64Array(total);
    const baseline = 0.5 - ROW_GAP / 2 / height;
    layouts.forEach((layout, i) => {
      for (let k = 0; k < n; k++) {
        const at = i * n + k;
        x[at] = layout.x[k];
        y[at] = i + baseline - ((layout.stack[k] + 0.5) * spacing) / height;
        prob[at] = probs[k];
      }
    });
    // Rows start…end − 1: their dots are from…to − 1, row by row.
    const marks = (start: number, end: number) => {
      const last = Math.min(end, rows.length);
      const from = start * n;
      const to = last * n;
      const dotLabels = Array.from({ length: to - from }, (_, j) => {
        const row = rows[Math.floor((from + j) / n)];
        const k = (from + j) % n;
        return `${row.label}: ${formatValue(probs[k])} quantile ${formatValue(row.values[k])}`;
      });
      return [
        Plot.ruleY(
          Array.from({ length: last - start }, (_, i) => start + i + baseline),
          { strokeOpacity: 0.15, ariaHidden: "true" },
        ),
        referenceMark(ref),
        Plot.dot(
          { length: to - from },
          {
            x: x.subarray(from, to),
            y: y.subarray(from, to),
            r: Math.max(0.5, spacing * 0.46),
            fill: "currentColor",
            fillOpacity: 0.85,
            ariaDescription: "quantile dots",
            ariaLabel: dotLabels,
            title: dotLabels,
            render: dataAttributes({ quantile: quantiles.subarray(from, to), prob: prob.subarray(from, to), x: x.subarray(from, to) }, { "bin-width": binWidth }),
          },
        ),
      ];
    };
    const node = rowChart({
      width,
      labels,
      labelOffset: baseline - (0.5 * spacing) / height,
      rowHeight: height,
      domain,
      xLabel: value,
      marks,
    });

    const moved = layouts.reduce((a, l) => l.binCenter.reduce((m, c, b) => Math.max(m, Math.abs(c - l.binMiddle[b])), a), 0);
    const split = by.length ? ` by ${by.join(" and ")}` : "";
    return {
      name: `Quantile dots of ${value}${split}: ${formatNumber(n)} dots in each of ${formatCount(rows.length, "row")}`,
      caption: [
        `Each dot is one of ${formatNumber(n)} equally likely values: the quantiles at (i − 0.5)/${formatNumber(n)}, stacked in bins one dot wide (Wilkinson's dot-density binning).`,
        moved > 0 ? `Bins were spread apart by at most ${formatValue(moved / binWidth)} dot widths so that dots never overlap.` : "",
        order === "label" ? "" : `Rows sorted by median, ${order}.`,
        ref === undefined ? "" : `Dashed line at ${ref}.`,
        ...data.notes,
      ]
        .filter((s) => s !== "")
        .join(" "),
      node,
    };
  },
};
