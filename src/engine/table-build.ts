import { Float64, Int32, makeData, RecordBatch, Schema, Struct, Table, type Data } from "apache-arrow";
import { dictionaryData, indexArrayFor, indexTypeFor, stringDictionary } from "./arrow-build.ts";
import { roleField, type ColumnRole } from "./columns.ts";
import { intTypeFor } from "./domain.ts";

/** One column of a derived table: its name, role, Arrow data and (for values) dims. */
export interface BuiltColumn {
  name: string;
  role: ColumnRole;
  data: Data;
  dims?: readonly string[];
}

/** A one-batch table from columns of equal length, each field carrying its role. */
export function buildTable(columns: readonly BuiltColumn[]): Table {
  const fields = columns.map((c) => roleField(c.name, c.data.type, c.role, c.dims));
  const length = columns[0]?.data.length ?? 0;
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns.map((c) => c.data) });
  return new Table([new RecordBatch(schema, struct)]);
}

export function float64Data(values: Float64Array): Data {
  return makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values });
}

export function int32Data(values: Int32Array): Data {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}

/**
 * A label column: row i has `labels[codes[i]]`. Strings become a dictionary column (as the
 * engine writes dims); integers take the smallest integer type that holds them, as the engine's
 * dims do; other numbers are float64.
 */
export function labelData(labels: readonly (string | number)[], codes: Int32Array): Data {
  if (labels.every((l) => typeof l === "number")) {
    const numbers = labels as readonly number[];
    const type = intTypeFor(numbers);
    if (!type) return float64Data(Float64Array.from(codes, (c) => numbers[c]));
    const values = new type.ArrayType(codes.length);
    codes.forEach((c, i) => (values[i] = numbers[c]));
    return makeData({ type: type as Int32, length: codes.length, nullCount: 0, data: values as Int32Array });
  }
  const indexType = indexTypeFor(labels.length);
  const indices = indexArrayFor(indexType, codes.length);
  indices.set(codes);
  const { type, dictionary } = stringDictionary(labels.map(String), indexType);
  return dictionaryData(type, indices, dictionary);
}
