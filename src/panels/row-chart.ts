import { nice } from "d3-array";
import * as Plot from "@observablehq/plot";
import type { IntervalKind, PointKind, Summary } from "../engine/stats/summary.ts";
import { formatProb, formatValue, INTERVAL_NAMES } from "./intervals.ts";
import { labelMargin, leftLabels } from "./labels.ts";
import { rowBlocks } from "./row-blocks.ts";
import { formatCount, formatNumber, plotStyle } from "./style.ts";

/*
 * The drawing half of the summary panels (intervals.ts is the half that runs in the worker):
 * interval marks, and a chart of one line per row that stays readable at
 * thousands of rows (fixed row height, labels never closer than a row, a scrolling body with
 * its x axis kept in view, drawn where it is scrolled to).
 */

/** An extent made round for an axis; a single value is widened so it has a width. */
export function niceDomain(extent: [number, number] | undefined): [number, number] {
  if (!extent) return [0, 1];
  const [lo, hi] = extent;
  const half = lo === hi ? Math.abs(lo) * 0.1 || 1 : 0;
  return nice(lo - half, hi + half, 10);
}

/**
 * A render hook that writes exact numbers onto a mark's elements as data attributes (Plot
 * appends one element per index entry, in index order), for tests and inspection: the SVG's
 * positions and labels are rounded, these are not. `groupAttributes` go on the mark's group.
 */
export function dataAttributes(attributes: Record<string, ArrayLike<number>>, groupAttributes: Record<string, number> = {}): Plot.RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const g = next!(index, scales, values, dimensions, context);
    if (!g) return null;
    for (const [name, value] of Object.entries(groupAttributes)) g.setAttribute(`data-${name}`, String(value));
    // A clipped mark's group is wrapped in another; the marks' own elements are never groups.
    let holder: Element = g;
    while (holder.children.length === 1 && holder.firstElementChild!.tagName === "g") holder = holder.firstElementChild!;
    const elements = holder.children;
    index.forEach((i, k) => {
      for (const [name, column] of Object.entries(attributes)) elements[k]?.setAttribute(`data-${name}`, String(column[i]));
    });
    return g;
  };
}

/** One interval summary to draw: where (y), in which colour, and under what name. */
export interface IntervalItem {
  label: string;
  y: number;
  color: string;
  summary: Summary;
}

export interface IntervalStyle {
  pointKind: PointKind;
  intervalKind: IntervalKind;
  /** Whether colours are categories of the plot's colour scale (else currentColor). */
  colored: boolean;
  /** The point's radius and the lines' widths, in pixels. */
  radius: number;
  thick: number;
  thin: number;
  /** Cut lines and points at the plot's frame (when the x domain may be narrower than the intervals). */
  clip?: boolean;
}

/**
 * Point and nested intervals (thick inner, thin outer) for each item, as three Plot marks with
 * the accessible descriptions tests count ("outer intervals", "inner intervals", "points") and
 * per-item labels such as "North: 0.421 [0.302, 0.536]" (the point and the outer interval).
 * The summaries' intervals are ascending in probability: the last is the outer one.
 */
export function intervalMarks(items: readonly IntervalItem[], style: IntervalStyle): Plot.Markish[] {
  const length = items.length;
  const data = { length };
  const y = Float64Array.from(items, (d) => d.y);
  const point = Float64Array.from(items, (d) => d.summary.point);
  const outer = items[0]?.summary.intervals.length ? items[0].summary.intervals.length - 1 : 0;
  const lower = (j: number) => Float64Array.from(items, (d) => d.summary.intervals[j].lower);
  const upper = (j: number) => Float64Array.from(items, (d) => d.summary.intervals[j].upper);
  const stroke = style.colored ? items.map((d) => d.color) : "currentColor";
  const clip = style.clip ?? false;
  const name = INTERVAL_NAMES[style.intervalKind];
  const bounds = (i: IntervalItem, j: number) => `[${formatValue(i.summary.intervals[j].lower)}, ${formatValue(i.summary.intervals[j].upper)}]`;
  const titles = items.map((i) =>
    [
      i.label,
      `${style.pointKind} ${i.summary.point.toPrecision(5)}`,
      ...i.summary.intervals.map((v) => `${formatProb(v.prob)} ${name} ${v.lower.toPrecision(5)} to ${v.upper.toPrecision(5)}`),
      formatCount(i.summary.n, "draw"),
    ].join("\n"),
  );
  const marks: Plot.Markish[] = [];
  const outerLower = lower(outer);
  const outerUpper = upper(outer);
  marks.push(
    Plot.ruleY(data, {
      y,
      x1: outerLower,
      x2: outerUpper,
      stroke,
      strokeWidth: style.thin,
      clip,
      ariaDescription: "outer intervals",
      ariaLabel: items.map((i) => `${i.label}: ${formatProb(i.summary.intervals[outer].prob)} ${bounds(i, outer)}`),
      render: dataAttributes({ lower: outerLower, upper: outerUpper }),
    }),
  );
  if (outer > 0) {
    const innerLower = lower(0);
    const innerUpper = upper(0);
    marks.push(
      Plot.ruleY(data, {
        y,
        x1: innerLower,
        x2: innerUpper,
        stroke,
        strokeWidth: style.thick,
        clip,
        ariaDescription: "inner intervals",
        ariaLabel: items.map((i) => `${i.label}: ${formatProb(i.summary.intervals[0].prob)} ${bounds(i, 0)}`),
        render: dataAttributes({ lower: innerLower, upper: innerUpper }),
      }),
    );
  }
  marks.push(
    Plot.dot(data, {
      x: point,
      y,
      r: style.radius,
      fill: stroke,
      clip,
      ariaDescription: "points",
      ariaLabel: items.map((i) => `${i.label}: ${formatValue(i.summary.point)} ${bounds(i, outer)}`),
      title: titles,
      render: dataAttributes({ point }),
    }),
  );
  return marks;
}

/** Rows taller than this scroll inside the panel (with the x axis kept in view at top and bottom). */
const MAX_BODY_HEIGHT = 640;
/** A row is never shorter than this: 12 px labels one row apart never overlap. */
export const MIN_ROW_HEIGHT = 16;
const AXIS_HEIGHT = 34;
const TOP_PADDING = 8;
/** Scrolling rows are drawn in blocks about this tall (see row-blocks.ts). */
const BLOCK_HEIGHT = MAX_BODY_HEIGHT / 2;

export interface RowChartOptions {
  width: number;
  /** One label per row, top to bottom; row i spans y from i − 0.5 to i + 0.5. */
  labels: readonly string[];
  /** Where each row's label sits, in row units from the row's centre (positive is lower). */
  labelOffset?: number;
  rowHeight: number;
  domain: [number, number];
  xLabel: string;
  /** The marks of rows start…end − 1: all of them, or a block of those scrolled into view. */
  marks: (start: number, end: number) => readonly Plot.Markish[];
  /** Categories of the colour scale, with a legend above the chart when there are several. */
  colors?: readonly string[];
}

/**
 * A chart of labelled rows over a shared x axis. Up to MAX_BODY_HEIGHT it is one plot; taller,
 * the rows scroll in a box whose x axis is repeated at its top and bottom edges, both sticky,
 * so the scale is always in view, and only the rows near the view are drawn.
 */
export function rowChart(options: RowChartOptions): HTMLElement {
  const { width, labels, rowHeight, domain, xLabel, colors } = options;
  const n = labels.length;
  const marginLeft = labelMargin(labels, width);
  const marginRight = 20;
  const scrolls = Math.max(1, n) * rowHeight + 2 * AXIS_HEIGHT > MAX_BODY_HEIGHT;
  const x = { domain, label: xLabel };
  const color = colors && colors.length > 0 ? { type: "categorical" as const, domain: [...colors] } : undefined;
  const offset = options.labelOffset ?? 0;
  // Rows start…end − 1 as one plot: the whole chart with its x axis, or a block of scrolling rows.
  const rowsPlot = (start: number, end: number, whole: boolean) =>
    Plot.plot({
      ...plotStyle,
      // A block's marks may reach past its edge (a label low in its last row), as they would in one plot.
      style: whole ? plotStyle.style : { ...plotStyle.style, overflow: "visible" },
      width,
      height: (end - start) * rowHeight + (whole ? TOP_PADDING + AXIS_HEIGHT : 0),
      marginTop: whole ? TOP_PADDING : 0,
      marginBottom: whole ? AXIS_HEIGHT : 0,
      marginLeft,
      marginRight,
      x: { ...x, axis: whole ? "bottom" : null },
      y: { domain: [start - 0.5, end - 0.5], reverse: true, axis: null },
      color,
      ariaLabel: whole ? undefined : `rows ${formatNumber(start + 1)}–${formatNumber(end)}`,
      marks: [
        Plot.gridX({ strokeOpacity: 0.08 }),
        leftLabels(
          "y",
          marginLeft,
          (t: number) => labels[Math.round(t - offset)],
          Array.from({ length: Math.max(0, Math.min(end, n) - start) }, (_, i) => start + i + offset),
        ),
        ...options.marks(start, end),
      ],
    });
  const root = document.createElement("div");
  root.className = "row-chart";
  if (color && color.domain.length > 1) root.append(Plot.legend({ color, ...plotStyle }));
  if (!scrolls) {
    root.append(rowsPlot(0, Math.max(1, n), true));
    return root;
  }
  const axis = (anchor: "top" | "bottom") => {
    const holder = document.createElement("div");
    holder.style.cssText = `position: sticky; ${anchor}: 0; z-index: 1; background: var(--panel, Canvas); line-height: 0;`;
    holder.append(
      Plot.plot({
        ...plotStyle,
        width,
        height: AXIS_HEIGHT,
        marginTop: anchor === "top" ? AXIS_HEIGHT - 4 : 0,
        marginBottom: anchor === "bottom" ? AXIS_HEIGHT - 4 : 0,
        marginLeft,
        marginRight,
        x,
        ariaLabel: `${anchor} x axis`,
        marks: [Plot.axisX({ anchor, label: xLabel })],
      }),
    );
    return holder;
  };
  const body = document.createElement("div");
  body.className = "row-chart-body";
  body.style.cssText = `max-height: ${MAX_BODY_HEIGHT}px; overflow-y: auto; overscroll-behavior: contain;`;
  body.tabIndex = 0;
  body.setAttribute("role", "region");
  body.setAttribute("aria-label", `${n.toLocaleString("en-US")} rows, scrolling`);
  const rows = rowBlocks(body, {
    count: n,
    rowHeight,
    blockRows: Math.max(1, Math.ceil(BLOCK_HEIGHT / rowHeight)),
    offset: AXIS_HEIGHT,
    padding: TOP_PADDING,
    viewHeight: MAX_BODY_HEIGHT,
    draw: (start, end) => rowsPlot(start, end, false),
  });
  body.append(axis("top"), rows, axis("bottom"));
  root.append(body);
  return root;
}
