import { MODEL } from "../../engine/stack-models.ts";
import * as Plot from "@observablehq/plot";
import { labelMargin, labelText, leftLabels } from "../labels.ts";
import { referenceMark } from "../reference-line.ts";
import { plotStyle } from "../style.ts";
import type { OptionValue, PanelKind } from "../types.ts";
import { BOUND_CHOICES, type DensityData } from "./data.ts";

/** A legend with more entries than this says less than the curves' own labels on hover. */
const MAX_LEGEND = 12;
/** A ridge's tallest curve, in rows: it overlaps the ridges above without hiding them. */
const RIDGE_HEIGHT = 1.8;

/** What the curves are drawn from, shared by the three layouts: the worker's data and the drawing options. */
type Drawing = Pick<DensityData, "curves" | "split" | "levels" | "color" | "colorLabels" | "by" | "value"> & {
  fill: boolean;
  reference?: number;
  width: number;
};

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

function colorScale({ color, colorLabels, split }: Drawing): Plot.ScaleOptions | undefined {
  return color ? { type: "categorical", domain: colorLabels, tickFormat: labelText, legend: color !== split && colorLabels.length > 1 && colorLabels.length <= MAX_LEGEND } : undefined;
}

/** One plot per level of `split` (a facet per row), or all curves in one plot when `split` is "". */
function facetPlot(drawing: Drawing) {
  const { curves, split, levels, color, value, width, fill, reference } = drawing;
  const { data, x, y, series, splitOf, colorOf, nameOf } = columnsOf(drawing);
  const stroke = color ? colorOf : "currentColor";
  const faceted = split !== "";
  const fy = faceted ? splitOf : undefined;
  const count = faceted ? levels.length : 1;
  const margin = faceted ? labelMargin(levels, width) : 52;
  return Plot.plot({
    ...plotStyle,
    width,
    height: faceted ? Math.max(160, 28 + count * Math.max(48, Math.min(110, 480 / count))) : 300,
    marginLeft: margin,
    marginRight: 20,
    x: { label: value, grid: true },
    y: faceted ? { axis: null } : { label: "density", grid: true },
    fy: faceted ? { label: null, domain: levels, padding: 0.12, axis: null } : undefined,
    color: colorScale(drawing),
    marks: [
      faceted ? leftLabels("fy", margin) : null,
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
  const labelOf = new Map(levels.map((level, k) => [levels.length - 1 - k, labelText(level)]));
  const margin = labelMargin(levels, width);
  return Plot.plot({
    ...plotStyle,
    width,
    height: marginTop + marginBottom + (levels.length - 1 + RIDGE_HEIGHT) * row,
    marginTop,
    marginBottom,
    marginLeft: margin,
    marginRight: 20,
    x: { label: value, grid: true },
    y: { domain: [0, levels.length - 1 + RIDGE_HEIGHT], axis: null },
    color: colorScale(drawing),
    marks: [leftLabels("y", margin, (b: number) => labelOf.get(b) ?? "", [...labelOf.keys()]), ...marks, referenceMark(reference)],
  });
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

export const panel: PanelKind<DensityData> = {
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
  // Neither changes the curves: changing them redraws what the worker computed.
  drawOnly: ["fill", "ref"],
  // Facet draws by what the value varies over (a scalar such as sigma gets one curve), colour by
  // source. Data (observed y over obs_ind) has one value per label: its density is over all rows.
  dimDefaults: ({ valueDims, source, sampled, model }) => {
    // Several models: facets by the value's own first dimension, a curve per model in each. A second
    // dimension (theta[school, year]) colours the curves in each facet.
    const [first = "", second] = sampled ? valueDims.filter((d) => d !== MODEL) : [];
    return { facet: first, color: model ? MODEL : source ? "source" : (second ?? first) };
  },
  render(data, options, { width, setOption }) {
    const { layout, bounds } = data;
    const refText = String(options.ref).trim();
    const reference = refText !== "" && Number.isFinite(Number(refText)) ? Number(refText) : undefined;
    const drawing: Drawing = { ...data, fill: Boolean(options.fill), reference, width };
    const node = layout === "ridgeline" ? ridgelinePlot(drawing) : facetPlot(drawing);
    if (bounds.lower !== undefined) node.setAttribute("data-lower", String(bounds.lower));
    if (bounds.upper !== undefined) node.setAttribute("data-upper", String(bounds.upper));
    if (setOption) markReferenceOnClick(node, setOption);
    const markHint = reference === undefined ? "Click the plot to mark a reference line." : `Reference line at ${refText} (click the plot to move it).`;
    return { name: data.name, caption: [data.estimation, markHint, ...data.notes].join(" "), node };
  },
};
