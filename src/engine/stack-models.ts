import { Bool, vectorFromArray, type Table } from "apache-arrow";
import { unpackBits, valueData } from "./arrow-build.ts";
import { LabelCoder, numberBatches, tableColumns } from "./columns.ts";
import { DrawscopeError } from "./errors.ts";
import { buildTable, float64Data, labelData, type BuiltColumn } from "./table-build.ts";

/** The column the models' tables are stacked by, as groups are stacked by `source`. */
export const MODEL = "model";

/**
 * A model's name from what was opened (a path, a file name, a URL): its last part without the
 * trace extensions (`centered_eight.zarr.zip` → `centered_eight`), numbered when `taken` has it.
 */
export function modelName(label: string, taken: readonly string[] = []): string {
  const base =
    label
      .replace(/\/+$/, "")
      .split("/")
      .pop()!
      .replace(/(\.v3)?(\.zarr)?(\.zip)?$|\.(nc|nc4|h5|csv)$/i, "") || "model";
  let name = base;
  for (let k = 2; taken.includes(name); k++) name = `${base} ${k}`;
  return name;
}

/** Tables of the same query on several models that cannot be stacked into one. */
export class ModelsError extends DrawscopeError {
  override name = "ModelsError";
  override readonly tag = "models";
}

/**
 * One query's tables from several models (traces) stacked into one table with a leading `model`
 * column (a dimension, so every panel can facet or colour by it): label columns (chain, draw,
 * dimensions, the source) take the union of the models' labels, values are float64 (booleans as
 * they are). Every value varies over the model, so `model` leads each value's dimensions: panels
 * that keep a value's elements apart keep the models apart (draws of different models are never
 * paired). The models must give the same columns: the query resolved alike on each.
 */
export function stackModels(models: readonly { name: string; table: Table }[]): Table {
  const [first] = models;
  const columns = tableColumns(first.table);
  for (const { name, table } of models.slice(1)) {
    const own = tableColumns(table);
    const differ = columns.find((c) => !own.some((o) => o.name === c.name && o.role === c.role)) ?? own.find((o) => !columns.some((c) => c.name === o.name));
    if (differ) {
      throw new ModelsError(`the query gives ${first.name} and ${name} different columns (${differ.name} is in one only): models are compared on queries that read the same variables in each`);
    }
  }
  const rows = models.reduce((n, m) => n + m.table.numRows, 0);
  const modelCodes = new Int32Array(rows);
  let at = 0;
  models.forEach((m, i) => {
    modelCodes.fill(i, at, at + m.table.numRows);
    at += m.table.numRows;
  });
  const built: BuiltColumn[] = [
    {
      name: MODEL,
      role: "dim",
      data: labelData(
        models.map((m) => m.name),
        modelCodes,
      ),
    },
  ];
  for (const column of columns) {
    if (column.role !== "value") {
      // Labels: each model's codes translated into the union of every model's labels.
      const union: (string | number)[] = [];
      const position = new Map<string | number, number>();
      const codes = new Int32Array(rows);
      let offset = 0;
      for (const { table } of models) {
        const coder = new LabelCoder(table, column.name);
        const translate = Int32Array.from(coder.labels, (label) => {
          let code = position.get(label);
          if (code === undefined) position.set(label, (code = union.push(label) - 1));
          return code;
        });
        const scratch = new Int32Array(table.batches.reduce((a, b) => Math.max(a, b.numRows), 0));
        for (let b = 0; b < coder.batchCount; b++) {
          const own = coder.codeBatch(b, scratch);
          const n = table.batches[b].numRows;
          for (let i = 0; i < n; i++) codes[offset + i] = translate[own[i]];
          offset += n;
        }
      }
      built.push({ name: column.name, role: column.role, data: labelData(union, codes) });
    } else if (column.numeric) {
      const values = new Float64Array(rows);
      let offset = 0;
      for (const { table } of models) {
        for (const batch of numberBatches(table, column.name)) {
          values.set(batch, offset);
          offset += batch.length;
        }
      }
      built.push({ name: column.name, role: "value", data: float64Data(values), dims: [MODEL, ...column.dims] });
    } else if (column.type === "Bool") {
      // Booleans (a divergence flag) stay booleans: each model's bitmaps unpacked, then packed as one.
      const bytes = new Uint8Array(rows);
      let offset = 0;
      for (const { table } of models) {
        for (const data of table.getChild(column.name)!.data) {
          bytes.set(unpackBits(data), offset);
          offset += data.length;
        }
      }
      built.push({ name: column.name, role: "value", data: valueData({ kind: "bool", data: bytes }, new Bool()), dims: [MODEL, ...column.dims] });
    } else {
      // Text values (rare, and small: data, not draws).
      const values = models.flatMap(({ table }) => [...table.getChild(column.name)!]);
      built.push({ name: column.name, role: "value", data: vectorFromArray(values).data[0], dims: [MODEL, ...column.dims] });
    }
  }
  return buildTable(built);
}
