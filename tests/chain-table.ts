import { Float64, Int32, RecordBatch, type Data, Schema, Struct, Table, Uint8, makeData } from "apache-arrow";
import { roleField } from "../src/engine/columns.ts";

/**
 * A draws table as the engine gives one, made in memory for big-table tests: `chains` chains of
 * `draws` draws (one record batch per chain) of a scalar `value` computed from (chain, draw), and
 * a 0/1 `diverging` column when `divergent` says which draws are flagged.
 */
export function chainTable(value: string, chains: number, draws: number, of: (chain: number, draw: number) => number, divergent?: (chain: number, draw: number) => boolean): Table {
  const fields = [roleField("chain", new Int32(), "sample"), roleField("draw", new Int32(), "sample"), roleField(value, new Float64(), "value", [])];
  if (divergent) fields.push(roleField("diverging", new Uint8(), "value", []));
  const schema = new Schema(fields);
  const batches = Array.from({ length: chains }, (_, c) => {
    const children: Data[] = [
      makeData({ type: new Int32(), length: draws, nullCount: 0, data: new Int32Array(draws).fill(c) }),
      makeData({ type: new Int32(), length: draws, nullCount: 0, data: Int32Array.from({ length: draws }, (_, d) => d) }),
      makeData({ type: new Float64(), length: draws, nullCount: 0, data: Float64Array.from({ length: draws }, (_, d) => of(c, d)) }),
    ];
    if (divergent) children.push(makeData({ type: new Uint8(), length: draws, nullCount: 0, data: Uint8Array.from({ length: draws }, (_, d) => (divergent(c, d) ? 1 : 0)) }));
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: draws, nullCount: 0, children }));
  });
  return new Table(schema, batches);
}
