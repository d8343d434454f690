import * as Plot from "@observablehq/plot";
import { DIVERGENT_COLOUR, formatCount, formatNumber, plotStyle } from "../style.ts";
import type { PanelFigure, PanelOptions } from "../types.ts";
import { MAX_MATRIX_COLUMNS, type MatrixData } from "./data.ts";
import { SVG_DIVERGENT_LIMIT, SVG_LIMIT, colourEncoding, colourScale, contourMarks, divergentLayer, dotFill, groupStroke, legendNode, pointLayer, type ColourEncoding } from "./layers.ts";
import { colourNote, contourNote, divergenceNote, isGrouped, samplingNote } from "./notes.ts";
import { PixelRaster, type PixelRect } from "./raster.ts";

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
export function renderMatrix(data: MatrixData, options: PanelOptions, width: number): PanelFigure {
  const { columns, values, domains, sample, flagged, divergent } = data;
  const k = columns.length;
  const colour = colourEncoding(data.colour);
  const scatterCells = (k * (k - 1)) / 2;
  const raster = sample.count * scatterCells > SVG_LIMIT;
  const fill = raster ? undefined : dotFill(colour);
  const divergentCount = divergent?.[0].length ?? 0;
  const divergentSvg = divergent && (!raster || divergentCount * scatterCells <= SVG_DIVERGENT_LIMIT);
  const frame = Math.floor(Math.max(80, Math.min(240, (width - GUTTER_LEFT - 2 * PAD * k) / k)));
  const gridWidth = GUTTER_LEFT + frame + PAD + (k - 1) * (frame + 2 * PAD);
  const gridHeight = k * (frame + 2 * PAD) - PAD + GUTTER_BOTTOM;

  const grid = document.createElement("div");
  grid.className = "pairs-matrix";
  grid.style.cssText = `display:grid;width:${gridWidth}px;grid-template-columns:${GUTTER_LEFT + frame + PAD}px repeat(${k - 1}, ${frame + 2 * PAD}px)`;
  const rows = { length: sample.count };
  let cell = 0;
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
        marks.push(...densityMarks(data.densities[c], colour), Plot.text([columns[c]], { text: (d: string) => d, frameAnchor: "top-left", dx: 4, dy: 4, fontWeight: "bold" }));
      } else {
        const x = values[c];
        const y = values[r];
        if (fill) marks.push(Plot.dot(rows, { x, y, fill, r: 1.5, fillOpacity: 0.6, ariaDescription: "points" }));
        // Cells below the diagonal come row by row, as their contours do.
        marks.push(...contourMarks(data.contours[cell++], colour));
        if (divergentSvg) {
          marks.push(Plot.dot({ length: divergentCount }, { x: divergent[c], y: divergent[r], fill: DIVERGENT_COLOUR, stroke: "white", strokeWidth: 0.6, r: 2.6, ariaDescription: "divergent draws" }));
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
  const legend = legendNode(colour, divergent ? flagged?.draws : undefined);
  if (legend) node.append(legend);
  if (raster) node.append(matrixCanvas(values, columns.length, frame, gridWidth, gridHeight, domains, colour, divergentSvg ? undefined : divergent));
  node.append(grid);
  node.dataset.points = String(sample.count);
  node.dataset.drawn = raster ? "canvas" : "svg";
  node.dataset.divergent = String(divergentCount);

  const { left } = data;
  const notes = [
    `${formatCount(scatterCells, "scatter")} of ${formatCount(sample.count, "row")}${colourNote(data.colour)}${raster ? ", on a canvas" : ""}; Gaussian KDEs on the diagonal.`,
    left.length ? `${formatNumber(left.length)} more number ${left.length === 1 ? "column" : "columns"} left out (${left.join(", ")}): at most ${MAX_MATRIX_COLUMNS} fit.` : "",
    contourNote(data.contours.flat(), isGrouped(data.colour), false),
    divergenceNote(Boolean(options.divergences), flagged),
    samplingNote(sample),
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
function densityMarks(densities: MatrixData["densities"][number], colour: ColourEncoding): Plot.Markish[] {
  return densities.flatMap(({ level, x, density }) => {
    const stroke = groupStroke(colour, level);
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
  colour: ColourEncoding,
  stamped: Float64Array[] | undefined,
): HTMLCanvasElement {
  const ratio = globalThis.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.cssText = `position:absolute;left:0;bottom:0;width:${width}px;height:${height}px`;
  canvas.setAttribute("aria-hidden", "true");
  const pixels = new PixelRaster(canvas.width, canvas.height);
  const size = Math.max(1, Math.round((values[0].length > 100_000 ? 1 : 2) * ratio));
  const cells: { layer: ReturnType<typeof pointLayer>; stamp?: ReturnType<typeof divergentLayer>; view: { x0: number; x1: number; y0: number; y1: number }; rect: PixelRect }[] = [];
  for (let r = 1; r < k; r++) {
    for (let c = 0; c < r; c++) {
      const f = cellBox(r, c, k, frame).frame;
      const rect = { left: Math.round(f.left * ratio), top: Math.round(f.top * ratio), width: Math.round(f.width * ratio), height: Math.round(f.height * ratio) };
      const view = { x0: domains[c][0], x1: domains[c][1], y0: domains[r][0], y1: domains[r][1] };
      cells.push({ layer: pointLayer(values[c], values[r], colour), stamp: stamped && divergentLayer(stamped[c], stamped[r]), view, rect });
    }
  }
  for (const { layer, view, rect } of cells) pixels.accumulate(layer, view, rect, size);
  pixels.compose(values[0].length > 100_000 ? 0.3 : 0.5);
  for (const { stamp, view, rect } of cells) if (stamp) pixels.stamp(stamp, view, rect, size + 2);
  pixels.paint(canvas);
  return canvas;
}
