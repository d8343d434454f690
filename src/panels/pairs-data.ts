import { DataType, type Table } from "apache-arrow";
import { LabelCoder, numberBatches, tableColumns } from "../engine/columns.ts";
import { DrawscopeError } from "../engine/errors.ts";

/** A pairs panel asked for something its table cannot give (no number columns, a missing column). */
export class PairsError extends DrawscopeError {
  override name = "PairsError";
}

/** The sample-stats column whose true (or non-zero) rows are divergent transitions. */
const DIVERGING = "diverging";

/** The rows a figure reads: all of them, or every `stride`-th when there are too many to draw. */
export interface RowSample {
  stride: number;
  /** Rows read: ceil(numRows / stride). */
  count: number;
}

export function rowSample(numRows: number, limit: number): RowSample {
  const stride = Math.max(1, Math.ceil(numRows / limit));
  return { stride, count: Math.ceil(numRows / stride) };
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
    // The first sampled row of this batch: rows are taken at multiples of the stride.
    let i = (sample.stride - (row % sample.stride)) % sample.stride;
    for (; i < batch.length; i += sample.stride) out[at++] = batch[i];
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
      const bits = data.values as Uint8Array;
      let i = (sample.stride - (row % sample.stride)) % sample.stride;
      for (; i < data.length; i += sample.stride) {
        const bit = data.offset + i;
        out[at++] = (bits[bit >> 3] >> (bit & 7)) & 1;
      }
      row += data.length;
    }
    return { codes: out, labels: ["false", "true"] };
  }
  const coder = new LabelCoder(table, name);
  const scratch = new Int32Array(vector.data.reduce((a, d) => Math.max(a, d.length), 0));
  for (let b = 0; b < coder.batchCount; b++) {
    const codes = coder.codeBatch(b, scratch);
    let i = (sample.stride - (row % sample.stride)) % sample.stride;
    for (; i < codes.length; i += sample.stride) out[at++] = codes[i];
    row += codes.length;
  }
  return { codes: out, labels: coder.labels.map(String) };
}

/** Where a row of a label column sits on its axis: its code, spread evenly within ±width/2. */
export function jitteredPositions(codes: Int32Array, levels: number, width: number, topDown: boolean): Float64Array {
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    // A cheap integer hash of the row gives the same jitter on every redraw.
    let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    const u = ((h ^ (h >>> 16)) >>> 0) / 4294967296;
    out[i] = (topDown ? levels - 1 - codes[i] : codes[i]) + (u - 0.5) * width;
  }
  return out;
}

/** Sampled rows flagged as divergent, and how many distinct draws (chain, draw) they come from. */
export interface Divergences {
  rows: Int32Array;
  draws: number;
}

/** The table's divergence flag, when it has one (a boolean or 0/1 `diverging` column). */
export function divergences(table: Table, sample: RowSample): Divergences | undefined {
  const column = tableColumns(table).find((c) => c.name === DIVERGING);
  if (!column || (!column.numeric && column.type !== "Bool")) return undefined;
  const flags = column.numeric ? readNumbers(table, DIVERGING, sample) : readCodes(table, DIVERGING, sample).codes;
  const rows: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) rows.push(i);
  const sampled = ["chain", "draw"].every((name) => tableColumns(table).some((c) => c.name === name && c.numeric));
  let draws = rows.length;
  if (sampled && rows.length > 0) {
    const chain = readNumbers(table, "chain", sample);
    const draw = readNumbers(table, "draw", sample);
    draws = new Set(rows.map((r) => chain[r] * 2 ** 32 + draw[r])).size;
  }
  return { rows: Int32Array.from(rows), draws };
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

/** The finite extent widened by `pad` of its span each side; one repeated value gets ±10% (or ±0.5 at zero). */
export function paddedExtent(values: Float64Array, pad = 0.04): [number, number] {
  const [min, max] = finiteExtent(values);
  if (!Number.isFinite(min)) return [0, 1];
  if (max === min) {
    const half = Math.abs(min) * 0.1 || 0.5;
    return [min - half, max + half];
  }
  const margin = (max - min) * pad;
  return [min - margin, max + margin];
}
