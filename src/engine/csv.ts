import { DataType, makeVector, type Data, type RecordBatch, type Schema, type Table, type Vector } from "apache-arrow";
import { bitAt } from "./arrow-build.ts";

/** Shortest decimal that reads back as the same float32 (String() would print the float64 widening). */
export function formatFloat32(v: number): string {
  if (Number.isNaN(v)) return "";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** Shortest decimal that reads back as the same double; NaN is an empty field. */
export function formatFloat64(v: number): string {
  if (Number.isNaN(v)) return "";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(v);
}

export function escapeCsv(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Cell = (row: number) => string;

/** A formatter for one column of one record batch, reading its buffers directly. */
function cellFormatter(data: Data): Cell {
  const type = data.type;
  if (DataType.isDictionary(type)) {
    const dictionary = data.dictionary as Vector;
    const labels = Array.from({ length: dictionary.length }, (_, i) => {
      const v = dictionary.get(i);
      return typeof v === "string" ? escapeCsv(v) : v === null ? "" : String(v);
    });
    const indices = data.values as ArrayLike<number>;
    return (row) => labels[indices[row]];
  }
  if (DataType.isBool(type)) {
    return (row) => (bitAt(data, row) ? "true" : "false");
  }
  if (DataType.isFloat(type)) {
    const values = data.values as Float64Array | Float32Array;
    const format = values instanceof Float32Array ? formatFloat32 : formatFloat64;
    return (row) => format(values[row]);
  }
  if (DataType.isInt(type)) {
    const values = data.values as ArrayLike<number | bigint>;
    return (row) => String(values[row]);
  }
  const vector = makeVector(data);
  return (row) => {
    const v: unknown = vector.get(row);
    return v == null ? "" : escapeCsv(String(v));
  };
}

/** The CSV header line: the column names. */
export function csvHeader(schema: Schema): string {
  return `${schema.fields.map((f) => escapeCsv(f.name)).join(",")}\n`;
}

/**
 * CSV lines of one record batch, in pieces of at most `rowsPerPiece` rows: floats as the shortest
 * text that round-trips, NaN as an empty field, booleans as true/false.
 */
export function* csvBatchPieces(batch: RecordBatch, rowsPerPiece = 65536): Generator<string> {
  const cells = batch.schema.fields.map((_, j) => cellFormatter(batch.getChildAt(j)!.data[0]));
  for (let start = 0; start < batch.numRows; start += rowsPerPiece) {
    const end = Math.min(batch.numRows, start + rowsPerPiece);
    const lines = new Array<string>(end - start);
    for (let row = start; row < end; row++) {
      let line = cells[0](row);
      for (let j = 1; j < cells.length; j++) line += `,${cells[j](row)}`;
      lines[row - start] = line;
    }
    yield `${lines.join("\n")}\n`;
  }
}

/** CSV text of a table in pieces, so big tables stream: the header, then each batch's lines. */
export function* csvPieces(table: Table, rowsPerPiece = 65536): Generator<string> {
  yield csvHeader(table.schema);
  for (const batch of table.batches) yield* csvBatchPieces(batch, rowsPerPiece);
}

/** The whole CSV text of a table (for small tables; stream `csvPieces` for big ones). */
export function toCsv(table: Table): string {
  return [...csvPieces(table)].join("");
}
