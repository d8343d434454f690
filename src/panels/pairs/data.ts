import type { Table } from "apache-arrow";
import { kde } from "../../engine/stats/kde.ts";
import type { PanelData, PanelOptions } from "../types.ts";
import { colourData, colourGroups, gather, type ColourData } from "./colour.ts";
import { contourSets, type ContourSet } from "./contours.ts";
import { PairsError, divergences, isLabelColumn, jitteredPositions, numericValues, paddedExtent, pairColumns, readCodes, readNumbers, rowSample, type Divergences, type RowSample } from "./read.ts";

/**
 * Points sent for one pair of columns: more would not change the picture (a frame has a few
 * hundred thousand pixels) and would only cost memory and frames; zooming shows the sample.
 */
export const MAX_POINTS = 500_000;
/** Rows sent for a scatter matrix: up to six columns of them, drawn in cells a few hundred pixels wide. */
export const MAX_MATRIX_ROWS = 200_000;
/** Divergent rows drawn on top: all of them up to this many, else an even sample. */
export const MAX_DIVERGENT = 100_000;
/** More columns than this make a scatter matrix's cells too small to read. */
export const MAX_MATRIX_COLUMNS = 6;
/** Points of each density curve on a scatter matrix's diagonal. */
const DIAGONAL_POINTS = 128;

/** The visible part of the data space: x from x0 to x1, y from y0 (bottom) to y1 (top). */
export interface View {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** One axis of the scatter: numbers as they are, or a label column's levels at 0, 1, … with jitter. */
export interface Axis {
  name: string;
  /** The sampled rows' positions. */
  positions: Float64Array;
  /** A categorical axis's levels; for y the first level is at the top. */
  labels?: string[];
}

/** The table's divergent draws as the caption counts them, and how many rows are drawn on top. */
export interface Flagged {
  /** Divergent rows in the table, and the distinct draws they come from. */
  count: number;
  draws: number;
  /** Divergent rows drawn (all of them, up to MAX_DIVERGENT). */
  drawn: number;
}

/** The rows behind a figure: the table's, and those sent. */
export interface Sampled {
  total: number;
  count: number;
}

/** Two columns against each other: the sampled points, each divergent row, and the contours. */
export interface PairData {
  layout: "pair";
  x: Axis;
  y: Axis;
  /** The view that shows every point: the padded extents, or a categorical axis's levels. */
  home: View;
  colour: ColourData;
  /** Where the divergent rows are (all of them, not only those sampled), when the option is on and there are some. */
  divergent?: { x: Float64Array; y: Float64Array };
  /** Absent when the table has no divergence flag (or the option is off). */
  flagged?: Flagged;
  contours: ContourSet[];
  /** Points with both coordinates finite. */
  points: number;
  sample: Sampled;
}

/** Up to six number columns: scatters below the diagonal, densities on it. */
export interface MatrixData {
  layout: "matrix";
  columns: string[];
  /** Number columns beyond MAX_MATRIX_COLUMNS, left out. */
  left: string[];
  /** Per column, the sampled rows' values and the padded extent drawn. */
  values: Float64Array[];
  domains: [number, number][];
  colour: ColourData;
  /** Per column, one density per colour group (or one in all). */
  densities: { level?: number; x: Float64Array; density: Float64Array }[][];
  /** Per scatter cell (row r, column c < r, row by row), its contour sets; empty when not asked for. */
  contours: ContourSet[][];
  /** Per column, the divergent rows' values. */
  divergent?: Float64Array[];
  flagged?: Flagged;
  sample: Sampled;
}

export type PairsData = PairData | MatrixData;

function flaggedOf(found: Divergences | undefined): Flagged | undefined {
  return found && { count: found.count, draws: found.draws, drawn: found.rows.length };
}

function axisOf(table: Table, name: string, sample: RowSample, jitter: number, vertical: boolean): Axis {
  if (!isLabelColumn(table, name)) return { name, positions: readNumbers(table, name, sample) };
  const { codes, labels } = readCodes(table, name, sample);
  return { name, labels, positions: jitteredPositions(codes, labels.length, jitter, vertical, sample.rows) };
}

/** The home extent of an axis: its padded extent (with the divergent points), or its levels. */
function homeOf(axis: Axis, divergent: Float64Array | undefined): [number, number] {
  return axis.labels ? [-0.5, axis.labels.length - 0.5] : paddedExtent(divergent ? [axis.positions, divergent] : [axis.positions]);
}

function countFinite(x: Float64Array, y: Float64Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) n++;
  return n;
}

function pairData(table: Table, options: PanelOptions): PairData {
  const names = pairColumns(table, String(options.x), String(options.y));
  const sample = rowSample(table.numRows, MAX_POINTS);
  const jitter = Number(options.jitter);
  const x = axisOf(table, names.x, sample, jitter, false);
  const y = axisOf(table, names.y, sample, jitter, true);
  const colour = colourData(table, String(options.color), sample);
  const found = options.divergences ? divergences(table, MAX_DIVERGENT) : undefined;
  const at = found && found.rows.length > 0 ? { total: table.numRows, count: found.rows.length, rows: found.rows } : undefined;
  const divergent = at && { x: axisOf(table, names.x, at, jitter, false).positions, y: axisOf(table, names.y, at, jitter, true).positions };
  const [x0, x1] = homeOf(x, divergent?.x);
  const [y0, y1] = homeOf(y, divergent?.y);
  const numeric = !x.labels && !y.labels;
  return {
    layout: "pair",
    x,
    y,
    home: { x0, x1, y0, y1 },
    colour,
    divergent,
    flagged: flaggedOf(found),
    contours: options.contours && numeric ? contourSets(x.positions, y.positions, colour) : [],
    points: countFinite(x.positions, y.positions),
    sample: { total: sample.total, count: sample.count },
  };
}

function matrixData(table: Table, options: PanelOptions): MatrixData {
  const all = numericValues(table);
  if (all.length < 2) throw new PairsError(`a scatter matrix needs two number columns, and this table has ${all.length === 1 ? `only ${all[0]}` : "none"}`);
  const columns = all.slice(0, MAX_MATRIX_COLUMNS);
  const sample = rowSample(table.numRows, MAX_MATRIX_ROWS);
  const values = columns.map((c) => readNumbers(table, c, sample));
  const colour = colourData(table, String(options.color), sample);
  const found = options.divergences ? divergences(table, MAX_DIVERGENT) : undefined;
  const at = found && found.rows.length > 0 ? { total: table.numRows, count: found.rows.length, rows: found.rows } : undefined;
  const divergent = at && columns.map((c) => readNumbers(table, c, at));
  const groups = colourGroups(colour);
  const contours: ContourSet[][] = [];
  for (let r = 1; r < columns.length; r++) {
    for (let c = 0; c < r; c++) contours.push(options.contours ? contourSets(values[c], values[r], colour) : []);
  }
  return {
    layout: "matrix",
    columns,
    left: all.slice(MAX_MATRIX_COLUMNS),
    values,
    domains: values.map((v) => paddedExtent([v])),
    colour,
    densities: values.map((v) =>
      groups.map(({ level, rows }) => {
        const { x, density } = kde(gather(v, rows), { points: DIAGONAL_POINTS });
        return { level, x, density };
      }),
    ),
    contours,
    divergent,
    flagged: flaggedOf(found),
    sample: { total: sample.total, count: sample.count },
  };
}

/**
 * A pairs panel's data: the rows it draws (an even sample of at most MAX_POINTS, or
 * MAX_MATRIX_ROWS for a matrix), every divergent row (up to MAX_DIVERGENT), and the contours and
 * densities estimated here from the sample, at fixed resolutions. Nothing depends on the figure's
 * size: the page draws these points at whatever size it has, and pans and zooms over them.
 */
export const panel: PanelData<PairsData> = {
  data(table, options) {
    return options.layout === "matrix" ? matrixData(table, options) : pairData(table, options);
  },
};
