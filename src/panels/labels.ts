import * as Plot from "@observablehq/plot";

/** A label's width at the panels' 12 px font: about 7 px a character. */
const CHAR_WIDTH = 7;

/** A dimension's label as text: a number as the trace has it (2019, not Plot's "2,019"). */
export const labelText = (label: unknown): string => String(label);

/**
 * Room on a plot's left for row or facet labels: as long as the longest, at least 40 px, and at
 * most 240 px or a third of the figure's width when that is more. A longer label is cut with "…"
 * (leftLabels) rather than clipped at the figure's edge.
 */
export function labelMargin(labels: readonly unknown[], width = 0): number {
  const longest = labels.reduce<number>((a, l) => Math.max(a, labelText(l).length), 0);
  return Math.max(40, Math.min(Math.max(240, Math.round(width / 3)), 16 + CHAR_WIDTH * longest));
}

/**
 * The labels of a left axis (`y`, or the facets' `fy`), written as the trace has them and cut with
 * "…" to fit `margin`; `format` turns a tick into its label when the ticks are not the labels.
 */
export function leftLabels(axis: "y" | "fy", margin: number, format: Plot.AxisYOptions["tickFormat"] = labelText, ticks?: readonly unknown[]): Plot.CompoundMark {
  const options = {
    anchor: "left" as const,
    ...(ticks && { ticks: ticks as Iterable<unknown> }),
    tickFormat: format,
    tickSize: 0,
    textOverflow: "ellipsis" as const,
    // In ems of the 12 px font: the margin less the tick padding.
    lineWidth: (margin - 12) / 12,
    label: null,
  };
  return axis === "y" ? Plot.axisY(options) : Plot.axisFy(options);
}
