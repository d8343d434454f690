import { MODEL } from "../../engine/stack-models.ts";
import * as Plot from "@observablehq/plot";
import { DIVERGENT_COLOUR, formatCount, plotStyle } from "../style.ts";
import type { PanelFigure, PanelKind, PanelOptions } from "../types.ts";
import type { Axis, PairData, PairsData, View } from "./data.ts";
import { SVG_LIMIT, colourEncoding, colourScale, contourMarks, divergentLayer, dotFill, legendNode, pointLayer } from "./layers.ts";
import { renderMatrix } from "./matrix.ts";
import { colourNote, contourNote, divergenceNote, isGrouped, samplingNote } from "./notes.ts";
import { attachPanZoom } from "./pan-zoom.ts";
import { PixelRaster, spatiallySorted, type PointLayer } from "./raster.ts";

const longest = (labels: readonly string[]) => labels.reduce((most, l) => Math.max(most, l.length), 0);

/** Plot's options for an axis showing `domain`: a categorical axis gets its levels as tick labels. */
function axisScale(axis: Axis, domain: [number, number], vertical: boolean, pixels: number): Plot.ScaleOptions {
  const base: Plot.ScaleOptions = { domain, label: axis.name, grid: true };
  if (!axis.labels) return base;
  const labels = axis.labels;
  const first = Math.max(0, Math.ceil(domain[0]));
  const last = Math.min(labels.length - 1, Math.floor(domain[1]));
  // Leave out levels when their labels would overlap: 14 px a row on y, the longest label's width on x.
  const spacing = vertical ? 14 : 12 + 7 * longest(labels);
  const every = Math.max(1, Math.ceil((last - first + 1) / Math.max(1, pixels / spacing)));
  const ticks: number[] = [];
  for (let p = first; p <= last; p += every) ticks.push(p);
  return { ...base, ticks, labelArrow: "none", tickFormat: (p: number) => labels[vertical ? labels.length - 1 - p : p] };
}

const MARGIN = { top: 24, right: 16, bottom: 40 };
/** Beyond this many points they are drawn one device pixel wide and fainter, else two. */
const DENSE = 100_000;

/**
 * A canvas over the plot's frame (left/right/top/bottom in the figure's CSS pixels), anchored to
 * the figure's bottom so a legend above does not shift it, and a function drawing a view onto it.
 */
function frameCanvas(frame: { left: number; right: number; top: number; bottom: number }, figureHeight: number, bulk: PointLayer, stamped: PointLayer | undefined, dense: boolean) {
  const ratio = globalThis.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  const width = frame.right - frame.left;
  const height = frame.bottom - frame.top;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.cssText = `position:absolute;left:${frame.left}px;bottom:${figureHeight - frame.bottom}px;width:${width}px;height:${height}px`;
  canvas.setAttribute("aria-hidden", "true");
  const pixels = new PixelRaster(canvas.width, canvas.height);
  const rect = { left: 0, top: 0, width: canvas.width, height: canvas.height };
  const size = Math.max(1, Math.round((dense ? 1 : 2) * ratio));
  const draw = (view: View) => {
    pixels.clear();
    pixels.accumulate(bulk, view, rect, size);
    pixels.compose(dense ? 0.3 : 0.5);
    if (stamped) pixels.stamp(stamped, view, rect, size + 2);
    pixels.paint(canvas);
  };
  return { canvas, draw };
}

function renderPair(data: PairData, options: PanelOptions, width: number): PanelFigure {
  const { x, y, home, contours, points, sample, flagged, divergent } = data;
  const colour = colourEncoding(data.colour);
  const numeric = !x.labels && !y.labels;
  const raster = sample.count > SVG_LIMIT;

  const height = Math.round(Math.max(280, Math.min(520, width * 0.6)));
  const marginLeft = y.labels ? Math.min(180, 16 + 7 * longest(y.labels)) : 56;
  const frameWidth = width - marginLeft - MARGIN.right;
  const frameHeight = height - MARGIN.top - MARGIN.bottom;
  // Over a canvas the divergent points are stamped on it: SVG dots would be redrawn every frame.
  const divergentDots = raster ? undefined : divergent;
  const dataMarks = [
    raster ? null : Plot.dot({ length: sample.count }, { x: x.positions, y: y.positions, fill: dotFill(colour), r: 2, fillOpacity: 0.6, clip: true, ariaDescription: "points" }),
    ...contourMarks(contours, colour),
    divergentDots
      ? Plot.dot({ length: divergentDots.x.length }, { ...divergentDots, fill: DIVERGENT_COLOUR, stroke: "white", strokeWidth: 0.7, r: 3.2, clip: true, ariaDescription: "divergent draws" })
      : null,
  ];
  const plotAt = (view: View) =>
    Plot.plot({
      ...plotStyle,
      style: { ...plotStyle.style, position: "relative" },
      width,
      height,
      marginLeft,
      marginTop: MARGIN.top,
      marginRight: MARGIN.right,
      marginBottom: MARGIN.bottom,
      x: axisScale(x, [view.x0, view.x1], false, frameWidth),
      y: axisScale(y, [view.y0, view.y1], true, frameHeight),
      color: colourScale(colour),
      marks: [Plot.frame({ strokeOpacity: 0.2 }), ...dataMarks],
    });

  const node = document.createElement("div");
  node.className = "pairs-figure";
  node.style.cssText = `position:relative;width:${width}px`;
  const legend = legendNode(colour, divergent ? flagged?.draws : undefined);
  if (legend) node.append(legend);
  let svg = plotAt(home);
  // Plot's own scales say where the frame is; the canvas goes exactly there, under the SVG.
  const [left, right] = svg.scale("x")!.range as [number, number];
  const [bottom, top] = svg.scale("y")!.range as [number, number];
  let draw: ((view: View) => void) | undefined;
  if (raster) {
    const bulk = spatiallySorted(pointLayer(x.positions, y.positions, colour), home);
    const stamped = divergent ? divergentLayer(divergent.x, divergent.y) : undefined;
    const layer = frameCanvas({ left, right, top, bottom }, height, bulk, stamped, points > DENSE);
    layer.draw(home);
    node.append(layer.canvas);
    draw = layer.draw;
  }
  node.append(svg);
  node.tabIndex = 0;
  node.setAttribute("role", "application");
  node.setAttribute("aria-label", "Scatter: wheel or + and − zoom, drag or arrows pan, double-click or 0 resets");
  node.dataset.points = String(points);
  node.dataset.drawn = raster ? "canvas" : "svg";
  node.dataset.divergent = String(divergent?.x.length ?? 0);
  attachPanZoom(
    node,
    () => {
      const box = svg.getBoundingClientRect();
      return { left: box.left + left, top: box.top + top, width: right - left, height: bottom - top };
    },
    home,
    (view) => {
      const next = plotAt(view);
      svg.replaceWith(next);
      svg = next;
      draw?.(view);
    },
  );

  const jittered = [x, y].filter((a) => a.labels).map((a) => a.name);
  const notes = [
    `${formatCount(points, "point")}${colourNote(data.colour)}${raster ? ", on a canvas: each pixel shows the mean colour of its points, more opaque where more fall" : ""}.`,
    jittered.length ? `Levels of ${jittered.join(" and ")} jittered over ${Math.round(Number(options.jitter) * 100)}% of the space between them.` : "",
    options.contours && !numeric ? "Contours need two number columns." : contourNote(contours, isGrouped(data.colour), true),
    divergenceNote(Boolean(options.divergences), flagged),
    points < sample.count ? `${formatCount(sample.count - points, "row")} with a missing ${x.name} or ${y.name} left out.` : "",
    samplingNote(sample),
    "Wheel zooms, drag pans, double-click resets.",
  ];
  return {
    name: `Pairs of ${x.name} and ${y.name}: ${formatCount(points, "point")}${colour.kind === "none" ? "" : `, coloured by ${colour.column}`}`,
    caption: notes.filter((n) => n !== "").join(" "),
    node,
  };
}

export const panel: PanelKind<PairsData> = {
  kind: "pairs",
  title: "Pairs",
  order: 30,
  options: [
    { key: "x", label: "x", type: "column", none: "auto" },
    { key: "y", label: "y", type: "column", none: "auto" },
    { key: "color", label: "Colour by", type: "column", none: "one colour" },
    {
      key: "layout",
      label: "Layout",
      type: "choice",
      choices: [
        { value: "pair", label: "x against y" },
        { value: "matrix", label: "matrix (up to 6)" },
      ],
      default: "pair",
    },
    { key: "contours", label: "Contours", type: "boolean", default: false },
    { key: "divergences", label: "Divergences", type: "boolean", default: true },
    { key: "jitter", label: "Jitter", type: "number", min: 0, max: 0.9, step: 0.05, default: 0.6 },
  ],
  // Colour by the stacked groups' source, else by the first dimension (beta[groups]: one colour per group).
  dimDefaults: ({ dims, source, model }) => ({ color: model ? MODEL : source ? "source" : (dims[0] ?? "") }),
  render(data, options, { width }) {
    return data.layout === "matrix" ? renderMatrix(data, options, width) : renderPair(data, options, width);
  },
};
