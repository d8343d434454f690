import { Bool, Float64, RecordBatch, Struct, Utf8, makeData, type Data, type DataType, type Int8 } from "apache-arrow";
import { dictionaryData, indexArrayFor, valueData } from "./arrow-build.ts";
import type { ColumnData, NumericData } from "./column-data.ts";
import { run } from "./evaluate.ts";
import type { Layout } from "./query-plan.ts";

/** Convert values to the column's shared type when a source stores them differently. */
function conform(values: ColumnData, type: DataType): ColumnData {
  if (type instanceof Utf8 && values.kind !== "string") {
    return { kind: "string", data: Array.from(values.data as ArrayLike<number>, (v) => (values.kind === "bool" ? String(v !== 0) : String(v))) };
  }
  if (type instanceof Float64 && values.kind === "number" && !(values.data instanceof Float64Array)) {
    return { kind: "number", data: Float64Array.from(values.data) };
  }
  return values;
}

/** No values, of a column's type: the column of a batch without rows, known without reading. */
export function noValues(type: DataType): ColumnData {
  if (type instanceof Utf8) return { kind: "string", data: [] };
  if (type instanceof Bool) return { kind: "bool", data: new Uint8Array(0) };
  return { kind: "number", data: new (type as DataType & { ArrayType: new (n: number) => NumericData }).ArrayType(0) };
}

/**
 * A record batch of the layout's columns: the source's index, dimension codes, and values: each
 * spec's as read (`values`, one per spec read), each expression's computed from them.
 */
export function batchOf(layout: Layout, sourceIndex: number, length: number, dimColumns: NumericData[], values: ColumnData[]): RecordBatch {
  const children: Data[] = [];
  if (layout.source) {
    const indices = indexArrayFor(layout.source.type.indices as Int8, length).fill(sourceIndex);
    children.push(dictionaryData(layout.source.type, indices, layout.source.dictionary));
  }
  layout.domains.forEach((domain, k) => {
    children.push(
      domain.dictionary
        ? dictionaryData(domain.type as never, dimColumns[k], domain.dictionary)
        : makeData({ type: domain.type as Float64, length, nullCount: 0, data: dimColumns[k] as Float64Array }),
    );
  });
  for (const column of layout.columns) {
    if (column.kind === "spec") {
      const type = layout.valueTypes[column.spec];
      children.push(valueData(conform(values[column.spec], type), type));
    } else {
      children.push(valueData({ kind: "number", data: run(column.program, values, length) }, new Float64()));
    }
  }
  const struct = makeData({ type: new Struct(layout.schema.fields), length, nullCount: 0, children });
  return new RecordBatch(layout.schema, struct);
}
