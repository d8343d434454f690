import * as Plot from "@observablehq/plot";
import { joinedLines } from "../joined-lines.ts";
import { DIVERGENT_COLOUR, formatCount } from "../style.ts";
import { MAX_LEGEND, type ColourData } from "./colour.ts";
import type { ContourSet } from "./contours.ts";
import { parseColor, type PointLayer } from "./raster.ts";

/** Up to this many marks a figure draws SVG dots; beyond, the points go on a canvas. */
export const SVG_LIMIT = 10_000;
/** In a (static) scatter matrix, divergent points stay SVG dots up to this many in all cells, else they are stamped on the canvas. */
export const SVG_DIVERGENT_LIMIT = 2_000;
const CONTINUOUS_SCHEME = "viridis";
/** Points without a colour column: a mid blue that reads on light and dark pages, under text-coloured contours. */
const SINGLE_COLOUR = "#4e79a7";
/** Continuous colours are quantised to this many steps for the raster (plus one for NaN). */
const RAMP_STEPS = 256;
const MISSING_GREY = 0x9a9a9a;

/** How points are coloured on the page, for Plot's SVG marks and for the raster alike. */
export type ColourEncoding =
  | { kind: "none"; palette: Uint32Array }
  | { kind: "continuous"; column: string; domain: [number, number]; values: Float64Array; index: Int32Array; palette: Uint32Array; scale: Plot.ScaleOptions }
  | { kind: "categorical"; column: string; labels: string[]; codes: Int32Array; palette: Uint32Array; scale: Plot.ScaleOptions };

/** The colours Plot's scale gives the worker's colour data, as a palette the raster can use. */
export function colourEncoding(colour: ColourData): ColourEncoding {
  if (colour.kind === "none") return { kind: "none", palette: Uint32Array.of(parseColor(SINGLE_COLOUR)) };
  if (colour.kind === "categorical") {
    const scale: Plot.ScaleOptions = { type: "categorical", domain: colour.labels };
    const apply = Plot.scale({ color: scale }).apply;
    return { ...colour, scale, palette: Uint32Array.from(colour.labels, (l) => parseColor(String(apply(l)))) };
  }
  const [min, max] = colour.domain;
  const scale: Plot.ScaleOptions = { type: "linear", scheme: CONTINUOUS_SCHEME, domain: [min, max] };
  const apply = Plot.scale({ color: scale }).apply;
  const palette = new Uint32Array(RAMP_STEPS + 1);
  for (let k = 0; k < RAMP_STEPS; k++) palette[k] = parseColor(String(apply(min + ((max - min) * k) / (RAMP_STEPS - 1))));
  palette[RAMP_STEPS] = MISSING_GREY;
  const { values } = colour;
  const index = new Int32Array(values.length);
  const step = max > min ? (RAMP_STEPS - 1) / (max - min) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    index[i] = Number.isFinite(v) ? Math.round((v - min) * step) : RAMP_STEPS;
  }
  return { ...colour, index, palette, scale };
}

/** The raster layer for points at (x, y) in this colouring. */
export function pointLayer(x: Float64Array, y: Float64Array, colour: ColourEncoding): PointLayer {
  if (colour.kind === "none") return { x, y, palette: colour.palette };
  return { x, y, palette: colour.palette, color: colour.kind === "continuous" ? colour.index : colour.codes };
}

/** The divergent points as a raster layer, stamped in their one colour. */
export function divergentLayer(x: Float64Array, y: Float64Array): PointLayer {
  return { x, y, palette: Uint32Array.of(parseColor(DIVERGENT_COLOUR)) };
}

/** Plot's colour scale for this colouring (none for one colour). */
export function colourScale(colour: ColourEncoding): Plot.ScaleOptions | undefined {
  return colour.kind === "none" ? undefined : colour.scale;
}

/** The fill channel of SVG dots in this colouring (a label per row: only for the few rows SVG draws). */
export function dotFill(colour: ColourEncoding): Plot.ChannelValueSpec {
  if (colour.kind === "none") return SINGLE_COLOUR;
  if (colour.kind === "continuous") return colour.values;
  return Array.from(colour.codes, (c) => colour.labels[c]);
}

/** The stroke of a colour group's contours or density: its level's colour, or the text colour for all points. */
export function groupStroke(colour: ColourEncoding, level: number | undefined): string {
  return level === undefined ? "currentColor" : `#${colour.palette[level].toString(16).padStart(6, "0")}`;
}

/** A legend for the colouring (a ramp, or swatches for a few levels), with the divergent draws' swatch. */
export function legendNode(colour: ColourEncoding, divergentDraws: number | undefined): HTMLElement | undefined {
  const parts: Element[] = [];
  if (colour.kind === "continuous") parts.push(Plot.legend({ color: { ...colour.scale, label: colour.column }, style: { background: "transparent", color: "inherit" } }));
  if (colour.kind === "categorical" && colour.labels.length <= MAX_LEGEND) {
    // Plot's swatches carry no title: the column's name goes before them, as on the ramp.
    const title = document.createElement("span");
    title.textContent = colour.column;
    title.style.cssText = "font-size:12px;font-weight:bold";
    parts.push(title, Plot.legend({ color: colour.scale, swatchSize: 12, style: { background: "transparent", color: "inherit" } }));
  }
  if (divergentDraws) {
    const swatch = document.createElement("span");
    swatch.className = "pairs-divergent-key";
    swatch.style.cssText = "display:inline-flex;align-items:center;gap:4px;font-size:12px";
    const dot = document.createElement("span");
    dot.style.cssText = `display:inline-block;width:9px;height:9px;border-radius:50%;background:${DIVERGENT_COLOUR}`;
    swatch.append(dot, `divergent (${formatCount(divergentDraws, "draw")})`);
    parts.push(swatch);
  }
  if (parts.length === 0) return undefined;
  const row = document.createElement("div");
  row.className = "pairs-legend";
  row.style.cssText = "display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;min-height:20px";
  row.append(...parts);
  return row;
}

/** The panel's background (the app's --panel), white where the variable is not set. */
const HALO = "var(--panel, white)";

/** Plot marks for contour sets: one line mark per set and level (over a halo), clipped to the frame. */
export function contourMarks(sets: readonly ContourSet[], colour: ColourEncoding): Plot.Markish[] {
  return sets.flatMap((set) =>
    set.levels.flatMap(({ share, lines }, k) => {
      const { length, x, y, z } = joinedLines(lines);
      const data = { length };
      const width = 1.6 - 0.4 * k;
      // A halo in the page's colour keeps a line readable over points of its own colour.
      return [
        Plot.line(data, { x, y, z, stroke: HALO, strokeWidth: width + 2, strokeOpacity: 0.7, clip: true, ariaHidden: "true" }),
        Plot.line(data, { x, y, z, stroke: groupStroke(colour, set.level), strokeWidth: width, strokeOpacity: 1 - 0.2 * k, clip: true, ariaDescription: `contours ${Math.round(share * 100)}%` }),
      ];
    }),
  );
}
