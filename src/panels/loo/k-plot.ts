import * as Plot from "@observablehq/plot";
import type { LooSummary } from "../../worker/protocol.ts";
import { SVG_LIMIT } from "../pairs/layers.ts";
import { PixelRaster, type PointLayer } from "../pairs/raster.ts";
import { formatCount, plotStyle } from "../style.ts";

/** loo's three kinds of Pareto k: reliable below the threshold, unreliable up to 1, very unreliable at 1 and above. */
export const K_CATEGORIES = ["good", "bad", "very bad"] as const;
const K_COLOURS = ["#4e79a7", "#f28e2b", "#e15759"];
/** Flagged observations (k at the threshold or above) drawn as SVG dots over a canvas, up to this many. */
const FLAGGED_SVG_LIMIT = 2_000;

/** Each observation's category: 0 good (k < threshold), 1 bad, 2 very bad (k >= 1, or not fitted). */
export function kCategories(k: Float64Array, threshold: number): Uint8Array {
  // Plain loops here and below: TypedArray.from with a function costs ~100 ns an element, too much at 100,000.
  const out = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) out[i] = k[i] < threshold ? 0 : k[i] < 1 ? 1 : 2;
  return out;
}

/** An observation's name: its labels along the observation dimensions (`obs_ind=17`, `school=Choate, year=2019`). */
export const observationName = (result: LooSummary, i: number) => result.dims.map((d, k) => `${d}=${result.labels[k][i]}`).join(", ");

/** Every observation gets its own tick up to this many observations; beyond, Plot's ticks (whole positions only). */
const EVERY_TICK = 30;
/** Roughly the width of a tick label's character, in pixels, to tell when labels would collide. */
const CHARACTER_WIDTH = 6.5;

/** The observation's labels, short: `Choate`, `Choate, 2019`. */
const shortName = (result: LooSummary, i: number) => result.labels.map((l) => String(l[i])).join(", ");

/** Tick labels turned when every observation has a tick and their names would not fit side by side. */
function tickRotation(result: LooSummary, width: number): number {
  const n = result.pointwise.pareto_k.length;
  if (n > EVERY_TICK || result.dims.length === 0) return 0;
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, shortName(result, i).length);
  return longest * CHARACTER_WIDTH > (width - 60) / n ? -35 : 0;
}

/** The x axis: each observation's position, its ticks named by its labels (the schools, not 0 … 7). */
function observationAxis(result: LooSummary, rotation: number): Plot.ScaleOptions {
  const n = result.pointwise.pareto_k.length;
  const named = result.dims.length > 0;
  return {
    domain: [-0.5, n - 0.5],
    label: `observation (${result.dims.join(", ") || "position"})`,
    grid: false,
    ticks: n <= EVERY_TICK ? Array.from({ length: n }, (_, i) => i) : undefined,
    tickFormat: (i: number) => (Number.isInteger(i) && i >= 0 && i < n ? (named ? shortName(result, i) : String(i)) : ""),
    tickRotate: rotation,
  };
}

/**
 * The Pareto k of every observation against its position, with loo's threshold for these draws
 * and 1 drawn as lines, coloured by category. Up to SVG_LIMIT observations are SVG dots (each with
 * its name and k as a tooltip); more go on a canvas under the axes, with the flagged ones still
 * SVG dots on top when there are few. A click picks the nearest observation, which is ringed.
 */
export function renderParetoK(result: LooSummary, width: number, onPick: (index: number) => void, picked?: number): HTMLElement {
  const k = result.pointwise.pareto_k;
  const n = k.length;
  const category = kCategories(k, result.kThreshold);
  // Not finite (no tail to fit) is drawn above 1. The range by a loop: a spread of 100,000 arguments is slow, and of a million throws.
  const shown = new Float64Array(n);
  let top = 1.1;
  let bottom = 0;
  const flagged: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = Number.isFinite(k[i]) ? k[i] : 1.5;
    shown[i] = v;
    if (v > top) top = v;
    if (v < bottom) bottom = v;
    if (category[i] > 0) flagged.push(i);
  }
  top += 0.05;
  bottom -= 0.05;
  const raster = n > SVG_LIMIT;
  const dotsOf = (rows: number[]) =>
    Plot.dot(rows, {
      x: (i: number) => i,
      y: (i: number) => shown[i],
      fill: (i: number) => K_CATEGORIES[category[i]],
      r: n > 500 ? 2 : 3,
      title: (i: number) => `${observationName(result, i)}: k = ${Number.isFinite(k[i]) ? k[i].toFixed(3) : "Inf"}`,
      ariaDescription: "Pareto k",
    });
  const svgRows = raster ? (flagged.length <= FLAGGED_SVG_LIMIT ? flagged : []) : Array.from({ length: n }, (_, i) => i);
  const rotation = tickRotation(result, width);
  const rotated = rotation !== 0;
  const height = rotated ? 300 : 270;
  const svg = Plot.plot({
    ...plotStyle,
    style: { ...plotStyle.style, position: "relative" },
    width,
    height,
    marginLeft: 48,
    marginBottom: rotated ? 76 : 40,
    x: observationAxis(result, rotation),
    y: { domain: [bottom, top], label: "Pareto k", grid: true },
    color: { domain: [...K_CATEGORIES], range: K_COLOURS },
    marks: [
      Plot.ruleY([result.kThreshold], { stroke: K_COLOURS[1], strokeDasharray: "4,3", ariaDescription: "k threshold" }),
      Plot.ruleY([1], { stroke: K_COLOURS[2], strokeDasharray: "4,3", ariaDescription: "k = 1" }),
      Plot.text([result.kThreshold, 1], { x: n - 0.5, y: (v: number) => v, text: (v: number) => (v === 1 ? "1" : `${v.toFixed(2)}`), textAnchor: "end", dy: -6, fill: "currentColor" }),
      svgRows.length ? dotsOf(svgRows) : null,
      picked !== undefined && picked < n
        ? Plot.dot([picked], { x: (i: number) => i, y: (i: number) => shown[i], r: 7, stroke: "currentColor", strokeWidth: 1.5, fill: "none", ariaDescription: "picked observation" })
        : null,
    ],
  }) as unknown as SVGSVGElement & { scale(name: string): { apply(v: number): number; range: [number, number] } };
  const node = document.createElement("div");
  node.className = "pareto-k-figure";
  node.style.cssText = `position:relative;width:${width}px`;
  node.append(Plot.legend({ color: { domain: [...K_CATEGORIES], range: K_COLOURS } }));
  const x = svg.scale("x");
  const y = svg.scale("y");
  if (raster) node.append(kCanvas(shown, category, x.range, y.range, [-0.5, n - 0.5], [bottom, top], svg));
  node.append(svg);
  node.dataset.observations = String(n);
  node.dataset.drawn = raster ? "canvas" : "svg";
  svg.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    const [px, py] = [event.clientX - box.left, event.clientY - box.top];
    let best = -1;
    let distance = Infinity;
    for (let i = 0; i < n; i++) {
      const d = (x.apply(i) - px) ** 2 + (y.apply(shown[i]) - py) ** 2;
      if (d < distance) [best, distance] = [i, d];
    }
    if (best >= 0 && distance <= 12 ** 2) onPick(best);
  });
  svg.style.cursor = "pointer";
  return node;
}

/** The dots on a canvas exactly under the plot's frame (Plot's x and y ranges), one colour per category. */
function kCanvas(k: Float64Array, category: Uint8Array, xRange: [number, number], yRange: [number, number], xDomain: [number, number], yDomain: [number, number], svg: Element): HTMLCanvasElement {
  const ratio = globalThis.devicePixelRatio || 1;
  const [left, right] = xRange;
  const [bottomPx, topPx] = yRange;
  const canvas = document.createElement("canvas");
  const width = right - left;
  const height = bottomPx - topPx;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const figureHeight = Number(svg.getAttribute("height"));
  canvas.style.cssText = `position:absolute;left:${left}px;bottom:${figureHeight - bottomPx}px;width:${width}px;height:${height}px`;
  canvas.setAttribute("aria-hidden", "true");
  const positions = new Float64Array(k.length);
  for (let i = 0; i < k.length; i++) positions[i] = i;
  const layer: PointLayer = {
    x: positions,
    y: k,
    color: new Int32Array(category),
    palette: Uint32Array.from(K_COLOURS, (c) => parseInt(c.slice(1), 16)),
  };
  const pixels = new PixelRaster(canvas.width, canvas.height);
  pixels.clear();
  pixels.accumulate(layer, { x0: xDomain[0], x1: xDomain[1], y0: yDomain[0], y1: yDomain[1] }, { left: 0, top: 0, width: canvas.width, height: canvas.height }, Math.max(1, Math.round(2 * ratio)));
  pixels.compose(0.8);
  pixels.paint(canvas);
  return canvas;
}

/** The caption: how many observations fall in each category, and what a click does. */
export function paretoKCaption(result: LooSummary): string {
  const counts = [0, 0, 0];
  for (const c of kCategories(result.pointwise.pareto_k, result.kThreshold)) counts[c]++;
  const t = result.kThreshold.toFixed(2);
  return (
    `Pareto k of each of ${formatCount(result.pointwise.pareto_k.length, "observation")}: ${counts[0]} below ${t} (good), ` +
    `${counts[1]} from ${t} to 1 (bad: that observation's elpd is unreliable), ${counts[2]} at 1 or above (very bad). ` +
    `The threshold is loo's min(1 − 1/log10 S, 0.7) for S = ${result.draws.toLocaleString("en-US")} draws. Click a point to query that observation.`
  );
}
