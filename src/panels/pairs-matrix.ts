import * as Plot from "@observablehq/plot";
import type { Table } from "apache-arrow";
import { kde } from "../engine/stats/kde.ts";
import { PairsError, divergences, numericValues, paddedExtent, readNumbers, rowSample } from "./pairs-data.ts";
import {
  DIVERGENT_COLOUR,
  MAX_POINTS,
  SVG_DIVERGENT_LIMIT,
  SVG_LIMIT,
  colourEncoding,
  colourGroups,
  contourMarks,
  contourSets,
  gather,
  colourScale,
  dotFill,
  legendNode,
  pointLayer,
  type ContourSet,
} from "./pairs-layers.ts";
import { colourNote, contourNote, divergenceNote, samplingNote } from "./pairs-notes.ts";
import { PixelRaster, parseColor, type PixelRect } from "./raster.ts";
import { formatCount, formatNumber, plotStyle } from "./style.ts";
import type { PanelFigure, PanelOptions } from "./types.ts";

/** More columns than this make cells too small to read. */
const MAX_MATRIX_COLUMNS = 6;
const PAD = 4;
/** Room for the first column's y ticks and label, and the last row's x ticks and label. */
const GUTTER_LEFT = 58;
const GUTTER_BOTTOM = 38;

/** Where cell (row, column) of a k×k matrix and its frame sit, in CSS pixels from the grid's top left. */
function cellBox(row: number, column: number, k: number, frame: number) {
  const left = column === 0 ? 0 : GUTTER_LEFT + frame + PAD + (column - 1) * (frame + 2 * PAD);
  const top = row * (frame + 2 * PAD);
  const marginLeft = column === 0 ? GUTTER_LEFT : PAD;
  const marginBottom = row === k - 1 ? GUTTER_BOTTOM : PAD;
  return {
    left,
    top,
    width: marginLeft + frame + PAD,
    height: PAD + frame + marginBottom,
    marginLeft,
    marginBottom,
    frame: { left: left + marginLeft, top: top + PAD, width: frame, height: frame },
  };
}

/**
 * A scatter matrix of the table's number columns (up to six): scatters below the diagonal,
 * each column's density on it. Static: the pair layout is the one to zoom.
 */
export function renderMatrix(table: Table, options: PanelOptions, width: number): PanelFigure {
  const all = numericValues(table);
  if (all.length < 2) throw new PairsError(`a scatter matrix needs two number columns, and this table has ${all.length === 1 ? `only ${all[0]}` : "none"}`);
  const columns = all.slice(0, MAX_MATRIX_COLUMNS);
  const k = columns.length;
  const sample = rowSample(table.numRows, MAX_POINTS);
  const values = columns.map((c) => readNumbers(table, c, sample));
  const domains = values.map((v) => paddedExtent(v));
  const colour = colourEncoding(table, String(options.color), sample);
  const flagged = options.divergences ? divergences(table, sample) : undefined;
  const divergent = flagged && flagged.rows.length > 0 ? flagged.rows : undefined;
  const scatterCells = (k * (k - 1)) / 2;
  const raster = sample.count * scatterCells > SVG_LIMIT;
  const fill = raster ? undefined : dotFill(colour);
  const divergentSvg = divergent && (!raster || divergent.length * scatterCells <= SVG_DIVERGENT_LIMIT);
  const frame = Math.floor(Math.max(80, Math.min(240, (width - GUTTER_LEFT - 2 * PAD * k) / k)));
  const gridWidth = GUTTER_LEFT + frame + PAD + (k - 1) * (frame + 2 * PAD);
  const gridHeight = k * (frame + 2 * PAD) - PAD + GUTTER_BOTTOM;
  const contours: ContourSet[] = [];

  const grid = document.createElement("div");
  grid.className = "pairs-matrix";
  grid.style.cssText = `display:grid;width:${gridWidth}px;grid-template-columns:${GUTTER_LEFT + frame + PAD}px repeat(${k - 1}, ${frame + 2 * PAD}px)`;
  const data = { length: sample.count };
  const axisStyle = { ticks: Math.max(2, Math.floor(frame / 60)), labelAnchor: "center", labelArrow: "none" } as const;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const box = cellBox(r, c, k, frame);
      if (c > r) {
        grid.append(document.createElement("div"));
        continue;
      }
      const diagonal = r === c;
      const marks: Plot.Markish[] = [Plot.frame({ strokeOpacity: 0.2 })];
      if (r === k - 1) marks.push(Plot.axisX({ ...axisStyle, label: columns[c], labelOffset: 32 }));
      if (c === 0 && !diagonal) marks.push(Plot.axisY({ ...axisStyle, label: columns[r], labelOffset: 46 }));
      if (diagonal) {
        marks.push(...densityMarks(values[c], colourGroups(colour)), Plot.text([columns[c]], { text: (d: string) => d, frameAnchor: "top-left", dx: 4, dy: 4, fontWeight: "bold" }));
      } else {
        const x = values[c];
        const y = values[r];
        if (fill) marks.push(Plot.dot(data, { x, y, fill, r: 1.5, fillOpacity: 0.6, ariaDescription: "points" }));
        if (options.contours) {
          const sets = contourSets(x, y, colour);
          contours.push(...sets);
          marks.push(...contourMarks(sets));
        }
        if (divergentSvg) {
          marks.push(Plot.dot({ length: divergent.length }, { x: gather(x, divergent), y: gather(y, divergent), fill: DIVERGENT_COLOUR, stroke: "white", strokeWidth: 0.6, r: 2.6, ariaDescription: "divergent draws" }));
        }
      }
      const svg = cellSvg(box, marks, domains[c], diagonal ? undefined : domains[r], diagonal ? undefined : colourScale(colour));
      svg.setAttribute("aria-label", diagonal ? `density of ${columns[c]}` : `${columns[r]} against ${columns[c]}`);
      svg.classList.add(diagonal ? "pairs-diagonal" : "pairs-scatter");
      grid.append(svg);
    }
  }

  const node = document.createElement("div");
  node.className = "pairs-figure";
  node.style.cssText = `position:relative;width:${width}px`;
  const legend = legendNode(colour, divergent ? flagged!.draws : undefined);
  if (legend) node.append(legend);
  if (raster) node.append(matrixCanvas(values, columns.length, frame, gridWidth, gridHeight, domains, colour, divergentSvg ? undefined : divergent));
  node.append(grid);
  node.dataset.points = String(sample.count);
  node.dataset.drawn = raster ? "canvas" : "svg";
  node.dataset.divergent = String(divergent?.length ?? 0);

  const left = all.slice(MAX_MATRIX_COLUMNS);
  const notes = [
    `${formatCount(scatterCells, "scatter")} of ${formatCount(sample.count, "row")}${colourNote(colour)}${raster ? ", on a canvas" : ""}; Gaussian KDEs on the diagonal.`,
    left.length ? `${formatNumber(left.length)} more number ${left.length === 1 ? "column" : "columns"} left out (${left.join(", ")}): at most ${MAX_MATRIX_COLUMNS} fit.` : "",
    contourNote(contours, colourGroups(colour).length > 1, false),
    divergenceNote(Boolean(options.divergences), flagged),
    samplingNote(table, sample),
  ];
  const listed = columns.length === 2 ? columns.join(" and ") : `${columns.slice(0, -1).join(", ")} and ${columns.at(-1)}`;
  return {
    name: `Scatter matrix of ${listed}: ${formatCount(sample.count, "row")}${colour.kind === "none" ? "" : `, coloured by ${colour.column}`}`,
    caption: notes.filter((n) => n !== "").join(" "),
    node,
  };
}

/** One cell's plot: its frame inside the cell's padding and gutters; y spans the densities when no domain is given. */
function cellSvg(box: ReturnType<typeof cellBox>, marks: Plot.Markish[], x: [number, number], y: [number, number] | undefined, color: Plot.ScaleOptions | undefined) {
  const svg = Plot.plot({
    ...plotStyle,
    style: { ...plotStyle.style, position: "relative" },
    width: box.width,
    height: box.height,
    marginLeft: box.marginLeft,
    marginTop: PAD,
    marginRight: PAD,
    marginBottom: box.marginBottom,
    x: { domain: x, axis: null },
    y: y ? { domain: y, axis: null } : { axis: null, insetTop: 8 },
    color,
    marks,
  });
  // Tick labels at a frame's edge may spill into the next cell's padding rather than be cut.
  svg.style.overflow = "visible";
  return svg;
}

/** One density curve per colour group (or one in all), filled lightly. */
function densityMarks(values: Float64Array, groups: ReturnType<typeof colourGroups>): Plot.Markish[] {
  return groups.flatMap(({ stroke, rows }) => {
    const { x, density } = kde(gather(values, rows), { points: 128 });
    const data = { length: x.length };
    return [Plot.areaY(data, { x, y: density, fill: stroke, fillOpacity: 0.12, clip: true }), Plot.lineY(data, { x, y: density, stroke, strokeWidth: 1.2, clip: true })];
  });
}

/** One canvas under the whole grid, with every scatter cell's points drawn into its frame. */
function matrixCanvas(
  values: Float64Array[],
  k: number,
  frame: number,
  width: number,
  height: number,
  domains: [number, number][],
  colour: ReturnType<typeof colourEncoding>,
  stamped: Int32Array | undefined,
): HTMLCanvasElement {
  const ratio = globalThis.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.cssText = `position:absolute;left:0;bottom:0;width:${width}px;height:${height}px`;
  canvas.setAttribute("aria-hidden", "true");
  const pixels = new PixelRaster(canvas.width, canvas.height);
  const size = Math.max(1, Math.round((values[0].length > 100_000 ? 1 : 2) * ratio));
  const cells: { layer: ReturnType<typeof pointLayer>; view: { x0: number; x1: number; y0: number; y1: number }; rect: PixelRect }[] = [];
  for (let r = 1; r < k; r++) {
    for (let c = 0; c < r; c++) {
      const f = cellBox(r, c, k, frame).frame;
      const rect = { left: Math.round(f.left * ratio), top: Math.round(f.top * ratio), width: Math.round(f.width * ratio), height: Math.round(f.height * ratio) };
      const view = { x0: domains[c][0], x1: domains[c][1], y0: domains[r][0], y1: domains[r][1] };
      cells.push({ layer: pointLayer(values[c], values[r], colour), view, rect });
    }
  }
  for (const { layer, view, rect } of cells) pixels.accumulate(layer, view, rect, size);
  pixels.compose(values[0].length > 100_000 ? 0.3 : 0.5);
  if (stamped) {
    const palette = Uint32Array.of(parseColor(DIVERGENT_COLOUR));
    for (const { layer, view, rect } of cells) pixels.stamp({ x: layer.x, y: layer.y, rows: stamped, palette }, view, rect, size + 2);
  }
  pixels.paint(canvas);
  return canvas;
}
