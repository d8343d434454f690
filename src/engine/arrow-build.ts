import { type Bool, type Data, Dictionary, type Float64, Int16, Int32, Int8, Utf8, makeData, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import type { ColumnData, NumericData } from "./column-data.ts";

/** Pack one-byte booleans into Arrow's bitmap. */
function packBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(Math.ceil(bytes.length / 8));
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/** Row `row` of a boolean column's Arrow data, 0 or 1: its bit in the bitmap, counted from the data's offset. */
export function bitAt(data: Data, row: number): number {
  const bit = data.offset + row;
  return ((data.values as Uint8Array)[bit >> 3] >> (bit & 7)) & 1;
}

/** A boolean column's Arrow data as one byte per row, 0 or 1. */
export function unpackBits(data: Data): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = bitAt(data, i);
  return out;
}

/** Arrow data for a value column; typed arrays are used as they are (no copy). */
export function valueData(values: ColumnData, type: DataType): Data {
  switch (values.kind) {
    case "bool":
      return makeData({ type: type as Bool, length: values.data.length, nullCount: 0, data: packBits(values.data) });
    case "string":
      return vectorFromArray(values.data, type as Utf8).data[0];
    case "number":
      return makeData({ type: type as Float64, length: values.data.length, nullCount: 0, data: values.data as Float64Array });
  }
}

/** Arrow data for a dictionary-encoded column: `indices` point into `dictionary`. */
export function dictionaryData(type: Dictionary, indices: NumericData, dictionary: Vector): Data {
  return makeData({ type, length: indices.length, nullCount: 0, data: indices as Int32Array, dictionary });
}

/** The narrowest signed index type that can address `size` dictionary entries. */
export function indexTypeFor(size: number): Int8 | Int16 | Int32 {
  if (size <= 127) return new Int8();
  if (size <= 32767) return new Int16();
  return new Int32();
}

export function indexArrayFor(type: Int8 | Int16 | Int32, length: number): Int8Array | Int16Array | Int32Array {
  if (type instanceof Int8) return new Int8Array(length);
  if (type instanceof Int16) return new Int16Array(length);
  return new Int32Array(length);
}

/** A dictionary of strings, as Arrow wants it for dictionary-encoded columns. */
export function stringDictionary(labels: readonly string[], indexType: Int8 | Int16 | Int32): { type: Dictionary; dictionary: Vector } {
  return { type: new Dictionary(new Utf8(), indexType), dictionary: vectorFromArray(labels as string[], new Utf8()) };
}
