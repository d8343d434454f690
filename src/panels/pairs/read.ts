import { DataType, type Table } from "apache-arrow";
import { bitAt } from "../../engine/arrow-build.ts";
import { DIVERGING } from "../chain-draws.ts";
import { LabelCoder, numberBatches, tableColumns } from "../../engine/columns.ts";
import { DrawscopeError } from "../../engine/errors.ts";
import { uniforms } from "../../engine/stats/random.ts";

/** A pairs panel asked for something its table cannot give (no number columns, a missing column). */
export class PairsError extends DrawscopeError {
  override name = "PairsError";
  override readonly tag = "pairs";
}

/** Seeds the sample, so the same table always shows the same points. */
const SAMPLE_SEED = 0x5eed;

/**
 * The rows a figure reads: all of them, or `count` spread evenly over the table, one at a random
 * place in each of `count` equal runs of rows — an even sample that follows no stride, so it
 * never keeps only every k-th level of a dimension the rows cycle through.
 */
export interface RowSample {
  /** The table's rows. */
  total: number;
  /** Rows read. */
  count: number;
  /** The rows read, ascending; all rows when absent. */
  rows?: Int32Array;
}

export function rowSample(numRows: number, limit: number): RowSample {
  if (numRows <= limit) return { total: numRows, count: numRows };
  return { total: numRows, count: limit, rows: spreadRows(numRows, limit) };
}

/** `count` ascending indices below `total`, one at a seeded random place in each of `count` equal runs. */
function spreadRows(total: number, count: number): Int32Array {
  const uniform = uniforms(SAMPLE_SEED);
  const rows = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const start = Math.floor((k * total) / count);
    const end = Math.floor(((k + 1) * total) / count);
    rows[k] = start + Math.floor(uniform() * (end - start));
  }
  return rows;
}

/** The same sample drawn from a list of rows (e.g. the divergent ones) instead of all rows. */
export function sampleOf(rows: Int32Array, limit: number): Int32Array {
  if (rows.length <= limit) return rows;
  return spreadRows(rows.length, limit).map((k) => rows[k]);
}

/** Calls `take(i, at)` for each sampled row i of a batch starting at table row `row`, `at` counting sampled rows. */
function eachSampled(sample: RowSample, row: number, length: number, at: number, take: (i: number, at: number) => void): number {
  const { rows } = sample;
  if (!rows) {
    for (let i = 0; i < length; i++) take(i, at++);
    return at;
  }
  const end = row + length;
  for (; at < rows.length && rows[at] < end; at++) take(rows[at] - row, at);
  return at;
}

/** Number value columns a scatter can use, the divergence flag left out. */
export function numericValues(table: Table): string[] {
  return tableColumns(table)
    .filter((c) => c.role === "value" && c.numeric && c.name !== DIVERGING)
    .map((c) => c.name);
}

/** True when a column is drawn as categories (dims, the source, booleans, strings), false for numbers. */
export function isLabelColumn(table: Table, name: string): boolean {
  const column = tableColumns(table).find((c) => c.name === name);
  if (!column) throw new PairsError(`this table has no column '${name}'`);
  return !(column.numeric && column.role === "value");
}

/**
 * The columns drawn against each other. "" (auto) picks the first two number values; with only
 * one, its first dimension goes on y (beta[groups] alone: beta by group).
 */
export function pairColumns(table: Table, x: string, y: string): { x: string; y: string } {
  const values = numericValues(table);
  const columns = tableColumns(table);
  const pickX = x || values.find((v) => v !== y) || "";
  if (!pickX) throw new PairsError("a pairs panel needs a number column: add a spec with numeric draws");
  const ownDim = columns.find((c) => c.name === pickX)?.dims[0] ?? columns.find((c) => c.role === "dim" || c.role === "source")?.name;
  const pickY = y || values.find((v) => v !== pickX) || ownDim;
  if (!pickY) throw new PairsError(`a pairs panel draws two columns against each other, and this table has only ${pickX}: add another spec`);
  return { x: pickX, y: pickY };
}

/** A number column's sampled rows as float64 (one copy; batches are read in place). */
export function readNumbers(table: Table, name: string, sample: RowSample): Float64Array {
  const out = new Float64Array(sample.count);
  let row = 0;
  let at = 0;
  for (const batch of numberBatches(table, name)) {
    at = eachSampled(sample, row, batch.length, at, (i, k) => (out[k] = batch[i]));
    row += batch.length;
  }
  return out;
}

/** A label column's sampled rows as codes into `labels` (dims and source in label order; booleans false, true). */
export function readCodes(table: Table, name: string, sample: RowSample): { codes: Int32Array; labels: string[] } {
  const vector = table.getChild(name);
  if (!vector) throw new PairsError(`this table has no column '${name}'`);
  const out = new Int32Array(sample.count);
  let row = 0;
  let at = 0;
  if (DataType.isBool(vector.type)) {
    for (const data of vector.data) {
      at = eachSampled(sample, row, data.length, at, (i, k) => (out[k] = bitAt(data, i)));
      row += data.length;
    }
    return { codes: out, labels: ["false", "true"] };
  }
  const coder = new LabelCoder(table, name);
  const scratch = new Int32Array(vector.data.reduce((a, d) => Math.max(a, d.length), 0));
  for (let b = 0; b < coder.batchCount; b++) {
    const codes = coder.codeBatch(b, scratch);
    at = eachSampled(sample, row, codes.length, at, (i, k) => (out[k] = codes[i]));
    row += codes.length;
  }
  return { codes: out, labels: coder.labels.map(String) };
}

/**
 * Where a row of a label column sits on its axis: its code, spread evenly within ±width/2. The
 * spread is a hash of the row's index in the table (`rows[i]`, or i when all rows are read), so a
 * row sits at the same place whichever sample or layer it is drawn in.
 */
export function jitteredPositions(codes: Int32Array, levels: number, width: number, topDown: boolean, rows?: Int32Array): Float64Array {
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    // A cheap integer hash of the row gives the same jitter on every redraw.
    let h = Math.imul((rows ? rows[i] : i) ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    const u = ((h ^ (h >>> 16)) >>> 0) / 4294967296;
    out[i] = (topDown ? levels - 1 - codes[i] : codes[i]) + (u - 0.5) * width;
  }
  return out;
}

/** The table's divergent rows (all of them, or an even sample beyond `limit`) and how many there are. */
export interface Divergences {
  /** Divergent rows of the table, ascending. */
  rows: Int32Array;
  /** Rows flagged divergent, and the distinct draws (chain, draw) they come from. */
  count: number;
  draws: number;
}

/** Calls `visit` with each row of a flag column that is true or non-zero, in order. */
function eachFlagged(table: Table, name: string, numeric: boolean, visit: (row: number) => void): void {
  let row = 0;
  if (numeric) {
    for (const batch of numberBatches(table, name)) {
      for (let i = 0; i < batch.length; i++) if (batch[i]) visit(row + i);
      row += batch.length;
    }
    return;
  }
  for (const data of table.getChild(name)!.data) {
    for (let i = 0; i < data.length; i++) if (bitAt(data, i)) visit(row + i);
    row += data.length;
  }
}

/** Rows of a flag column that are true or non-zero, ascending: counted first, so one typed array holds them. */
function flaggedRows(table: Table, name: string, numeric: boolean): Int32Array {
  let count = 0;
  eachFlagged(table, name, numeric, () => count++);
  const rows = new Int32Array(count);
  let at = 0;
  eachFlagged(table, name, numeric, (row) => (rows[at++] = row));
  return rows;
}

/** The table's divergence flag, when it has one (a boolean or 0/1 `diverging` column), over every row. */
export function divergences(table: Table, limit: number): Divergences | undefined {
  const columns = tableColumns(table);
  const column = columns.find((c) => c.name === DIVERGING);
  if (!column || (!column.numeric && column.type !== "Bool")) return undefined;
  const flagged = flaggedRows(table, DIVERGING, column.numeric);
  const sampled = ["chain", "draw"].every((name) => columns.some((c) => c.name === name && c.numeric));
  let draws = flagged.length;
  if (sampled && flagged.length > 0) {
    const at = { total: table.numRows, count: flagged.length, rows: flagged };
    const chain = readNumbers(table, "chain", at);
    const draw = readNumbers(table, "draw", at);
    draws = new Set(Array.from(flagged, (_, k) => chain[k] * 2 ** 32 + draw[k])).size;
  }
  return { rows: sampleOf(flagged, limit), count: flagged.length, draws };
}

/** Smallest and largest finite value; [NaN, NaN] when there is none. */
export function finiteExtent(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [NaN, NaN];
}

/** The finite extent of all the arrays widened by `pad` of its span each side; one repeated value gets ±10% (or ±0.5 at zero). */
export function paddedExtent(arrays: readonly Float64Array[], pad = 0.04): [number, number] {
  const extents = arrays.map(finiteExtent).filter(([low]) => Number.isFinite(low));
  const min = Math.min(...extents.map(([low]) => low));
  const max = Math.max(...extents.map(([, high]) => high));
  if (!Number.isFinite(min)) return [0, 1];
  if (max === min) {
    const half = Math.abs(min) * 0.1 || 0.5;
    return [min - half, max + half];
  }
  const margin = (max - min) * pad;
  return [min - margin, max + margin];
}
