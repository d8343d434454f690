import * as Plot from "@observablehq/plot";
import { autoBounds, kde, type Density, type KdeBounds } from "../engine/stats/kde.ts";
import { splitByLabels } from "../engine/split.ts";
import { autoBoundsText, formatCount, formatNumber, kdeDescription, plotStyle } from "./style.ts";
import type { OptionValue, PanelKind } from "./types.ts";

/** More facets than this would be unreadable rows a few pixels high: curves are overlaid instead. */
const MAX_FACETS = 24;
/** A legend with more entries than this says less than the curves' own labels on hover. */
const MAX_LEGEND = 12;
const POINTS = 256;
/** Beyond this many curves a density panel is a smear that costs seconds: the rest are left out. */
const MAX_CURVES = 120;
/** A ridge's tallest curve, in rows: it overlaps the ridges above without hiding them. */
const RIDGE_HEIGHT = 1.8;

type Layout = "facets" | "ridgeline" | "overlay";

const BOUND_CHOICES: Record<string, { label: string; bounds: KdeBounds }> = {
  auto: { label: "auto", bounds: {} },
  none: { label: "none", bounds: {} },
  positive: { label: "≥ 0", bounds: { lower: 0 } },
  unit: { label: "0 to 1", bounds: { lower: 0, upper: 1 } },
};

/** One curve: the labels it is split by and its estimate. */
interface Curve {
  keys: (string | number)[];
  estimate: Density;
}

/** What the curves are drawn from, shared by the three layouts. */
interface Drawing {
  curves: Curve[];
  /** The dimension laid out as facets or ridges ("" for none), and its levels that have curves. */
  split: string;
  levels: (string | number)[];
  color: string;
  colorLabels: (string | number)[];
  by: string[];
  value: string;
  fill: boolean;
  reference?: number;
  width: number;
}

/** Every curve's points end to end in columns for Plot (no row objects). */
function columnsOf({ curves, by, split, color, value }: Drawing, yOf: (c: number, density: number) => number = (_, d) => d) {
  const length = curves.reduce((a, c) => a + c.estimate.x.length, 0);
  const x = new Float64Array(length);
  const y = new Float64Array(length);
  const base = new Float64Array(length);
  const series = new Int32Array(length);
  const splitOf: (string | number)[] = new Array(length);
  const colorOf: (string | number)[] = new Array(length);
  const nameOf: string[] = new Array(length);
  let at = 0;
  curves.forEach(({ keys, estimate }, s) => {
    const f = split ? keys[by.indexOf(split)] : "";
    const c = color ? keys[by.indexOf(color)] : "";
    const name = [...new Set(keys.map(String))].join(" · ") || value;
    x.set(estimate.x, at);
    const zero = yOf(s, 0);
    for (let i = 0; i < estimate.x.length; i++, at++) {
      y[at] = yOf(s, estimate.density[i]);
      base[at] = zero;
      series[at] = s;
      splitOf[at] = f;
      colorOf[at] = c;
      nameOf[at] = name;
    }
  });
  return { data: { length }, x, y, base, series, splitOf, colorOf, nameOf };
}

function referenceMark(reference: number | undefined): Plot.Markish {
  if (reference === undefined) return null;
  const label = `reference line at ${reference}`;
  return Plot.ruleX([reference], { stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "5 3", ariaDescription: "reference line", ariaLabel: () => label, title: () => label });
}

function colorScale({ color, colorLabels, split }: Drawing): Plot.ScaleOptions | undefined {
  return color ? { type: "categorical", domain: colorLabels, legend: color !== split && colorLabels.length > 1 && colorLabels.length <= MAX_LEGEND } : undefined;
}

/** One plot per level of `split` (a facet per row), or all curves in one plot when `split` is "". */
function facetPlot(drawing: Drawing) {
  const { curves, split, levels, color, value, width, fill, reference } = drawing;
  const { data, x, y, series, splitOf, colorOf, nameOf } = columnsOf(drawing);
  const stroke = color ? colorOf : "currentColor";
  const faceted = split !== "";
  const fy = faceted ? splitOf : undefined;
  const count = faceted ? levels.length : 1;
  return Plot.plot({
    ...plotStyle,
    width,
    height: faceted ? Math.max(160, 28 + count * Math.max(48, Math.min(110, 480 / count))) : 300,
    marginLeft: faceted ? labelMargin(levels) : 52,
    marginRight: 20,
    x: { label: value, grid: true },
    y: faceted ? { axis: null } : { label: "density", grid: true },
    fy: faceted ? { label: null, domain: levels, padding: 0.12, axis: "left" } : undefined,
    color: colorScale(drawing),
    marks: [
      fill ? Plot.areaY(data, { x, y, z: series, fill: stroke, fillOpacity: 0.14, fy, ariaHidden: "true" }) : null,
      Plot.lineY(data, { x, y, z: series, stroke, strokeWidth: curves.length > 40 ? 0.8 : 1.5, fy, ariaLabel: nameOf, ariaDescription: "density curves", title: nameOf }),
      faceted ? Plot.ruleY(levels, { y: 0, fy: (f) => f, strokeOpacity: 0.4 }) : Plot.ruleY([0], { strokeOpacity: 0.4 }),
      // Without an fy channel the rule is repeated in every facet.
      referenceMark(reference),
    ],
  });
}

/**
 * The levels of `split` as ridges stacked on one x axis, top to bottom in label order, each
 * ridge's baseline a row below the last. All curves share one vertical scale (the tallest is
 * RIDGE_HEIGHT rows), and each ridge is drawn over an opaque fill, so the ridge in front hides
 * what it overlaps of the ridge behind it.
 */
function ridgelinePlot(drawing: Drawing) {
  const { curves, split, by, levels, color, value, width, fill, reference } = drawing;
  const row = Math.max(16, Math.min(56, 440 / levels.length));
  const marginTop = 8;
  const marginBottom = 36;
  const baselineOf = new Map(levels.map((level, k) => [level, levels.length - 1 - k]));
  const peak = curves.reduce((a, c) => c.estimate.density.reduce((m, d) => Math.max(m, d), a), 0) || 1;
  const ridgeOf = curves.map((c) => baselineOf.get(c.keys[by.indexOf(split)])!);
  const { x, y, base, series, colorOf, nameOf } = columnsOf(drawing, (c, density) => ridgeOf[c] + (RIDGE_HEIGHT * density) / peak);
  // Opaque fills (so the ridge in front hides the one behind), tinted with the ridge's colour when
  // its curves share one; the same categorical scale as the plot's gives that colour.
  const palette = color ? Plot.scale({ color: { type: "categorical", domain: drawing.colorLabels } }) : undefined;
  const ridgeFill = (from: number, to: number): string => {
    if (!fill) return "var(--panel)";
    const colours = new Set(colorOf.slice(from, to));
    const tint = palette && colours.size === 1 ? String(palette.apply([...colours][0])) : "currentColor";
    return `color-mix(in srgb, ${tint} 12%, var(--panel))`;
  };
  const strokeWidth = levels.length > 40 ? 0.9 : 1.5;
  // Curves come split by `split` first, so each ridge's curves are one run of rows: its marks
  // take that run, and ridges are drawn back (top) to front (bottom).
  const marks: Plot.Markish[] = [];
  let ridgeStart = 0;
  let end = 0;
  curves.forEach((curve, s) => {
    end += curve.estimate.x.length;
    if (s < curves.length - 1 && ridgeOf[s + 1] === ridgeOf[s]) return;
    const [from, to] = [ridgeStart, end];
    const rows = { length: to - from };
    const ridgeX = x.subarray(from, to);
    const ridgeY = y.subarray(from, to);
    const z = series.subarray(from, to);
    const names = nameOf.slice(from, to);
    marks.push(
      Plot.areaY(rows, { x: ridgeX, y1: base.subarray(from, to), y2: ridgeY, z, fill: ridgeFill(from, to), ariaHidden: "true" }),
      Plot.lineY(rows, { x: ridgeX, y: ridgeY, z, stroke: color ? colorOf.slice(from, to) : "currentColor", strokeWidth, ariaLabel: names, ariaDescription: "density curves", title: names }),
    );
    ridgeStart = end;
  });
  const labelOf = new Map(levels.map((level, k) => [levels.length - 1 - k, String(level)]));
  return Plot.plot({
    ...plotStyle,
    width,
    height: marginTop + marginBottom + (levels.length - 1 + RIDGE_HEIGHT) * row,
    marginTop,
    marginBottom,
    marginLeft: labelMargin(levels),
    marginRight: 20,
    x: { label: value, grid: true },
    y: { domain: [0, levels.length - 1 + RIDGE_HEIGHT], ticks: [...labelOf.keys()], tickFormat: (b: number) => labelOf.get(b) ?? "", tickSize: 0, label: null },
    color: colorScale(drawing),
    marks: [...marks, referenceMark(reference)],
  });
}

function labelMargin(levels: (string | number)[]): number {
  return Math.min(180, 14 + 7 * Math.max(...levels.map((l) => String(l).length)));
}

/**
 * The layout drawn and the dimension it splits into facets or ridges (the facet dimension; a
 * ridgeline without one stacks the colour dimension), with its levels that have curves. Too many
 * levels to facet, or nothing to stack, fall back to one overlaid plot, with a note saying so.
 */
function arrange(chosen: Layout, facet: string, color: string, groups: { keys: (string | number)[] }[], labels: (string | number)[][], by: string[]) {
  const split = chosen === "ridgeline" ? facet || color : chosen === "facets" ? facet : "";
  if (split === "") {
    const note = chosen === "ridgeline" ? "A ridgeline needs a dimension to stack: choose one to facet by." : undefined;
    return { layout: "overlay" as Layout, split, levels: [], note };
  }
  const k = by.indexOf(split);
  const present = new Set(groups.map((g) => g.keys[k]));
  const levels = labels[k].filter((l) => present.has(l));
  if (chosen === "facets" && levels.length > MAX_FACETS) {
    const note = `${formatNumber(levels.length)} levels of ${split} are too many to facet: overlaid. The ridgeline layout stacks them.`;
    return { layout: "overlay" as Layout, split: "", levels: [], note };
  }
  return { layout: chosen, split, levels, note: undefined };
}

/**
 * The bounds the chosen setting gives these draws, and the words for the caption. A chosen bound
 * that some draws cross is left out (and said so): reflecting at it would be wrong.
 */
function boundsFor(choice: string, samples: Float64Array[], value: string): { bounds: KdeBounds; text: string } {
  if (choice === "auto") {
    const auto = autoBounds(samples, value);
    return { bounds: auto.bounds, text: autoBoundsText(auto) };
  }
  const chosen = BOUND_CHOICES[choice]?.bounds ?? {};
  let min = Infinity;
  let max = -Infinity;
  for (const values of samples) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v !== 0) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const bounds: KdeBounds = {};
  const crossed: string[] = [];
  if (chosen.lower !== undefined) {
    if (min >= chosen.lower) bounds.lower = chosen.lower;
    else crossed.push(`some draws of ${value} are below ${chosen.lower}`);
  }
  if (chosen.upper !== undefined) {
    if (max <= chosen.upper) bounds.upper = chosen.upper;
    else crossed.push(`some draws of ${value} are above ${chosen.upper}`);
  }
  const { lower, upper } = bounds;
  const applied =
    lower !== undefined && upper !== undefined ? `bounded to [${lower}, ${upper}]` : lower !== undefined ? `bounded below at ${lower}` : upper !== undefined ? `bounded above at ${upper}` : "not bounded";
  return { bounds, text: crossed.length ? `${applied}: ${crossed.join(" and ")}, so that bound is not used` : applied };
}

/** A clicked x as text, to about three significant digits of the axis' span. */
function roundForAxis(x: number, span: number): string {
  const digits = Math.max(0, 2 - Math.floor(Math.log10(span)));
  return String(Number(x.toFixed(Math.min(digits, 15))));
}

/** Clicking inside the plot's frame marks the reference line at the x clicked. */
function markReferenceOnClick(node: ReturnType<typeof Plot.plot>, setOption: (key: string, value: OptionValue) => void): void {
  const svg = node instanceof SVGSVGElement ? node : node.querySelector<SVGSVGElement>(":scope > svg");
  const scale = node.scale("x");
  if (!svg || !scale?.invert) return;
  const invert = scale.invert.bind(scale);
  const [from, to] = scale.range as [number, number];
  const [first, last] = scale.domain as [number, number];
  svg.style.cursor = "crosshair";
  svg.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    // The SVG may be drawn narrower than its viewBox (max-width: 100%).
    const px = ((event.clientX - box.left) * svg.viewBox.baseVal.width) / box.width;
    if (px < Math.min(from, to) || px > Math.max(from, to)) return;
    setOption("ref", roundForAxis(invert(px), Math.abs(last - first)));
  });
}

export const panel: PanelKind = {
  kind: "density",
  title: "Density",
  order: 10,
  options: [
    { key: "value", label: "Value", type: "value" },
    { key: "facet", label: "Facet by", type: "dim", none: "none (overlay)" },
    { key: "color", label: "Colour by", type: "dim", none: "one colour" },
    {
      key: "layout",
      label: "Layout",
      type: "choice",
      choices: [
        { value: "facets", label: "facets" },
        { value: "ridgeline", label: "ridgeline" },
        { value: "overlay", label: "overlay" },
      ],
      default: "facets",
    },
    { key: "bounds", label: "Bounds", type: "choice", choices: Object.entries(BOUND_CHOICES).map(([value, { label }]) => ({ value, label })), default: "auto" },
    { key: "adjust", label: "Bandwidth ×", type: "number", min: 0.1, max: 10, step: 0.1, default: 1 },
    { key: "fill", label: "Fill", type: "boolean", default: true },
    { key: "ref", label: "Reference", type: "reference", default: "" },
  ],
  // Facet draws by what the value varies over (a scalar such as sigma gets one curve), colour by
  // source. Data (observed y over obs_ind) has one value per label: its density is over all rows.
  dimDefaults: ({ valueDims, source, sampled }) => {
    const by = sampled ? (valueDims[0] ?? "") : "";
    return { facet: by, color: source ? "source" : by };
  },
  render(table, options, { width, setOption }) {
    const value = String(options.value);
    const facet = String(options.facet);
    const color = String(options.color);
    const adjust = Number(options.adjust);
    const refText = String(options.ref).trim();
    const reference = refText !== "" && Number.isFinite(Number(refText)) ? Number(refText) : undefined;
    const by = [...new Set([facet, color].filter((c) => c !== ""))];
    const { groups, labels, total } = splitByLabels(table, value, by, MAX_CURVES);
    const notes: string[] = [];
    if (total > groups.length) {
      notes.push(`Showing the first ${formatNumber(groups.length)} of ${formatNumber(total)} curves: facet or colour by another dimension, or narrow the query.`);
    }

    const { layout, split, levels, note } = arrange(String(options.layout) as Layout, facet, color, groups, labels, by);
    if (note) notes.push(note);

    const { bounds, text: boundsText } = boundsFor(String(options.bounds), groups.map((g) => g.values), value);
    const curves = groups.map((g) => ({ keys: g.keys, estimate: kde(g.values, { points: POINTS, adjust, ...bounds }) }));
    const drawing: Drawing = {
      curves,
      split,
      levels,
      color,
      colorLabels: color ? labels[by.indexOf(color)] : [],
      by,
      value,
      fill: Boolean(options.fill),
      reference,
      width,
    };
    const node = layout === "ridgeline" ? ridgelinePlot(drawing) : facetPlot(drawing);
    if (bounds.lower !== undefined) node.setAttribute("data-lower", String(bounds.lower));
    if (bounds.upper !== undefined) node.setAttribute("data-upper", String(bounds.upper));
    if (setOption) markReferenceOnClick(node, setOption);

    const arranged = split === "" ? "" : layout === "ridgeline" ? ` in ${formatCount(levels.length, "ridge")}` : ` in ${formatCount(levels.length, "facet")}`;
    const markHint = reference === undefined ? "Click the plot to mark a reference line." : `Reference line at ${refText} (click the plot to move it).`;
    return {
      name: `Density of ${value}${by.length ? ` by ${by.join(" and ")}` : ""}: ${formatCount(curves.length, "curve")}${arranged}`,
      caption: [kdeDescription(curves.map((c) => c.estimate.bandwidth), adjust, boundsText), markHint, ...notes].join(" "),
      node,
    };
  },
};
