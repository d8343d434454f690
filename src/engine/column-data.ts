import { BoolArray, UnicodeStringArray, ByteStringArray } from "zarrita";
import { DTypeError } from "./errors.ts";

export type NumericData = Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * Decoded values of an array or chunk, in the few shapes the engine keeps: numbers as typed arrays
 * (64-bit integers already converted to exact float64), booleans as one byte each, strings.
 */
export type ColumnData = { kind: "number"; data: NumericData } | { kind: "bool"; data: Uint8Array } | { kind: "string"; data: string[] };

const MAX_EXACT = 2 ** 53;

/** 64-bit integers as float64, refusing any value a double cannot hold exactly. */
function exactFloat64(values: BigInt64Array | BigUint64Array, where: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > MAX_EXACT || v < -MAX_EXACT) {
      throw new DTypeError(`${where} holds the 64-bit integer ${v}, beyond ±2^53, which cannot be shown exactly as a number`);
    }
    out[i] = Number(v);
  }
  return out;
}

/**
 * Normalise what zarrita decoded. `asBool` is set for int8 arrays xarray wrote for booleans
 * (attribute `dtype: "bool"`).
 */
export function toColumnData(data: unknown, where: string, asBool = false): ColumnData {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return { kind: "number", data: exactFloat64(data, where) };
  if (data instanceof BoolArray) return { kind: "bool", data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  if (data instanceof UnicodeStringArray || data instanceof ByteStringArray) return { kind: "string", data: Array.from(data) };
  if (Array.isArray(data)) return { kind: "string", data: data.map((v) => (v == null ? "" : String(v))) };
  if (asBool && (data instanceof Int8Array || data instanceof Uint8Array)) {
    return { kind: "bool", data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  }
  if (
    data instanceof Float64Array ||
    data instanceof Float32Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array ||
    data instanceof Int32Array ||
    data instanceof Uint8Array ||
    data instanceof Uint16Array ||
    data instanceof Uint32Array
  ) {
    return { kind: "number", data };
  }
  throw new DTypeError(`${where} has values of a type drawscope cannot read (${Object.prototype.toString.call(data)})`);
}

/** A fresh, empty container of the same kind and element type, `length` long. */
export function allocateLike(like: ColumnData, length: number): ColumnData {
  switch (like.kind) {
    case "number":
      return { kind: "number", data: new (like.data.constructor as new (n: number) => NumericData)(length) };
    case "bool":
      return { kind: "bool", data: new Uint8Array(length) };
    case "string":
      return { kind: "string", data: new Array<string>(length).fill("") };
  }
}
